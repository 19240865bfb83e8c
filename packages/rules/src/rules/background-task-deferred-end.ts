import {
  BACKGROUND_TASK_TRIGGERS, BEGIN_BACKGROUND_TASK, TaskEnding, asClosure, defineRule, descendants, expirationHandlerOf,
  isMainQueue, isNil, isUIKitBegin, storedTaskName,
} from '@bglint/core';
import type { CallExpr, ClosureExpr, Fix, RuleContext } from '@bglint/core';

export default defineRule({
  meta: {
    id: 'background-task-deferred-end',
    severity: 'error',
    since: '0.1.0',
    summary: 'End a background task inside its expiration handler, not in work dispatched from it.',
    why:
      'The expiration handler runs synchronously on the main thread, and the task must be ended before the ' +
      'handler returns. Ending it in `DispatchQueue.main.async`, `dispatch_async`, `Task {}`, `asyncAfter` or ' +
      '`perform(_:afterDelay:)` ends it after the handler has returned: too late.',
    symptom: 'The log says "Background task still not ended after expiration handlers were called", then the app is killed.',
    logPatterns: [{ pattern: /still not ended after expiration handlers were called/i, weight: 3 }],
    fix: 'Call `endBackgroundTask` directly in the expiration handler (it is already on the main thread), and do any other cleanup after it.',
    references: [
      'https://developer.apple.com/documentation/uikit/uiapplication/1623031-beginbackgroundtask',
      'https://developer.apple.com/forums/thread/759585',
    ],
    tags: ['correctness', 'background-tasks'],
    precision: 'very-high',
    fixable: true,
    messages: {
      deferred: 'The expiration handler ends the task only inside {{wrapper}}, which runs after the handler returns; by then the system has given up and may kill the app. Call endBackgroundTask directly in the handler.',
    },
    examples: {
      swift: {
        invalid: [
          `func start() {\n  task = UIApplication.shared.↓beginBackgroundTask(withName: "sync") {\n    DispatchQueue.main.async {\n      UIApplication.shared.endBackgroundTask(self.task)\n      self.task = .invalid\n    }\n  }\n}`,
          `func start() {\n  taskID = UIApplication.shared.↓beginBackgroundTask(withName: "loop") {\n    Task { @MainActor in\n      UIApplication.shared.endBackgroundTask(taskID)\n    }\n  }\n}`,
          `func start() {\n  task = UIApplication.shared.↓beginBackgroundTask {\n    DispatchQueue.global().asyncAfter(deadline: .now() + 1) {\n      UIApplication.shared.endBackgroundTask(self.task)\n    }\n  }\n}`,
          `final class Worker: NSObject {\n  var task: UIBackgroundTaskIdentifier = .invalid\n  func start() {\n    task = UIApplication.shared.↓beginBackgroundTask { [weak self] in\n      self?.perform(#selector(Worker.stop), with: nil, afterDelay: 0)\n    }\n  }\n  @objc func stop() {\n    UIApplication.shared.endBackgroundTask(task)\n  }\n}`,
          `func start() {\n  task = UIApplication.shared.↓beginBackgroundTask {\n    OperationQueue.main.addOperation { UIApplication.shared.endBackgroundTask(self.task) }\n  }\n}`,
          // Deferred inside the method the handler calls, in another file.
          { code: `final class Syncer {\n  func start() {\n    task = UIApplication.shared.↓beginBackgroundTask { [weak self] in self?.cleanUp() }\n    client.sync { [weak self] in self?.endNow() }\n  }\n}`, project: { sources: [`extension Syncer {\n  func cleanUp() {\n    DispatchQueue.main.async { UIApplication.shared.endBackgroundTask(self.task) }\n  }\n  func endNow() { UIApplication.shared.endBackgroundTask(task) }\n}`] } },
          // Deferred inside a local closure passed by name.
          `func start() {\n  let expire = { Task { @MainActor in UIApplication.shared.endBackgroundTask(taskID) } }\n  taskID = UIApplication.shared.↓beginBackgroundTask(expirationHandler: expire)\n}`,
        ],
        valid: [
          `func start() {\n  task = UIApplication.shared.beginBackgroundTask(withName: "sync") {\n    UIApplication.shared.endBackgroundTask(self.task)\n    DispatchQueue.main.async { self.cancel() }\n  }\n}`,
          `func start() {\n  task = UIApplication.shared.beginBackgroundTask { [weak self] in self?.finish() }\n}\nfunc finish() { UIApplication.shared.endBackgroundTask(task) }`,
          // A local func that ends the task synchronously, passed by name.
          `func start() {\n  func expire() {\n    UIApplication.shared.endBackgroundTask(taskID)\n    DispatchQueue.main.async { self.reportExpiry() }\n  }\n  taskID = UIApplication.shared.beginBackgroundTask(expirationHandler: expire)\n}`,
          // The end in the handler's defer runs before the handler returns.
          `func start() {\n  task = UIApplication.shared.beginBackgroundTask {\n    defer { UIApplication.shared.endBackgroundTask(self.task) }\n    self.cancel()\n  }\n}`,
        ],
      },
      objc: {
        invalid: [
          `@implementation Worker\n- (void)start {\n  backgroundTask = [[UIApplication sharedApplication] ↓beginBackgroundTaskWithExpirationHandler:^{\n    dispatch_async(dispatch_get_main_queue(), ^{\n      [[UIApplication sharedApplication] endBackgroundTask:backgroundTask];\n      backgroundTask = UIBackgroundTaskInvalid;\n    });\n  }];\n}\n@end`,
          `@implementation Worker\n- (void)start {\n  self.task = [[UIApplication sharedApplication] ↓beginBackgroundTaskWithExpirationHandler:^{\n    [self performSelector:@selector(finish) withObject:nil afterDelay:0];\n  }];\n}\n- (void)finish {\n  [[UIApplication sharedApplication] endBackgroundTask:self.task];\n}\n@end`,
          // The handler's method hands the end to another thread without waiting for it.
          `@implementation Loader\n- (void)start {\n  _taskID = [[UIApplication sharedApplication] ↓beginBackgroundTaskWithExpirationHandler:^{\n    [self cancel];\n  }];\n}\n- (void)cancel {\n  [self performSelector:@selector(cancelOnNetworkThread) onThread:self.networkThread withObject:nil waitUntilDone:NO];\n}\n- (void)cancelOnNetworkThread {\n  [[UIApplication sharedApplication] endBackgroundTask:_taskID];\n  _taskID = UIBackgroundTaskInvalid;\n}\n@end`,
          `@implementation Worker\n- (void)start {\n  self.task = [[UIApplication sharedApplication] ↓beginBackgroundTaskWithExpirationHandler:^{\n    [[NSOperationQueue mainQueue] addOperationWithBlock:^{\n      [[UIApplication sharedApplication] endBackgroundTask:self.task];\n    }];\n  }];\n}\n@end`,
          `@implementation Worker\n- (void)start {\n  self.task = [[UIApplication sharedApplication] ↓beginBackgroundTaskWithExpirationHandler:^{ [self expire]; }];\n}\n- (void)expire {\n  dispatch_after(dispatch_time(DISPATCH_TIME_NOW, NSEC_PER_SEC), dispatch_get_global_queue(0, 0), ^{\n    [[UIApplication sharedApplication] endBackgroundTask:self.task];\n  });\n}\n@end`,
        ],
        valid: [
          // Waiting until the other thread has ended it: the end happens before the handler returns.
          `@implementation Loader\n- (void)start {\n  _taskID = [[UIApplication sharedApplication] beginBackgroundTaskWithExpirationHandler:^{\n    [self cancel];\n  }];\n  [self load];\n}\n- (void)load {\n  [self cancelOnNetworkThread];\n}\n- (void)cancel {\n  [self performSelector:@selector(cancelOnNetworkThread) onThread:self.networkThread withObject:nil waitUntilDone:YES];\n}\n- (void)cancelOnNetworkThread {\n  [[UIApplication sharedApplication] endBackgroundTask:_taskID];\n  _taskID = UIBackgroundTaskInvalid;\n}\n@end`,
          `@implementation Worker\n- (void)start {\n  backgroundTask = [[UIApplication sharedApplication] beginBackgroundTaskWithExpirationHandler:^{\n    [[UIApplication sharedApplication] endBackgroundTask:backgroundTask];\n    backgroundTask = UIBackgroundTaskInvalid;\n  }];\n}\n@end`,
          `@implementation Worker\n- (void)start {\n  self.task = [[UIApplication sharedApplication] beginBackgroundTaskWithExpirationHandler:^{ [self expire]; }];\n}\n- (void)expire {\n  [[UIApplication sharedApplication] endBackgroundTask:self.task];\n  dispatch_async(dispatch_get_main_queue(), ^{ [self.delegate workerDidExpire:self]; });\n}\n@end`,
          `@implementation Worker\n- (void)start {\n  void (^expire)(void) = ^{ [[UIApplication sharedApplication] endBackgroundTask:self.task]; };\n  self.task = [[UIApplication sharedApplication] beginBackgroundTaskWithExpirationHandler:expire];\n}\n@end`,
        ],
      },
    },
    triggers: BACKGROUND_TASK_TRIGGERS,
  },
  create(context) {
    const check = (call: CallExpr) => checkHandler(context, call);
    return Object.fromEntries(BEGIN_BACKGROUND_TASK.map((sig) => [`call:${sig}`, check]));
  },
});

