import {
  BACKGROUND_TASK_TRIGGERS, BEGIN_BACKGROUND_TASK, CallSummaries, ancestors, callsIn, defineRule, descendants, enclosingFunction,
  expirationHandlerOf, hasBackgroundMode, lastName, matchesSignature, memberPath, processInfoPlist, relatedAtKey, resolveCode, storageName,
} from '@bglint/core';
import type { AssignExpr, CallExpr, Consumer, Expr, RuleContext, SyntaxNode } from '@bglint/core';

export default defineRule({
  meta: {
    id: 'background-keepalive-hack',
    severity: 'warning',
    since: '0.2.0',
    summary: 'Do not keep the app alive in the background with silent audio or by chaining background tasks.',
    why:
      'The `audio` background mode is for audible playback: an `AVAudioPlayer` looping forever (`numberOfLoops = -1`) ' +
      'at `volume = 0`, or looping a silent file, only to stop iOS from suspending the app is rejected by App Review ' +
      '(guideline 2.5.4), and iOS suspends the app anyway once another app interrupts its audio session. Beginning a ' +
      'new background task inside an expiration handler tries to chain tasks past the time the system granted; iOS ' +
      'gives no more time that way and kills an app that keeps tasks running past expiry. The silent-audio check ' +
      'needs the target\'s Info.plist (silent without one, and without the `audio` mode nothing keeps the app alive). ' +
      'A chained begin is found in the expiration handler itself or in the code it calls (the call-summary layer).',
    symptom:
      'App Review rejects the app: "the audio background mode is only supposed to be used for audio playback"; a chained ' +
      'task ends with "This app will likely be terminated by the system".',
    fix:
      'Use the API made for the work: a `BGProcessingTaskRequest` for long work, a background `URLSession` for ' +
      'transfers, a background task that ends when its time runs out. End the task in the expiration handler instead ' +
      'of beginning another.',
    references: [
      'https://developer.apple.com/app-store/review/guidelines/#software-requirements',
      'https://developer.apple.com/documentation/uikit/uiapplication/1623031-beginbackgroundtask',
      'https://developer.apple.com/forums/thread/85066',
    ],
    tags: ['correctness', 'app-review', 'background-tasks'],
    precision: 'high',
    messages: {
      silentAudio: 'This player loops forever {{how}} under the `audio` background mode: playing silence to keep the app running is rejected by App Review, and iOS suspends the app anyway when its audio session is interrupted. Do the work with a BGProcessingTask, a background URLSession or a background task instead.',
      chained: 'A background task begun inside an expiration handler{{via}} chains tasks to stay alive past the time iOS granted: no more time is given this way, and the app is killed for running past expiry. End the task in the expiration handler and schedule the rest of the work as a BGProcessingTask.',
    },
    examples: {
      swift: {
        invalid: [
          { code: `final class KeepAlive {\n  private var player: AVAudioPlayer?\n  func start() throws {\n    let url = Bundle.main.url(forResource: "tone", withExtension: "m4a")!\n    player = try ↓AVAudioPlayer(contentsOf: url)\n    player?.volume = 0\n    player?.numberOfLoops = -1\n    player?.play()\n  }\n}`, project: { infoPlist: { UIBackgroundModes: ['audio', 'fetch'] } } },
          { code: `final class Heartbeat {\n  private var player = AVAudioPlayer()\n  func start(_ tone: URL) throws {\n    try player = ↓AVAudioPlayer(contentsOf: tone)\n    player.numberOfLoops = -1\n    player.volume = 0.01\n    player.play()\n  }\n}`, project: { infoPlist: { UIBackgroundModes: ['audio'] } } },
          { code: `func keepRunning() throws {\n  let url = Bundle.main.url(forResource: "silence", withExtension: "mp3")!\n  let player = try ↓AVAudioPlayer(contentsOf: url)\n  player.numberOfLoops = -1\n  player.play()\n}`, project: { infoPlist: { UIBackgroundModes: ['audio'] } } },
          `final class Sync {\n  private var task = UIBackgroundTaskIdentifier.invalid\n  func extend() {\n    task = UIApplication.shared.beginBackgroundTask { [weak self] in\n      guard let self else { return }\n      let old = self.task\n      self.task = UIApplication.shared.↓beginBackgroundTask(expirationHandler: nil)\n      UIApplication.shared.endBackgroundTask(old)\n    }\n  }\n}`,
          `final class Sync {\n  private var task = UIBackgroundTaskIdentifier.invalid\n  func startBackgroundTask() {\n    let previous = task\n    task = UIApplication.shared.↓beginBackgroundTask { [weak self] in\n      self?.startBackgroundTask()\n    }\n    UIApplication.shared.endBackgroundTask(previous)\n  }\n}`,
          `final class Sync {\n  private var task = UIBackgroundTaskIdentifier.invalid\n  func start() {\n    task = UIApplication.shared.beginBackgroundTask(expirationHandler: renew)\n  }\n  private func renew() {\n    let old = task\n    task = UIApplication.shared.↓beginBackgroundTask(expirationHandler: nil)\n    UIApplication.shared.endBackgroundTask(old)\n  }\n}`,
        ],
        valid: [
          { code: `final class Player {\n  private var player: AVAudioPlayer?\n  func playPreview(_ url: URL) throws {\n    player = try AVAudioPlayer(contentsOf: url)\n    player?.volume = 0\n    player?.play()\n    player?.setVolume(1, fadeDuration: 2)\n  }\n}`, project: { infoPlist: { UIBackgroundModes: ['audio'] } } },
          { code: `final class Ambience {\n  private var player: AVAudioPlayer?\n  func start(_ url: URL) throws {\n    player = try AVAudioPlayer(contentsOf: url)\n    player?.numberOfLoops = -1\n    player?.volume = 0.6\n    player?.play()\n  }\n}`, project: { infoPlist: { UIBackgroundModes: ['audio'] } } },
          { code: `final class KeepAlive {\n  private var player: AVAudioPlayer?\n  func start(_ url: URL) throws {\n    player = try AVAudioPlayer(contentsOf: url)\n    player?.volume = 0\n    player?.numberOfLoops = -1\n  }\n}`, project: { infoPlist: { UIBackgroundModes: ['fetch'] } } },
          `final class Sync {\n  private var task = UIBackgroundTaskIdentifier.invalid\n  func start() {\n    task = UIApplication.shared.beginBackgroundTask { [weak self] in\n      self?.stop()\n    }\n  }\n  func stop() {\n    UIApplication.shared.endBackgroundTask(task)\n    task = .invalid\n  }\n  func resume() {\n    task = UIApplication.shared.beginBackgroundTask { [weak self] in self?.stop() }\n  }\n}`,
          `final class Sync {\n  private var task = UIBackgroundTaskIdentifier.invalid\n  func start() {\n    let onExpire: () -> Void = { [weak self] in\n      guard let self else { return }\n      UIApplication.shared.endBackgroundTask(self.task)\n      self.task = .invalid\n    }\n    task = UIApplication.shared.beginBackgroundTask(expirationHandler: onExpire)\n  }\n}`,
        ],
      },
      objc: {
        invalid: [
          { code: `@implementation KeepAlive\n- (void)start {\n  NSURL *url = [[NSBundle mainBundle] URLForResource:@"tone" withExtension:@"caf"];\n  self.player = ↓[[AVAudioPlayer alloc] initWithContentsOfURL:url error:nil];\n  self.player.volume = 0.0;\n  self.player.numberOfLoops = -1;\n  [self.player play];\n}\n@end`, project: { infoPlist: { UIBackgroundModes: ['audio'] } } },
          `@implementation KeepAliveManager\n+ (instancetype)shared {\n  static KeepAliveManager *shared;\n  static dispatch_once_t once;\n  dispatch_once(&once, ^{ shared = [KeepAliveManager new]; });\n  return shared;\n}\n- (void)beginTask {\n  self.taskID = [[UIApplication sharedApplication] ↓beginBackgroundTaskWithName:@"daemon" expirationHandler:^{\n    [[KeepAliveManager shared] endTask];\n    [[KeepAliveManager shared] beginTask];\n  }];\n}\n- (void)endTask {\n  [[UIApplication sharedApplication] endBackgroundTask:self.taskID];\n  self.taskID = UIBackgroundTaskInvalid;\n}\n@end`,
          `@implementation Sync\n- (void)extend {\n  self.task = [[UIApplication sharedApplication] beginBackgroundTaskWithExpirationHandler:^{\n    UIBackgroundTaskIdentifier old = self.task;\n    self.task = [[UIApplication sharedApplication] ↓beginBackgroundTaskWithExpirationHandler:^{}];\n    [[UIApplication sharedApplication] endBackgroundTask:old];\n  }];\n}\n@end`,
          `@implementation Sync\n- (void)start {\n  self.onExpire = ^{\n    UIBackgroundTaskIdentifier old = self.task;\n    self.task = [[UIApplication sharedApplication] ↓beginBackgroundTaskWithExpirationHandler:^{}];\n    [[UIApplication sharedApplication] endBackgroundTask:old];\n  };\n  self.task = [[UIApplication sharedApplication] beginBackgroundTaskWithExpirationHandler:self.onExpire];\n}\n@end`,
        ],
        valid: [
          { code: `@implementation Ambience\n- (void)start:(NSURL *)url {\n  self.player = [[AVAudioPlayer alloc] initWithContentsOfURL:url error:nil];\n  self.player.numberOfLoops = -1;\n  [self.player play];\n}\n@end`, project: { infoPlist: { UIBackgroundModes: ['audio'] } } },
          `@implementation Sync\n- (void)start {\n  self.task = [[UIApplication sharedApplication] beginBackgroundTaskWithExpirationHandler:^{\n    [[UIApplication sharedApplication] endBackgroundTask:self.task];\n    self.task = UIBackgroundTaskInvalid;\n  }];\n}\n@end`,
          `@implementation Sync\n- (void)start {\n  void (^onExpire)(void) = ^{\n    [[UIApplication sharedApplication] endBackgroundTask:self.task];\n    self.task = UIBackgroundTaskInvalid;\n  };\n  self.task = [[UIApplication sharedApplication] beginBackgroundTaskWithExpirationHandler:onExpire];\n}\n@end`,
        ],
      },
    },
    triggers: [...BACKGROUND_TASK_TRIGGERS, 'numberOfLoops'],
  },
  create(context) {
    const reported = new Set<CallExpr>();
    const checkBegin = (call: CallExpr) => checkChainedBegins(context, call, reported);
    return {
      ...Object.fromEntries(BEGIN_BACKGROUND_TASK.map((sig) => [`call:${sig}`, checkBegin])),
      assign: (node: AssignExpr) => checkSilentLoop(context, node),
    };
  },
});

