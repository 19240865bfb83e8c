import { CallSummaries, bindArguments, calleeIsolation, callsIn, defineRule, isMainQueue, isNil, isolationAt, memberPath } from '@bglint/core';
import type { CallExpr, ClosureExpr, Expr, Isolation, RuleContext } from '@bglint/core';

const REGISTER = 'register(forTaskWithIdentifier:using:launchHandler:)';

export default defineRule({
  meta: {
    id: 'bgtask-handler-main-actor',
    severity: 'error',
    since: '0.1.0',
    summary: 'A BGTask launch handler registered with `using: nil` must not be main-actor isolated.',
    why:
      'With `using: nil` the launch handler runs on a background queue. Under Swift 6, a closure that is not ' +
      '`@Sendable` and is formed in a main-actor context (an `App`, a `UIApplicationDelegate`, a `@MainActor` type) ' +
      'is itself main-actor isolated, and the compiler inserts a check at its entry that traps when it runs off the ' +
      'main queue (SE-0423). The same holds for `MainActor.assumeIsolated` and `dispatchPrecondition(.onQueue(.main))` ' +
      'inside a handler on a background queue. It is an error in Swift 6 language mode and a warning otherwise, ' +
      'where the crash comes with the migration. Objective-C has no actor isolation and is never reported.',
    symptom: '`EXC_BREAKPOINT` in `_dispatch_assert_queue_fail` on the `com.apple.BGTaskScheduler` queue.',
    logPatterns: [
      { pattern: /_dispatch_assert_queue_fail/, weight: 2 },
      { pattern: /Incorrect actor executor assumption/i, weight: 2 },
      { pattern: /com\.apple\.BGTaskScheduler\b/, weight: 1 },
      { pattern: /\bEXC_BREAKPOINT\b|swift_task_isCurrentExecutor|\bdispatch_assert_queue\b/, weight: 1 },
    ],
    fix: 'Pass `using: .main`, or register from a `nonisolated` function with a `@Sendable` closure and hop to the main actor only for the work that needs it.',
    references: [
      'https://developer.apple.com/documentation/backgroundtasks/bgtaskscheduler/register(fortaskwithidentifier:using:launchhandler:)',
      'https://github.com/swiftlang/swift-evolution/blob/main/proposals/0423-dynamic-actor-isolation.md',
    ],
    tags: ['correctness', 'concurrency', 'background-tasks'],
    precision: 'high',
    hasSuggestions: true,
    messages: {
      isolated: 'This launch handler runs on a background queue (`using: {{queue}}`), but it is formed in a main-actor context ({{because}}), so Swift 6 checks its isolation at entry and the app crashes in _dispatch_assert_queue_fail. {{mode}} Pass `using: .main`, or register from a nonisolated function with a @Sendable closure.',
      callsMainActor: '`{{call}}` is main-actor isolated ({{because}}), but this launch handler calls it synchronously on a background queue (`using: {{queue}}`), where its isolation check traps. {{mode}} Register with `using: .main`, or hop with `Task { @MainActor in … }`.',
      assumesMain: '{{call}} runs in a launch handler on a background queue (`using: {{queue}}`) and will trap. {{mode}} Register with `using: .main`, or hop with `await MainActor.run {}`.',
    },
    examples: {
      swift: {
        invalid: [
          `@main struct ExportApp: App {\n  init() {\n    BGTaskScheduler.shared.↓register(forTaskWithIdentifier: "com.example.refresh", using: nil) { task in\n      Store.shared.refresh(task)\n    }\n  }\n  var body: some Scene { WindowGroup { ContentView() } }\n}`,
          `class AppDelegate: UIResponder, UIApplicationDelegate {\n  func application(_ application: UIApplication, didFinishLaunchingWithOptions options: [UIApplication.LaunchOptionsKey: Any]?) -> Bool {\n    BGTaskScheduler.shared.↓register(forTaskWithIdentifier: "com.example.refresh", using: nil, launchHandler: { task in self.refresh(task) })\n    return true\n  }\n}`,
          `enum Refresher {\n  static func register() {\n    BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.refresh", using: nil) { @Sendable task in\n      ↓MainActor.assumeIsolated { Model.shared.reload() }\n    }\n  }\n}`,
          `@MainActor final class Library {\n  static let shared = Library()\n  func reload() {}\n}\nenum Refresher {\n  static func register() {\n    BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.refresh", using: nil) { @Sendable task in\n      Library.shared.↓reload()\n      task.setTaskCompleted(success: true)\n    }\n  }\n}`,
          // The handler passed by name: a local closure formed in the App's init is main-actor isolated too.
          `@main struct ExportApp: App {\n  init() {\n    let refresh = { (task: BGTask) in Store.shared.refresh(task) }\n    BGTaskScheduler.shared.↓register(forTaskWithIdentifier: "com.example.refresh", using: nil, launchHandler: refresh)\n  }\n  var body: some Scene { WindowGroup { ContentView() } }\n}`,
          `enum Refresher {\n  static func register(queue: DispatchQueue) {\n    BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.refresh", using: queue) { @Sendable task in\n      ↓dispatchPrecondition(condition: .onQueue(.main))\n      task.setTaskCompleted(success: true)\n    }\n  }\n}`,
        ],
        valid: [
          `@main struct ExportApp: App {\n  init() {\n    BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.refresh", using: .main) { task in\n      Store.shared.refresh(task)\n    }\n  }\n  var body: some Scene { WindowGroup { ContentView() } }\n}`,
          `final class BackgroundRefresher {\n  func register() {\n    BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.refresh", using: nil) { task in\n      self.refresh(task)\n    }\n  }\n}`,
          `@MainActor final class AppModel {\n  nonisolated func registerTasks() {\n    BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.refresh", using: nil) { @Sendable task in\n      Task { await AppModel.refresh(task) }\n    }\n  }\n}`,
          `@MainActor final class Library {\n  static let shared = Library()\n  func reload() {}\n  nonisolated func scheduleNext() {}\n}\nenum Refresher {\n  static func register() {\n    BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.refresh", using: nil) { @Sendable task in\n      Library.shared.scheduleNext()\n      Task { @MainActor in Library.shared.reload() }\n    }\n  }\n}`,
          `class AppDelegate: UIResponder, UIApplicationDelegate {\n  func application(_ application: UIApplication, didFinishLaunchingWithOptions options: [UIApplication.LaunchOptionsKey: Any]?) -> Bool {\n    BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.refresh", using: DispatchQueue.main) { task in\n      self.refresh(task)\n    }\n    return true\n  }\n}`,
          // A handler passed by name, registered with using: .main.
          `@main struct ExportApp: App {\n  init() {\n    let refresh = { (task: BGTask) in Store.shared.refresh(task) }\n    BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.refresh", using: .main, launchHandler: refresh)\n  }\n  var body: some Scene { WindowGroup { ContentView() } }\n}`,
        ],
      },
      objc: {
        invalid: [],
        valid: [
          `@implementation AppDelegate\n- (BOOL)application:(UIApplication *)application didFinishLaunchingWithOptions:(NSDictionary *)options {\n  [[BGTaskScheduler sharedScheduler] registerForTaskWithIdentifier:@"com.example.refresh" usingQueue:nil launchHandler:^(BGTask *task) {\n    [self refresh:task];\n  }];\n  return YES;\n}\n@end`,
          `@implementation AppDelegate\n- (BOOL)application:(UIApplication *)application didFinishLaunchingWithOptions:(NSDictionary *)options {\n  void (^refresh)(BGTask *) = ^(BGTask *task) { [self refresh:task]; };\n  [[BGTaskScheduler sharedScheduler] registerForTaskWithIdentifier:@"com.example.refresh" usingQueue:dispatch_get_main_queue() launchHandler:refresh];\n  return YES;\n}\n@end`,
        ],
      },
    },
    triggers: ['forTaskWithIdentifier'],
  },
  create(context) {
    if (context.language !== 'swift') return {};
    return { [`call:${REGISTER}`]: (call: CallExpr) => checkRegistration(context, call) };
  },
});