function checkHandler(context: RuleContext, begin: CallExpr): void {
  const handler = expirationHandlerOf(begin);
  if (!handler || isNil(handler) || !isUIKitBegin(begin, context.index)) return;
  const { use } = new TaskEnding(begin, storedTaskName(begin), context.index).handlerUse(handler);
  // No end at all is background-task-unbalanced's finding; an end on some synchronous path is fine.
  if (use.consumed !== 'deferred' || !use.hop) return;
  const wrapper = use.hop.call;
  const related = [];
  if (wrapper) related.push({ at: wrapper.nameSpan, message: 'the end is deferred from here' });
  if (use.at[0]) related.push({ at: use.at[0], message: 'the task is ended here, after the handler returned' });
  context.report({
    at: begin.nameSpan,
    messageId: 'deferred',
    data: { wrapper: wrapper ? `\`${wrapperText(context.text.slice(wrapper.startIndex, wrapper.nameSpan.endIndex))}\`` : HOP_NAMES[use.hop.kind] },
    related,
    fix: handler.kind === 'closure' && wrapper ? unwrapFix(context, handler, wrapper) : undefined,
  });
}

/** `DispatchQueue.main.async`, `dispatch_async`, `[self performSelector:…]`: the hop as written, in one line. */
function wrapperText(written: string): string {
  return written.startsWith('[') ? `${written.replace(/\s+/g, ' ')}:…]` : written.replace(/\s+/g, '');
}