// ── chained background tasks ─────────────────────────────────────────────────

function isBegin(call: CallExpr): boolean {
  return BEGIN_BACKGROUND_TASK.some((sig) => matchesSignature(call, sig));
}

const BEGIN: Consumer = { id: 'begin-background-task', consumes: isBegin };

/**
 * Every begin that an expiration handler runs, in the handler or in code it calls (the call-summary
 * layer), is reported once at that inner begin, relating the task whose handler it is.
 */
function checkChainedBegins(context: RuleContext, outer: CallExpr, reported: Set<CallExpr>): void {
  const argument = expirationHandlerOf(outer);
  // Written in place, or a closure, block or method passed by name.
  const handlers = argument ? resolveCode(argument, outer, context.index) : [];
  if (handlers.length !== 1 || !handlers[0]!.body) return;
  const handler = handlers[0]!;
  for (const inner of CallSummaries.of(outer, context.index).useIn(handler.body!, undefined, BEGIN).at) {
    if (reported.has(inner)) continue;
    reported.add(inner);
    const direct = [...ancestors(inner)].includes(handler);
    context.report({
      at: inner.nameSpan,
      messageId: 'chained',
      data: { via: direct ? '' : ' (in code the handler calls)' },
      related: [{ at: outer.nameSpan, message: 'the task whose expiration handler begins this one' }],
    });
  }
}