function checkRegistration(context: RuleContext, call: CallExpr): void {
  const args = bindArguments(call, REGISTER)!;
  const queue = args.get('using');
  if (isMainQueue(queue)) return;
  const handler = launchClosure(args.get('launchHandler'), call, context);
  if (!handler) return;
  const swift6 = (context.target.swiftLanguageMode ?? 5) >= 6;
  const mode = swift6
    ? 'The target builds in Swift 6 language mode, so this is an error.'
    : 'This is a warning in Swift 5 language mode; it becomes this crash when the target moves to Swift 6.';
  const severity = swift6 ? 'error' : 'warning';
  const queueText = queue ? context.text.slice(queue.startIndex, queue.endIndex) : 'nil';
  const isolation = isolationAt(handler, context.index, context.target);
  if (isolation.mainActor) {
    context.report({
      at: call.nameSpan,
      messageId: 'isolated',
      data: { queue: queueText, because: isolation.because, mode },
      severity,
      suggest: useMainSuggestion(context, queue),
    });
    return;
  }
  for (const assumption of mainThreadAssumptions(handler)) {
    context.report({ at: assumption, messageId: 'assumesMain', data: { call: describe(assumption), queue: queueText, mode }, severity });
  }
  for (const { call: callee, isolation: calleeIsolated } of mainActorCalls(handler, context)) {
    context.report({
      at: callee.nameSpan,
      messageId: 'callsMainActor',
      data: { call: context.text.slice(callee.startIndex, callee.nameSpan.endIndex), because: calleeIsolated.because, queue: queueText, mode },
      severity,
    });
  }
}

