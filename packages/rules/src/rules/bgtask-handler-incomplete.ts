import { REGISTER_TASK, TaskFollower, defineRule, launchHandlerOf } from '@bglint/core';
import type { CallExpr, LaunchHandler, RuleContext, SyntaxNode, TaskUsage } from '@bglint/core';

const register = (handler: string) => `BGTaskScheduler.shared.↓register(forTaskWithIdentifier: "com.example.refresh", using: nil) { task in\n${handler}\n}`;
const registerObjC = (handler: string) =>
  `@implementation AppDelegate\n- (void)registerTasks {\n  [[BGTaskScheduler sharedScheduler] ↓registerForTaskWithIdentifier:@"com.example.refresh" usingQueue:nil launchHandler:^(BGTask *task) {\n${handler}\n  }];\n}\n@end`;
const clean = (example: string) => example.replace('↓', '');

export default defineRule({
  meta: {
    id: 'bgtask-handler-incomplete',
    severity: 'warning',
    since: '0.3.0',
    summary: 'A BGTask launch handler must set an expiration handler and call setTaskCompleted on every path.',
    why:
      'The system keeps the app running for a BGTask until the task is marked complete with `setTaskCompleted(success:)` ' +
      '(`setTaskCompletedWithSuccess:`), and asks for it through the task\'s `expirationHandler` when time runs out. A launch ' +
      'handler that never completes its task, or leaves on some path without completing it (an early `return`, a failed ' +
      '`as?` cast\'s `else`, a completion closure that returns early), keeps the app alive until the system kills it, and ' +
      'the system then runs the app\'s tasks less often. Without an expiration handler the work cannot be stopped in time. ' +
      'The task is followed into the functions of the same file it is handed to, into completion closures and `Task {}`, ' +
      'and through local names (`let refresh = task as! BGAppRefreshTask`); when it is handed to code in another file or ' +
      'stored in a property, that code is trusted to complete it. It is an error when nothing completes the task at all. ' +
      'SwiftUI\'s `.backgroundTask` modifier completes the task itself and is not checked.',
    symptom:
      'The app is killed in the background when the task\'s time runs out (a watchdog termination, "Task Timeout" in ' +
      'Organizer), and its refresh and processing tasks are scheduled less and less often.',
    fix:
      'Set `task.expirationHandler` to cancel the work and call `task.setTaskCompleted(success: false)`, and call ' +
      '`setTaskCompleted(success:)` on every path once the work ends: in a `defer`, in every branch, in the completion handler, ' +
      'and in the `else` of the cast.',
    references: [
      'https://developer.apple.com/documentation/backgroundtasks/bgtask/settaskcompleted(success:)',
      'https://developer.apple.com/documentation/backgroundtasks/bgtask/expirationhandler',
      'https://developer.apple.com/documentation/uikit/using-background-tasks-to-update-your-app',
    ],
    tags: ['correctness', 'background-tasks'],
    precision: 'high',
    hasSuggestions: true,
    messages: {
      neverCompleted: 'This launch handler never calls setTaskCompleted(success:) on its task, so the app keeps running until the system kills it and its background tasks are scheduled less often.{{expiration}} Call task.setTaskCompleted(success:) when the work ends.',
      incompletePath: 'The launch handler can finish without completing its task: {{where}} leaves without calling setTaskCompleted(success:), so the app keeps running until the system kills it.{{expiration}} Complete the task on that path too (a `defer` covers every path).',
      noExpirationHandler: 'This launch handler sets no expirationHandler on its task, so when its time runs out the work cannot be stopped and the task is not completed; the system kills the app. Set task.expirationHandler to cancel the work and call setTaskCompleted(success: false).',
    },
    examples: {
      swift: {
        invalid: [
          register(`  task.expirationHandler = { Feed.cancel() }\n  Feed.refresh()`),
          register(`  guard let refresh = task as? BGAppRefreshTask else { return }\n  refresh.expirationHandler = { refresh.setTaskCompleted(success: false) }\n  Feed.refresh { ok in refresh.setTaskCompleted(success: ok) }`),
          register(`  task.expirationHandler = { task.setTaskCompleted(success: false) }\n  Feed.refresh { result in\n    guard case .success = result else { return }\n    task.setTaskCompleted(success: true)\n  }`),
          register(`  Feed.refresh { ok in task.setTaskCompleted(success: ok) }`),
          `final class Refresher {\n  func registerTasks() {\n    BGTaskScheduler.shared.↓register(forTaskWithIdentifier: "com.example.refresh", using: nil) { task in\n      self.handleRefresh(task as! BGAppRefreshTask)\n    }\n  }\n  private func handleRefresh(_ task: BGAppRefreshTask) {\n    task.expirationHandler = { task.setTaskCompleted(success: false) }\n    if Feed.isUpToDate { return }\n    Feed.refresh { task.setTaskCompleted(success: true) }\n  }\n}`,
          `final class Refresher {\n  func registerTasks() {\n    BGTaskScheduler.shared.↓register(forTaskWithIdentifier: "com.example.refresh", using: nil) { task in\n      let onExpire = { task.setTaskCompleted(success: false) }\n      task.expirationHandler = onExpire\n      Feed.refresh()\n    }\n  }\n}`,
          `final class Refresher {\n  lazy var refreshHandler: (BGTask) -> Void = { task in\n    Feed.refresh { ok in task.setTaskCompleted(success: ok) }\n  }\n  func registerTasks() {\n    BGTaskScheduler.shared.↓register(forTaskWithIdentifier: "com.example.refresh", using: nil, launchHandler: refreshHandler)\n  }\n}`,
        ],
        valid: [
          clean(register(`  task.expirationHandler = { task.setTaskCompleted(success: false) }\n  defer { task.setTaskCompleted(success: true) }\n  guard Feed.needsRefresh else { return }\n  Feed.refreshNow()`)),
          clean(register(`  task.expirationHandler = { Feed.cancel() }\n  switch Feed.state {\n  case .idle: task.setTaskCompleted(success: true)\n  case .stale: Feed.refresh { ok in task.setTaskCompleted(success: ok) }\n  default: task.setTaskCompleted(success: false)\n  }`)),
          `final class Refresher {\n  func registerTasks() {\n    BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.refresh", using: nil) { task in\n      self.handleRefresh(task as! BGAppRefreshTask)\n    }\n  }\n  private func handleRefresh(_ task: BGAppRefreshTask) {\n    let operation = RefreshOperation()\n    task.expirationHandler = { operation.cancel() }\n    operation.completionBlock = { task.setTaskCompleted(success: !operation.isCancelled) }\n    queue.addOperation(operation)\n  }\n}`,
          clean(register(`  AppModel.shared.handleBackgroundRefresh(task: task as! BGAppRefreshTask)`)),
          clean(register(`  Feed.markStale()\n  task.setTaskCompleted(success: true)`)),
          clean(register(`  var done = false\n  func complete(_ ok: Bool) {\n    guard !done else { return }\n    done = true\n    task.setTaskCompleted(success: ok)\n  }\n  task.expirationHandler = { complete(false) }\n  Feed.refresh().done { complete(true) }.catch { _ in complete(false) }`)),
          clean(register(`  task.expirationHandler = { task.setTaskCompleted(success: false) }\n  Task {\n    do {\n      try await Feed.refresh()\n      task.setTaskCompleted(success: true)\n    } catch {\n      task.setTaskCompleted(success: false)\n    }\n  }`)),
          `@main struct FeedApp: App {\n  var body: some Scene {\n    WindowGroup { ContentView() }\n      .backgroundTask(.appRefresh("com.example.refresh")) { await Feed.refresh() }\n  }\n}`,
          `final class Refresher {\n  func registerTasks() {\n    BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.refresh", using: nil) { task in\n      let onExpire = { task.setTaskCompleted(success: false) }\n      task.expirationHandler = onExpire\n      defer { task.setTaskCompleted(success: true) }\n      Feed.refreshNow()\n    }\n  }\n}`,
        ],
      },
      objc: {
        invalid: [
          registerObjC(`    [self.feed refreshWithCompletion:^(BOOL ok) {\n      NSLog(@"refreshed %d", ok);\n    }];`),
          registerObjC(`    task.expirationHandler = ^{ [task setTaskCompletedWithSuccess:NO]; };\n    if (![self.feed needsRefresh]) {\n      return;\n    }\n    [self.feed refreshWithCompletion:^(BOOL ok) { [task setTaskCompletedWithSuccess:ok]; }];`),
          `@implementation AppDelegate\n- (void)registerTasks {\n  self.refreshHandler = ^(BGTask *task) {\n    [self.feed refreshWithCompletion:^(BOOL ok) {\n      NSLog(@"refreshed %d", ok);\n    }];\n  };\n  [[BGTaskScheduler sharedScheduler] ↓registerForTaskWithIdentifier:@"com.example.refresh" usingQueue:nil launchHandler:self.refreshHandler];\n}\n@end`,
        ],
        valid: [
          clean(registerObjC(`    task.expirationHandler = ^{ [task setTaskCompletedWithSuccess:NO]; };\n    [self.feed refreshWithCompletion:^(BOOL ok) {\n      [task setTaskCompletedWithSuccess:ok];\n    }];`)),
          `@implementation AppDelegate\n- (void)registerTasks {\n  [[BGTaskScheduler sharedScheduler] registerForTaskWithIdentifier:@"com.example.refresh" usingQueue:nil launchHandler:^(BGTask *task) {\n    [self handleRefresh:(BGAppRefreshTask *)task];\n  }];\n}\n- (void)handleRefresh:(BGAppRefreshTask *)task {\n  task.expirationHandler = ^{ [task setTaskCompletedWithSuccess:NO]; };\n  @try {\n    [self.feed refreshNow];\n  } @finally {\n    [task setTaskCompletedWithSuccess:YES];\n  }\n}\n@end`,
          `@implementation AppDelegate\n- (void)registerTasks {\n  void (^handler)(BGTask *) = ^(BGTask *task) {\n    task.expirationHandler = ^{ [task setTaskCompletedWithSuccess:NO]; };\n    [self.feed refreshWithCompletion:^(BOOL ok) {\n      [task setTaskCompletedWithSuccess:ok];\n    }];\n  };\n  [[BGTaskScheduler sharedScheduler] registerForTaskWithIdentifier:@"com.example.refresh" usingQueue:nil launchHandler:handler];\n}\n@end`,
        ],
      },
    },
    triggers: ['forTaskWithIdentifier', 'ForTaskWithIdentifier'],
  },
  create(context) {
    return { [`call:${REGISTER_TASK}`]: (call: CallExpr) => check(context, call) };
  },
});