// ── silent audio ─────────────────────────────────────────────────────────────

const SILENT_FILE = /(^|[^a-z])(silence|silent|blank|mute|empty)/i;

/** `player.numberOfLoops = -1` on a player that is muted (`volume = 0`) or plays a silent file, under the `audio` mode. */
function checkSilentLoop(context: RuleContext, node: AssignExpr): void {
  if (lastName(node.target) !== 'numberOfLoops' || !isNegative(node.value)) return;
  const infoPlist = processInfoPlist(context.project);
  if (!infoPlist || !hasBackgroundMode(infoPlist, 'audio')) return;
  const player = storageName(node.target.kind === 'member' ? node.target.object : undefined);
  const scope = enclosingFunction(node);
  if (!player || !scope) return;
  const creation = playerCreation(scope, player);
  const how = mutedIn(scope, player) ? 'at an inaudible volume' : creation && silentFileIn(scope) ? 'over a silent file' : undefined;
  if (!how) return;
  context.report({
    at: creation ?? node,
    messageId: 'silentAudio',
    data: { how },
    related: [relatedAtKey(infoPlist, ['UIBackgroundModes'], 'the audio background mode')],
  });
}

function isNegative(value: Expr): boolean {
  if (value.kind === 'unary' && value.operator === '-') return value.operand.kind === 'literal' && value.operand.type === 'number';
  return value.kind === 'literal' && value.type === 'number' && (value.value ?? '').startsWith('-');
}

/** `0`, `0.0`, `0.01f`: nobody hears a player at 1% volume or less. */
function isInaudible(value: Expr): boolean {
  return value.kind === 'literal' && value.type === 'number' && Number(value.value?.replace(/[fF]$/, '')) <= 0.01;
}

function mutedIn(scope: SyntaxNode, player: string): boolean {
  return [...descendants(scope)].some(
    (n) => n.kind === 'assign' && lastName(n.target) === 'volume' && n.target.kind === 'member' && storageName(n.target.object) === player && isInaudible(n.value),
  );
}

/** The `AVAudioPlayer(…)` / `[[AVAudioPlayer alloc] init…]` stored in `player` in this function. */
function playerCreation(scope: SyntaxNode, player: string): CallExpr | undefined {
  for (const n of descendants(scope)) {
    const value = n.kind === 'var' && n.name === player ? n.value : n.kind === 'assign' && storageName(n.target) === player ? n.value : undefined;
    // The innermost call that names the class (`AVAudioPlayer(…)`, `[[AVAudioPlayer alloc] init…]`).
    const created = value ? callsIn(value, (c) => c.baseName === 'AVAudioPlayer' || memberPath(c.receiver)[0] === 'AVAudioPlayer') : [];
    if (created.length > 0) return created[created.length - 1];
  }
  return undefined;
}

function silentFileIn(scope: SyntaxNode): boolean {
  return [...descendants(scope)].some((n) => n.kind === 'literal' && n.type === 'string' && !n.dynamic && SILENT_FILE.test(n.value ?? ''));
}