/** The handler closure, inline or passed by name (`launchHandler: handleRefresh` bound to a local closure). */
function launchClosure(handler: Expr | undefined, call: CallExpr, context: RuleContext): ClosureExpr | undefined {
  if (!handler) return undefined;
  const callable = CallSummaries.of(call, context.index).resolve(handler, call);
  const body = callable.kind === 'code' && callable.bodies.length === 1 ? callable.bodies[0] : undefined;
  return body?.kind === 'closure' ? body : undefined;
}

/** Synchronous calls, in the handler itself, to declarations the project isolates to the main actor. */
function mainActorCalls(handler: ClosureExpr, context: RuleContext): { call: CallExpr; isolation: Isolation }[] {
  return callsIn(handler.body, () => true, false).flatMap((call) => {
    const isolation = calleeIsolation(call, context.index);
    return isolation ? [{ call, isolation }] : [];
  });
}

function useMainSuggestion(context: RuleContext, queue: Expr | undefined) {
  if (!queue || !isNil(queue)) return [];
  return [{ description: 'Run the launch handler on the main queue (`using: .main`)', edits: [context.replace(queue, '.main')] }];
}

/** `MainActor.assumeIsolated {}` and `dispatchPrecondition(condition: .onQueue(.main))`, run synchronously in the handler. */
function mainThreadAssumptions(handler: ClosureExpr): CallExpr[] {
  return callsIn(handler.body, (c) => {
    if (c.baseName === 'assumeIsolated') return memberPath(c.receiver).join('.') === 'MainActor';
    if (c.baseName === 'dispatchPrecondition') return c.args.some((a) => a.value.kind === 'call' && a.value.baseName === 'onQueue' && a.value.args.some((q) => isMainQueue(q.value)));
    return false;
  }, false);
}

function describe(call: CallExpr): string {
  return call.baseName === 'assumeIsolated' ? '`MainActor.assumeIsolated`' : '`dispatchPrecondition(condition: .onQueue(.main))`';
}