function check(context: RuleContext, call: CallExpr): void {
  const handler = launchHandlerOf(call, context.index);
  if (!handler) return;
  const usage = new TaskFollower(context.index).usage(handler.body, [handler.task]);
  // A handler that completes its task before returning leaves nothing for an expiration handler to stop.
  const missingExpiration = !usage.setsExpirationHandler && !usage.escapes && !usage.completesBeforeReturning;
  const expiration = missingExpiration ? ' It also sets no expirationHandler, so the work cannot be stopped when time runs out.' : '';
  const suggest = missingExpiration ? expirationSuggestion(context, handler) : [];
  const at = call.nameSpan;
  if (!usage.completes && !usage.escapes) {
    context.report({ at, messageId: 'neverCompleted', data: { expiration }, severity: 'error', suggest });
    return;
  }
  const leak = firstLeak(usage);
  if (leak) {
    const related = [{ at: leak.at, message: 'leaves here without completing the task' }];
    context.report({ at, messageId: 'incompletePath', data: { where: leak.where, expiration }, related, suggest });
    return;
  }
  if (missingExpiration) context.report({ at, messageId: 'noExpirationHandler', suggest });
}

/** Where a path leaves without completing: an exit in the handler, else one in a closure or callee, else an end. */
function firstLeak(usage: TaskUsage): { where: string; at: SyntaxNode } | undefined {
  const leaks = [...usage.leaks, ...usage.partialLeaks];
  if (usage.leaks.length === 0) return undefined;
  for (const leak of leaks) {
    const exit = leak.exits[0];
    if (exit) return { where: `the \`${exit.jump}\` on line ${exit.range.start.line}`, at: exit };
  }
  const inner = usage.partialLeaks[0] ?? usage.leaks[0]!;
  const kind = inner.body.kind === 'function' ? `\`${inner.body.name}\`` : 'the closure';
  return { where: `a path reaching the end of ${kind} on line ${inner.body.range.end.line}`, at: inner.body };
}

/** Inserts `task.expirationHandler = { task.setTaskCompleted(success: false) }` as the handler's first statement. */
function expirationSuggestion(context: RuleContext, handler: LaunchHandler) {
  const first = handler.body.body?.body[0];
  if (!first || handler.task.startsWith('$')) return [];
  const lineStart = context.text.lastIndexOf('\n', first.startIndex - 1) + 1;
  const indent = context.text.slice(lineStart, first.startIndex);
  if (indent.trim() !== '') return [];
  const task = handler.task;
  const statement = context.language === 'swift'
    ? `${task}.expirationHandler = {\n${indent}    ${task}.setTaskCompleted(success: false)\n${indent}}\n${indent}`
    : `${task}.expirationHandler = ^{\n${indent}    [${task} setTaskCompletedWithSuccess:NO];\n${indent}};\n${indent}`;
  return [{ description: 'Set an expiration handler that completes the task', edits: [context.insertAt(first.startIndex, statement)] }];
}