const HOP_NAMES: Record<string, string> = {
  'queue-async': 'work dispatched asynchronously to a queue',
  'async-after': '`asyncAfter`',
  task: 'a `Task`',
  'perform-after-delay': '`perform(_:with:afterDelay:)`',
  'perform-on-thread': 'a `performSelector` that does not wait for it (`waitUntilDone:NO`)',
  'operation-queue': 'an operation queue',
  'run-loop': 'a run loop `perform`',
  timer: 'a timer',
  notify: 'a dispatch group notification',
};

/**
 * The safe fix: the handler already runs on the main thread, so a `DispatchQueue.main.async { … }`
 * (or `dispatch_async(dispatch_get_main_queue(), ^{ … })`) written as a statement of the handler can
 * run its statements in place. Not offered when the block returns early, or for other queues and `Task`.
 */
function unwrapFix(context: RuleContext, handler: ClosureExpr, wrapper: CallExpr): Fix | undefined {
  const block = wrapper.args.map((a) => asClosure(a.value)).find((c) => c !== undefined);
  if (wrapper.parent !== handler.body || wrapper.baseName !== 'async' || !isMainQueue(wrapper.receiver) || !block) return undefined;
  const statements = block.body.body;
  if (statements.length === 0 || [...descendants(block.body, (n) => n.kind !== 'closure')].some((n) => n.kind === 'jump')) return undefined;
  const text = context.text;
  const inner = text.slice(statements[0]!.startIndex, statementEnd(text, statements[statements.length - 1]!.endIndex));
  const outdent = indentOf(text, statements[0]!.startIndex).slice(indentOf(text, wrapper.startIndex).length);
  const unwrapped = inner.split('\n').map((line, i) => (i > 0 && line.startsWith(outdent) ? line.slice(outdent.length) : line)).join('\n');
  const end = statementEnd(text, wrapper.endIndex);
  return { description: 'End the task in the handler itself, without dispatching to the main queue', edits: [context.replace({ ...wrapper, endIndex: end }, unwrapped)] };
}

/** Past a `;` that ends the statement at `index`, if there is one (Objective-C). */
function statementEnd(text: string, index: number): number {
  const match = /^[ \t]*;/.exec(text.slice(index, index + 64));
  return match ? index + match[0].length : index;
}

function indentOf(text: string, index: number): string {
  const lineStart = text.lastIndexOf('\n', index - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}
