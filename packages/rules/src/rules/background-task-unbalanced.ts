import {
  BACKGROUND_TASK_TRIGGERS, BEGIN_BACKGROUND_TASK, END_BACKGROUND_TASK_CONSUMER, TaskEnding, anyConsumer, isSelfReceiver, memberPath, propertyType, refersTo, rootOf, callsIn, descendants, defineRule, enclosingFunction, enclosingBody, enclosingType,
  expirationHandlerOf, isGuardedBy, isNil, isPropertyReference, isUIKitBegin, localNames, matchesSignature, pathsFrom, pathsThrough, storageName,
} from '@bglint/core';
import type { CallExpr, ClosureExpr, CodeBody, Consumer, Expr, RuleContext, RuleListener, SyntaxNode } from '@bglint/core';

export default defineRule({
  meta: {
    id: 'background-task-unbalanced',
    severity: 'error',
    since: '0.1.0',
    summary: 'Every beginBackgroundTask must be ended, once the work is done and in its expiration handler.',
    why:
      'A background task that is never ended keeps the app running until the system kills it. UIKit requires ' +
      '`endBackgroundTask` both when the work finishes and from the expiration handler; a path that leaves ' +
      'early (a `return`, `throw` or `guard`) without ending the task leaks it.',
    symptom: 'The watchdog kills the app; the log says the app "will likely be terminated by the system".',
    logPatterns: [
      { pattern: /was created over 30 seconds ago/i, weight: 3 },
      { pattern: /has active assertions beyond permitted time/i, weight: 3 },
      { pattern: /still not ended after expiration handlers were called/i, weight: 2 },
      { pattern: /\bfinishTask\b|FinishTaskUninterruptable/, weight: 1 },
      { pattern: /8badf00d/i, weight: 1 },
      { pattern: /UIApplicationEndBackgroundTaskError/, weight: 1 },
    ],
    fix:
      'Store the identifier, end it in the expiration handler, and end it on every path once the work is done: ' +
      'in a `defer` (Swift) or `@finally` (Objective-C), or in the completion handler of the work.',
    references: [
      'https://developer.apple.com/documentation/uikit/uiapplication/1623031-beginbackgroundtask',
      'https://developer.apple.com/forums/thread/85066',
    ],
    tags: ['correctness', 'background-tasks'],
    precision: 'high',
    messages: {
      discarded: 'The identifier returned by {{api}} is discarded, so the task can never be ended; the system will kill the app when its time runs out. Store it and call endBackgroundTask with it.',
      noExpirationHandler: '{{api}} has no expiration handler, so nothing ends the task when its time runs out and the system kills the app. Pass a handler that calls endBackgroundTask.',
      callersHandlerCannotEnd: 'The expiration handler is the caller\'s, but `{{name}}` never leaves this function, so that handler cannot end the task and the app is killed when its time runs out. End {{name}} in a handler of your own, then call the caller\'s.',
      blockCopiesUnassigned: 'The handler block copies `{{name}}` when it is made, before the begin assigns it, so it ends UIBackgroundTaskInvalid instead of this task and the app is killed when its time runs out. Declare it `__block`.',
      expirationNeverEnds: 'The expiration handler never ends the task, so the app is killed when its time runs out. Call endBackgroundTask({{name}}) in the handler.',
      earlyExit: 'The {{exit}} on line {{line}} leaves while the task is still running, so it runs until the system kills the app. End it before leaving, or in a `defer`/`@finally`.',
      neverEnded: 'The task is never ended once the work is done: it runs until its time expires and the system may kill the app. Call endBackgroundTask({{name}}) when the work finishes.',
      overwritten: 'This begin overwrites `{{name}}` while the task begun on line {{line}} may still be running, so that task can never be ended and the system kills the app. End the running task (or check that `{{name}}` is `.invalid`) before beginning another.',
      overwrittenBeforeEnd: 'The running task in `{{name}}` is ended only after an asynchronous hop, so this begin overwrites `{{name}}` first: the old task is never ended and the new one is ended at once. End the running task synchronously before beginning another.',
      overwrittenInLoop: 'Each pass of this loop begins a task into `{{name}}` without ending the previous one, so every task but the last can never be ended and the system kills the app. End the task inside the loop, or begin one task around the whole loop.',
      endedOnlyOnExpiry: 'The task stored in `{{name}}` is ended only by its expiration handler (`{{method}}` is called from nowhere else), so each task runs until the system\'s deadline and a new begin can overwrite one still running. Call {{method}} when the work finishes too.',
      storedNeverEnded: 'The task stored in `{{name}}` is never ended by any method of {{type}}, so it runs until the system kills the app. End it when the work finishes and in the expiration handler.',
    },
    examples: {
      swift: {
        invalid: [
          `func save() {\n  UIApplication.shared.↓beginBackgroundTask(withName: "save") {}\n  store.flush()\n}`,
          `func upload(_ file: URL) {\n  var id = UIBackgroundTaskIdentifier.invalid\n  id = UIApplication.shared.↓beginBackgroundTask(withName: "upload", expirationHandler: nil)\n  send(file)\n  UIApplication.shared.endBackgroundTask(id)\n}`,
          `func sync() {\n  var id = UIBackgroundTaskIdentifier.invalid\n  id = UIApplication.shared.↓beginBackgroundTask {\n    log("expired")\n  }\n  client.sync { UIApplication.shared.endBackgroundTask(id) }\n}`,
          `final class Tracker {\n  private var task: UIBackgroundTaskIdentifier = .invalid\n  func start() {\n    task = UIApplication.shared.↓beginBackgroundTask { [weak self] in self?.stop() }\n    queue.async { [weak self] in\n      guard let self = self, let batch = self.pending else { return }\n      self.send(batch)\n      self.stop()\n    }\n  }\n  private func stop() {\n    UIApplication.shared.endBackgroundTask(task)\n  }\n}`,
          `final class Syncer {\n  private var task: UIBackgroundTaskIdentifier = .invalid\n  func syncAll(_ accounts: [Account]) {\n    for account in accounts {\n      task = UIApplication.shared.↓beginBackgroundTask { [weak self] in self?.finish() }\n      account.sync { [weak self] in self?.finish() }\n    }\n  }\n  private func finish() {\n    UIApplication.shared.endBackgroundTask(task)\n    task = .invalid\n  }\n}`,
          `final class Syncer {\n  private var task: UIBackgroundTaskIdentifier = .invalid\n  func sync() {\n    task = UIApplication.shared.beginBackgroundTask { [weak self] in self?.finish() }\n    client.pull()\n    task = UIApplication.shared.↓beginBackgroundTask { [weak self] in self?.finish() }\n    client.push { [weak self] in self?.finish() }\n  }\n  private func finish() {\n    UIApplication.shared.endBackgroundTask(task)\n    task = .invalid\n  }\n}`,
          `func export(_ items: [Item]) throws {\n  var id = UIBackgroundTaskIdentifier.invalid\n  id = UIApplication.shared.↓beginBackgroundTask { UIApplication.shared.endBackgroundTask(id) }\n  guard !items.isEmpty else { return }\n  try write(items)\n  UIApplication.shared.endBackgroundTask(id)\n}`,
          // No handler at all (class 6 of issue 13): nothing ends the task when its time runs out.
          `func refresh() {\n  let id = UIApplication.shared.↓beginBackgroundTask()\n  store.refresh()\n  UIApplication.shared.endBackgroundTask(id)\n}`,
          // The handler passed by name does something else and never ends this task.
          `final class Importer {\n  private var task: UIBackgroundTaskIdentifier = .invalid\n  func start() {\n    let onExpiry = { [weak self] in self?.operation.cancel() }\n    task = UIApplication.shared.↓beginBackgroundTask(expirationHandler: onExpiry)\n    operation.start { [weak self] in self?.finish() }\n  }\n  private func finish() {\n    UIApplication.shared.endBackgroundTask(task)\n    task = .invalid\n  }\n}`,
          // The handler is a method of an SDK object (it cancels the work), so nothing ends the task in time.
          `func sync(_ work: @escaping () async throws -> Void) async throws {\n  let job = Task(operation: work)\n  let id = UIApplication.shared.↓beginBackgroundTask(withName: "sync", expirationHandler: job.cancel)\n  defer { UIApplication.shared.endBackgroundTask(id) }\n  try await job.value\n}`,
          // The caller's handler is forwarded, but the identifier stays here: the caller cannot end it.
          `extension UIApplication {\n  func runInBackground(_ work: @escaping () -> Void, onExpiry: (() -> Void)?) {\n    guard let onExpiry = onExpiry else { return work() }\n    let id = ↓beginBackgroundTask(expirationHandler: onExpiry)\n    work()\n    endBackgroundTask(id)\n  }\n}`,
          // "Ended first" by a method that only dispatches the end: the begin overwrites the running task before that runs.
          `final class Keeper {\n  private var task: UIBackgroundTaskIdentifier = .invalid\n  func restart() {\n    if task != .invalid { stop() }\n    task = UIApplication.shared.↓beginBackgroundTask { [weak self] in self?.stop() }\n  }\n  private func stop() {\n    DispatchQueue.main.async {\n      UIApplication.shared.endBackgroundTask(self.task)\n      self.task = .invalid\n    }\n  }\n}`,
          // Ended only through a method that nothing but the expiration handler calls: each task runs to the deadline.
          `final class GeofenceMonitor {\n  var backgroundTask: UIBackgroundTaskIdentifier = .invalid\n  func didEnter(_ region: Region) {\n    backgroundTask = UIApplication.shared.↓beginBackgroundTask { [weak self] in\n      self?.endBackgroundTask()\n    }\n    client.post(region)\n  }\n  func endBackgroundTask() {\n    UIApplication.shared.endBackgroundTask(backgroundTask)\n    backgroundTask = .invalid\n  }\n}`,
          // Stored in a property that no method of the type ends once the work is done (only its own handler does).
          `final class LocationTracker {\n  var backgroundTask: UIBackgroundTaskIdentifier = .invalid\n  func didUpdate(_ location: Location) {\n    backgroundTask = UIApplication.shared.↓beginBackgroundTask {\n      UIApplication.shared.endBackgroundTask(self.backgroundTask)\n      self.backgroundTask = .invalid\n    }\n    store.save(location)\n  }\n}`,
        ],
        valid: [
          `func export(_ items: [Item]) throws {\n  var id = UIBackgroundTaskIdentifier.invalid\n  id = UIApplication.shared.beginBackgroundTask { UIApplication.shared.endBackgroundTask(id) }\n  defer { UIApplication.shared.endBackgroundTask(id) }\n  guard !items.isEmpty else { return }\n  try write(items)\n}`,
          `final class Uploader {\n  private var task: UIBackgroundTaskIdentifier = .invalid\n  func start() {\n    task = UIApplication.shared.beginBackgroundTask { [weak self] in self?.finish() }\n    client.upload { [weak self] _ in self?.finish() }\n  }\n  private func finish() {\n    UIApplication.shared.endBackgroundTask(task)\n    task = .invalid\n  }\n}`,
          `func sync() {\n  var id = UIBackgroundTaskIdentifier.invalid\n  id = UIApplication.shared.beginBackgroundTask { UIApplication.shared.endBackgroundTask(id) }\n  client.sync { _ in UIApplication.shared.endBackgroundTask(id) }\n}`,
          `final class Tracker {\n  private var task: UIBackgroundTaskIdentifier = .invalid\n  func start() {\n    task = UIApplication.shared.beginBackgroundTask { [weak self] in self?.stop() }\n    DispatchQueue.main.asyncAfter(deadline: .now() + 25) { [weak self] in\n      guard let self = self, self.task != .invalid else { return }\n      self.stop()\n    }\n  }\n  private func stop() {\n    UIApplication.shared.endBackgroundTask(task)\n    task = .invalid\n  }\n}`,
          `func begin(named name: String, onExpiry: @escaping () -> Void) -> (UIBackgroundTaskIdentifier?, TimeInterval) {\n  let identifier = UIApplication.shared.beginBackgroundTask(withName: name, expirationHandler: onExpiry)\n  return (identifier == .invalid ? nil : identifier, UIApplication.shared.backgroundTimeRemaining)\n}`,
          `final class Tracker {\n  private var task: UIBackgroundTaskIdentifier = .invalid\n  func restart() {\n    if task != .invalid { stop() }\n    task = UIApplication.shared.beginBackgroundTask { [weak self] in self?.stop() }\n    monitor.start { [weak self] in self?.stop() }\n  }\n  private func stop() {\n    UIApplication.shared.endBackgroundTask(task)\n    task = .invalid\n  }\n}`,
          `func beginTask(_ handler: @escaping () -> Void) -> UIBackgroundTaskIdentifier {\n  return UIApplication.shared.beginBackgroundTask(expirationHandler: handler)\n}`,
          // The handler is a local closure, formed before the identifier it ends is known, and returned to the caller.
          `func beginTask() -> () -> Void {\n  var id = UIBackgroundTaskIdentifier.invalid\n  let end = { UIApplication.shared.endBackgroundTask(id) }\n  id = UIApplication.shared.beginBackgroundTask(expirationHandler: end)\n  return end\n}`,
          // The handler calls a method of another project type, reached through a typed property, that ends the task.
          { code: `final class UploadController {\n  private let transfer: Transfer\n  init(transfer: Transfer) { self.transfer = transfer }\n  func start() {\n    transfer.task = UIApplication.shared.beginBackgroundTask { [weak self] in self?.transfer.cancel() }\n    transfer.resume()\n  }\n}`, project: { sources: [`final class Transfer {\n  var task: UIBackgroundTaskIdentifier = .invalid\n  func resume() {}\n  func cancel() {\n    UIApplication.shared.endBackgroundTask(task)\n    task = .invalid\n  }\n}`] } },
          // The handler calls a superclass method, declared in another file, that ends the stored task.
          { code: `final class PhotoSync: SyncBase {\n  func start() {\n    task = UIApplication.shared.beginBackgroundTask { [weak self] in self?.endTask() }\n    client.sync { [weak self] in self?.endTask() }\n  }\n}`, project: { sources: [`class SyncBase {\n  var task: UIBackgroundTaskIdentifier = .invalid\n  func endTask() {\n    guard task != .invalid else { return }\n    UIApplication.shared.endBackgroundTask(task)\n    task = .invalid\n  }\n}`] } },
          // A single-expression function returns the identifier and forwards its caller's handler: its callers end it.
          `extension UIApplication {\n  func keepAlive(_ onExpiry: @escaping () -> Void) -> UIBackgroundTaskIdentifier { beginBackgroundTask(expirationHandler: onExpiry) }\n}`,
          // The handler is a method of a project type that ends the task it holds.
          { code: `func upload(_ transfer: Transfer) {\n  let job = Transfer()\n  job.task = UIApplication.shared.beginBackgroundTask(expirationHandler: job.cancel)\n  job.resume()\n}`, project: { sources: [`final class Transfer {\n  var task: UIBackgroundTaskIdentifier = .invalid\n  func resume() {}\n  func cancel() {\n    UIApplication.shared.endBackgroundTask(task)\n    task = .invalid\n  }\n}`] } },
          // A public end method is API: the library's users call it when their work is done.
          `public final class BackgroundService {\n  private var task: UIBackgroundTaskIdentifier = .invalid\n  public func begin(_ name: String) {\n    guard task == .invalid else { return }\n    task = UIApplication.shared.beginBackgroundTask(withName: name) { self.end() }\n  }\n  public func end() {\n    UIApplication.shared.endBackgroundTask(task)\n    task = .invalid\n  }\n}`,
          // A begin guarded by "no task running" overwrites nothing.
          `final class Flusher {\n  private var task: UIBackgroundTaskIdentifier = .invalid\n  func flush() {\n    for batch in batches {\n      if task == .invalid {\n        task = UIApplication.shared.beginBackgroundTask { [weak self] in self?.stop() }\n      }\n      send(batch)\n    }\n    stop()\n  }\n  private func stop() {\n    UIApplication.shared.endBackgroundTask(task)\n    task = .invalid\n  }\n}`,
          // Ended only after a hop in the handler: that is background-task-deferred-end's finding, not this rule's.
          `func sync() {\n  var id = UIBackgroundTaskIdentifier.invalid\n  id = UIApplication.shared.beginBackgroundTask {\n    DispatchQueue.main.async { UIApplication.shared.endBackgroundTask(id) }\n  }\n  client.sync { UIApplication.shared.endBackgroundTask(id) }\n}`,
          // A method of the project's own that shares the name is not UIKit's.
          `final class Coordinator {\n  func beginBackgroundTask() { started = true }\n  func upload() {\n    beginBackgroundTask()\n    send()\n  }\n}`,
        ],
      },
      objc: {
        invalid: [
          `@implementation Worker\n- (void)save {\n  [[UIApplication sharedApplication] ↓beginBackgroundTaskWithExpirationHandler:^{}];\n  [self.store flush];\n}\n@end`,
          `@implementation Worker\n- (void)store:(NSData *)data {\n  __block UIBackgroundTaskIdentifier bgID = [[UIApplication sharedApplication] ↓beginBackgroundTaskWithName:@"store" expirationHandler:^{\n    [[UIApplication sharedApplication] endBackgroundTask:bgID];\n  }];\n  dispatch_async(self.queue, ^{\n    if (![self write:data]) {\n      return;\n    }\n    [[UIApplication sharedApplication] endBackgroundTask:bgID];\n  });\n}\n@end`,
          `@implementation Syncer\n- (void)syncAll:(NSArray *)accounts {\n  for (Account *account in accounts) {\n    self.bgTask = [[UIApplication sharedApplication] ↓beginBackgroundTaskWithExpirationHandler:^{ [self finish]; }];\n    [account syncWithCompletion:^{ [self finish]; }];\n  }\n}\n- (void)finish {\n  [[UIApplication sharedApplication] endBackgroundTask:self.bgTask];\n}\n@end`,
          `@implementation Worker\n- (void)store:(NSData *)data {\n  UIBackgroundTaskIdentifier bgID = [[UIApplication sharedApplication] ↓beginBackgroundTaskWithName:@"store" expirationHandler:nil];\n  [self write:data];\n  [[UIApplication sharedApplication] endBackgroundTask:bgID];\n}\n@end`,
          `@implementation Importer\n- (void)start {\n  void (^onExpiry)(void) = ^{ [self.operation cancel]; };\n  self.task = [[UIApplication sharedApplication] ↓beginBackgroundTaskWithExpirationHandler:onExpiry];\n  [self.operation startWithCompletion:^{ [self finish]; }];\n}\n- (void)finish {\n  [[UIApplication sharedApplication] endBackgroundTask:self.task];\n}\n@end`,
          `@implementation NetworkManager\n- (void)beginTask {\n  if (self.taskID != UIBackgroundTaskInvalid) {\n    [self endTask];\n  }\n  self.taskID = [[UIApplication sharedApplication] ↓beginBackgroundTaskWithExpirationHandler:^{\n    [[UIApplication sharedApplication] endBackgroundTask:self.taskID];\n    self.taskID = UIBackgroundTaskInvalid;\n  }];\n}\n- (void)endTask {\n  dispatch_async(dispatch_get_main_queue(), ^{\n    [[UIApplication sharedApplication] endBackgroundTask:self.taskID];\n    self.taskID = UIBackgroundTaskInvalid;\n  });\n}\n@end`,
          `@implementation Reconnector\n- (void)appDidEnterBackground {\n  __weak typeof(self) weakSelf = self;\n  self.backgroundTask = [[UIApplication sharedApplication] ↓beginBackgroundTaskWithExpirationHandler:^{\n    [weakSelf endBackgroundTask];\n  }];\n}\n- (void)endBackgroundTask {\n  [[UIApplication sharedApplication] endBackgroundTask:self.backgroundTask];\n  self.backgroundTask = UIBackgroundTaskInvalid;\n}\n@end`,
          // Was a valid example until issue 13's labeled sets: six real sites (MQTT-Client, Locative, Muse-Now…) showed that a
          // method nothing but the handler calls leaves every task running to the deadline, and repeated begins overwrite it.
          `@implementation Uploader\n- (void)start {\n  self.bgTask = [[UIApplication sharedApplication] ↓beginBackgroundTaskWithExpirationHandler:^{\n    [self finish];\n  }];\n}\n- (void)finish {\n  [[UIApplication sharedApplication] endBackgroundTask:self.bgTask];\n}\n@end`,
          // A local without __block: the handler block copies it before the begin assigns it, and ends UIBackgroundTaskInvalid.
          `@implementation TaskManager\n- (UIBackgroundTaskIdentifier)beginNewTask {\n  UIApplication *app = [UIApplication sharedApplication];\n  UIBackgroundTaskIdentifier taskID = UIBackgroundTaskInvalid;\n  taskID = [app ↓beginBackgroundTaskWithExpirationHandler:^{\n    [app endBackgroundTask:taskID];\n  }];\n  [self.tasks addObject:@(taskID)];\n  return taskID;\n}\n@end`,
          // The caller's block is forwarded, but the identifier stays here: the caller cannot end it.
          `@implementation Runner\n- (void)run:(void (^)(void))work onExpiry:(void (^)(void))onExpiry {\n  UIBackgroundTaskIdentifier taskID = [[UIApplication sharedApplication] ↓beginBackgroundTaskWithExpirationHandler:onExpiry];\n  work();\n  [[UIApplication sharedApplication] endBackgroundTask:taskID];\n}\n@end`,
          `@implementation LocationTracker\n- (void)didUpdateLocation:(CLLocation *)location {\n  self.backgroundTask = [[UIApplication sharedApplication] ↓beginBackgroundTaskWithExpirationHandler:^{\n    [[UIApplication sharedApplication] endBackgroundTask:self.backgroundTask];\n    self.backgroundTask = UIBackgroundTaskInvalid;\n  }];\n  [self.store save:location];\n}\n@end`,
        ],
        valid: [
          // The method the handler calls also runs when the app comes back (a notification's selector).
          `@implementation Reconnector\n- (instancetype)init {\n  self = [super init];\n  [[NSNotificationCenter defaultCenter] addObserver:self selector:@selector(endBackgroundTask) name:UIApplicationDidBecomeActiveNotification object:nil];\n  return self;\n}\n- (void)appDidEnterBackground {\n  __weak typeof(self) weakSelf = self;\n  self.backgroundTask = [[UIApplication sharedApplication] beginBackgroundTaskWithExpirationHandler:^{\n    [weakSelf endBackgroundTask];\n  }];\n}\n- (void)endBackgroundTask {\n  [[UIApplication sharedApplication] endBackgroundTask:self.backgroundTask];\n  self.backgroundTask = UIBackgroundTaskInvalid;\n}\n@end`,
          `@implementation Worker\n- (void)store:(NSData *)data {\n  __block UIBackgroundTaskIdentifier bgID = [[UIApplication sharedApplication] beginBackgroundTaskWithName:@"store" expirationHandler:^{\n    [[UIApplication sharedApplication] endBackgroundTask:bgID];\n  }];\n  @try {\n    [self write:data];\n  } @finally {\n    [[UIApplication sharedApplication] endBackgroundTask:bgID];\n  }\n}\n@end`,
          `@implementation TaskManager\n- (void)startTask:(Task *)task {\n  UIBackgroundTaskIdentifier taskID = [[UIApplication sharedApplication] beginBackgroundTaskWithName:task.name expirationHandler:^{\n    [self endTask:task];\n  }];\n  if (taskID != UIBackgroundTaskInvalid) {\n    task.identifier = taskID;\n  }\n}\n- (void)endTask:(Task *)task {\n  [[UIApplication sharedApplication] endBackgroundTask:task.identifier];\n}\n@end`,
          `@implementation Syncer\n- (void)sync {\n  __block UIBackgroundTaskIdentifier bgID = [[UIApplication sharedApplication] beginBackgroundTaskWithExpirationHandler:^{\n    [[UIApplication sharedApplication] endBackgroundTask:bgID];\n    bgID = UIBackgroundTaskInvalid;\n  }];\n  [self.client syncWithCompletion:^(NSError *error) {\n    [[UIApplication sharedApplication] endBackgroundTask:bgID];\n    bgID = UIBackgroundTaskInvalid;\n  }];\n}\n@end`,
          `@implementation Importer\n- (void)start {\n  void (^finish)(void) = ^{\n    [[UIApplication sharedApplication] endBackgroundTask:self.task];\n    self.task = UIBackgroundTaskInvalid;\n  };\n  self.task = [[UIApplication sharedApplication] beginBackgroundTaskWithExpirationHandler:finish];\n  [self.operation startWithCompletion:finish];\n}\n@end`,
          `@implementation TaskManager\n- (UIBackgroundTaskIdentifier)beginTaskNamed:(NSString *)name {\n  __block UIBackgroundTaskIdentifier taskID = [[UIApplication sharedApplication] beginBackgroundTaskWithName:name expirationHandler:^{\n    [TaskManager endTask:taskID];\n  }];\n  return taskID;\n}\n+ (void)endTask:(UIBackgroundTaskIdentifier)task {\n  [[UIApplication sharedApplication] endBackgroundTask:task];\n}\n@end`,
          `@implementation Poster\n- (void)post {\n  [self beginBackgroundTaskWithExpirationHandler:^{ [self cancel]; }];\n  [self send];\n}\n- (void)beginBackgroundTaskWithExpirationHandler:(void (^)(void))handler {\n  self.handler = handler;\n}\n@end`,
          `@implementation Uploader\n- (void)start {\n  self.bgTask = [[UIApplication sharedApplication] beginBackgroundTaskWithExpirationHandler:^{\n    dispatch_async(dispatch_get_main_queue(), ^{ [self finish]; });\n  }];\n  [self.client uploadWithCompletion:^{ [self finish]; }];\n}\n- (void)finish {\n  [[UIApplication sharedApplication] endBackgroundTask:self.bgTask];\n}\n@end`,
        ],
      },
    },
    triggers: BACKGROUND_TASK_TRIGGERS,
    optionTriggers: ['wrappers'],
    options: {
      wrappers: {
        type: 'string[]',
        default: [],
        description:
          'Project functions that wrap `beginBackgroundTask` (`BackgroundTasks.begin`, or a bare function name): their calls are ' +
          'checked as if they were the begin they wrap. The task may be ended with `endBackgroundTask` or the wrapper type\'s own ' +
          '`end…`/`finish…`/`stop…` method given the identifier; a wrapper called without a handler argument is trusted to install one.',
      },
    },
  },
  create(context) {
    const check = (call: CallExpr) => checkBegin(context, call, expirationHandlerOf(call));
    const listener: RuleListener = Object.fromEntries(BEGIN_BACKGROUND_TASK.map((sig) => [`call:${sig}`, check]));
    const wrappers = ((context.options.wrappers as string[] | undefined) ?? []).map(parseWrapper);
    if (wrappers.length > 0) {
      listener.call = (call: CallExpr) => {
        const wrapper = wrappers.find((w) => isWrapperCall(call, w));
        if (wrapper) checkBegin(context, call, wrapperHandler(call), wrapperConsumer(wrapper));
      };
    }
    return listener;
  },
});

function apiName(call: CallExpr): string {
  return call.selector ?? BEGIN_BACKGROUND_TASK.find((sig) => matchesSignature(call, sig)) ?? call.name;
}

/** `BackgroundTasks.begin` → type `BackgroundTasks`, method `begin`; a bare `beginTask` names a free function or method. */
interface Wrapper { typeName?: string; method: string }

function parseWrapper(spec: string): Wrapper {
  const parts = spec.replace(/[(:].*$/, '').split('.');
  // An ObjC selector reads as its Swift base name, as the syntax view names calls: `beginWithName` → `begin`.
  return { method: parts.pop()!.replace(/With[A-Z]\w*$/, ''), typeName: parts.pop() };
}

function isWrapperCall(call: CallExpr, wrapper: Wrapper): boolean {
  if (call.baseName !== wrapper.method) return false;
  if (!wrapper.typeName) return true;
  if (memberPath(call.receiver).includes(wrapper.typeName)) return true;
  return isSelfReceiver(call.receiver) && enclosingType(call)?.name === wrapper.typeName;
}

/** The wrapper's expiration handler: labeled `expirationHandler`, else its last closure argument. */
function wrapperHandler(call: CallExpr): Expr | undefined {
  const labeled = call.args.find((a) => a.label === 'expirationHandler' || a.label === 'withExpirationHandler');
  return labeled?.value ?? [...call.args].reverse().find((a) => a.value.kind === 'closure')?.value;
}

/** A wrapped task ends with `endBackgroundTask` or the wrapper type's own `end…` method given the identifier. */
function wrapperConsumer(wrapper: Wrapper): Consumer {
  const own: Consumer = {
    id: `wrapper-end:${wrapper.typeName ?? ''}`,
    consumes: (call, names) =>
      /^(end|finish|stop|complete)/i.test(call.baseName) &&
      (wrapper.typeName === undefined || memberPath(call.receiver).includes(wrapper.typeName) || (isSelfReceiver(call.receiver) && enclosingType(call)?.name === wrapper.typeName)) &&
      (names === undefined || call.args.some((a) => refersTo(a.value, names))),
  };
  return anyConsumer(`wrapped:${wrapper.typeName ?? ''}.${wrapper.method}`, [END_BACKGROUND_TASK_CONSUMER, own]);
}

function checkBegin(context: RuleContext, call: CallExpr, handler: Expr | undefined, consumer?: Consumer): void {
  if (!consumer && !isUIKitBegin(call, context.index)) return;
  const storage = storageOf(call);
  if (storage === 'discarded') {
    context.report({ at: call.nameSpan, messageId: 'discarded', data: { api: apiName(call) } });
    return;
  }
  const body = enclosingBody(call);
  const stored = storage?.kind === 'var' ? storage.name : storage ? storageName(storage) : undefined;
  const ending = new TaskEnding(call, stored, context.index, consumer, handler);
  // A named wrapper without a handler argument installs its own.
  const idStaysLocal = body !== undefined && stored !== undefined && isLocalStorage(storage, body) && !escapes(body, stored, call, ending);
  if (!(consumer && !handler) && !checkExpirationHandler(context, call, handler, ending, stored, idStaysLocal)) return;
  if (!storage || !body) return; // returned or passed on: the caller owns ending it
  const property = storage.kind !== 'var' && isPropertyReference(storage, localNames(body)) ? storage : undefined;
  if (stored && storage.kind !== 'var' && reportOverwrite(context, call, ending, stored)) return;
  checkWork(context, call, handler, body, ending, stored ?? 'id', property);
}

/**
 * A begin stored where an earlier task of the same function may still be running: a begin in a
 * loop that does not end the task each time round, or a second begin with no end in between.
 */
function reportOverwrite(context: RuleContext, call: CallExpr, ending: TaskEnding, stored: string): boolean {
  const previous = earlierOpenBegin(call, ending, stored);
  if (!previous) return false;
  if ('endedLater' in previous) {
    const related = [{ at: previous.endedLater, message: 'the running task is ended only later, from here' }];
    context.report({ at: call.nameSpan, messageId: 'overwrittenBeforeEnd', data: { name: stored }, related });
    return true;
  }
  if (previous === call) {
    context.report({ at: call.nameSpan, messageId: 'overwrittenInLoop', data: { name: stored } });
    return true;
  }
  const related = [{ at: previous.nameSpan, message: 'the earlier task begins here' }];
  context.report({ at: call.nameSpan, messageId: 'overwritten', data: { name: stored, line: previous.range.start.line }, related });
  return true;
}

/**
 * The begin whose task this one's assignment would orphan (itself, when in a loop), if any; or the
 * statement that "ends the running task first" only after an async hop, so the begin overwrites it.
 */
function earlierOpenBegin(call: CallExpr, ending: TaskEnding, stored: string): CallExpr | { endedLater: SyntaxNode } | undefined {
  // `if task == .invalid { task = begin… }`: nothing is running to be overwritten.
  if (isGuardedBy(call, (c, negated) => ending.releasedWhen(c, !negated))) return undefined;
  for (let child: SyntaxNode = call, p = call.parent; p && p.kind !== 'function' && p.kind !== 'closure'; child = p, p = p.parent) {
    if (p.kind === 'loop' && !ending.endsBeforeReturning(p.body)) return call;
    if (p.kind !== 'block') continue;
    for (const statement of p.body.slice(0, p.body.indexOf(child)).reverse()) {
      if (ending.endsBeforeReturning(statement)) return undefined;
      if (ending.endsOnlyAfterHop(statement)) return { endedLater: statement };
      const begin = callsIn(statement, (c) => c !== call && storesBeginIn(c, stored), false)[0];
      if (begin) return begin;
    }
  }
  return undefined;
}

function storesBeginIn(call: CallExpr, stored: string): boolean {
  if (!BEGIN_BACKGROUND_TASK.some((sig) => matchesSignature(call, sig))) return false;
  const storage = storageOf(call);
  return typeof storage === 'object' && storage.kind !== 'var' && storageName(storage) === stored;
}

/** Is the identifier kept in a local of `body` (`let id = begin…`, `id = begin…` with `id` declared there)? */
function isLocalStorage(storage: ReturnType<typeof storageOf>, body: CodeBody): boolean {
  if (storage === undefined || storage === 'discarded') return false;
  if (storage.kind === 'var') return true;
  return storage.kind === 'ident' && localNames(body).has(storage.name);
}

/** Where the identifier goes: a local, a property, somewhere else (undefined), or nowhere. */
function storageOf(call: CallExpr): Expr | { kind: 'var'; name: string } | 'discarded' | undefined {
  const parent = call.parent;
  if (parent?.kind === 'block') return returnsImplicitly(parent, call) ? undefined : 'discarded';
  if (parent?.kind === 'assign' && parent.value === call) {
    return parent.target.kind === 'ident' && parent.target.name === '_' ? 'discarded' : parent.target;
  }
  if (parent?.kind === 'var') return { kind: 'var', name: parent.name };
  return undefined;
}

/** A single-expression function or getter returns its only expression: `func begin() -> Id { app.beginBackgroundTask… }`. */
function returnsImplicitly(block: SyntaxNode, call: CallExpr): boolean {
  if (block.kind !== 'block' || block.body.length !== 1 || block.body[0] !== call) return false;
  const owner = block.parent;
  return owner?.kind === 'function' || (owner?.kind === 'var' && owner.getter === block);
}

/** Reports a missing or non-ending handler; returns false when that is the task's finding. */
function checkExpirationHandler(context: RuleContext, call: CallExpr, handler: Expr | undefined, ending: TaskEnding, stored: string | undefined, idStaysLocal: boolean): boolean {
  if (handler === undefined || isNil(handler)) {
    context.report({ at: call.nameSpan, messageId: 'noExpirationHandler', data: { api: apiName(call) } });
    return false;
  }
  const { callable, use } = ending.handlerUse(handler);
  if (callable.kind === 'unknown') return true;
  // A handler passed in, or one calling the caller's handler: its author ends the task, unless the
  // identifier never leaves this function, so the caller's code cannot know which task to end.
  const callersHandler = callable.kind === 'parameter' || use.callsParameter;
  if (callersHandler && !idStaysLocal) return true;
  // Ended only after a hop is background-task-deferred-end's finding; one defect, one finding.
  const staleCopy = ending.endsOnlyStaleCopy(handler);
  if (use.consumed !== 'none' && !staleCopy) return true;
  const messageId = callersHandler ? 'callersHandlerCannotEnd' : staleCopy ? 'blockCopiesUnassigned' : 'expirationNeverEnds';
  context.report({ at: call.nameSpan, messageId, data: { name: stored ?? 'identifier' } });
  return false;
}

/**
 * Ends on the way out of the work: the function that began the task and every closure it hands
 * the work to. Only bodies that end the task themselves are checked (elsewhere, another method owns it).
 */
function checkWork(context: RuleContext, call: CallExpr, handler: Expr | undefined, body: CodeBody, ending: TaskEnding, stored: string, property: Expr | undefined): void {
  const workClosures = closuresAfter(call, body).filter((c) => c !== handler && ending.ends(c.body));
  const bodyEnds = body.body ? ending.ends(body.body) : false;
  if (!bodyEnds) {
    if (property) {
      const type = context.index.type(ownerOfStorage(property, call, context));
      // A handler that begins the next task (`[self startKeepAlive]`) is background-keepalive-hack's finding.
      const restarts = handler !== undefined && callsIn(handler, (c) => c.baseName === enclosingFunction(call)?.baseName).length > 0;
      const ended = type && !restarts ? ending.endedByTypeOf(type.name, context.text) : { ended: true };
      if (type && !ended.ended) {
        const method = ended.onlyByHandler;
        context.report({ at: call.nameSpan, messageId: method ? 'endedOnlyOnExpiry' : 'storedNeverEnded', data: { name: stored, type: type.name, method: method ?? '' } });
      }
    } else if (!escapes(body, stored, call, ending)) {
      context.report({ at: call.nameSpan, messageId: 'neverEnded', data: { name: stored } });
    }
    return;
  }
  // A property's task that another method of the type also ends (on foregrounding, say) is not leaked
  // by leaving the beginning function early: only the work handed on is checked then.
  const ownBody = property && ending.endedFromOtherMethods(ownerOfStorage(property, call, context)) ? [] : [[body, call] as [CodeBody, SyntaxNode]];
  const starts: [CodeBody, SyntaxNode][] = [...ownBody, ...workClosures.map((c): [CodeBody, SyntaxNode] => [c, c.body])];
  for (const [scope, from] of starts) {
    const leaks = from === scope.body ? pathsThrough(scope, ending) : pathsFrom(scope, from, ending);
    const exit = leaks.exits[0];
    if (exit) {
      const line = exit.range.start.line;
      context.report({
        at: call.nameSpan,
        messageId: 'earlyExit',
        data: { exit: exit.jump, line },
        related: [{ at: exit, message: `leaves here without ending the task` }],
      });
      return;
    }
  }
}

function returnsEndingCode(value: Expr, ending: TaskEnding): boolean {
  const summaries = ending.summaries;
  return summaries.useOf(summaries.resolve(value, value), ending.names, ending.consumer).consumed !== 'none';
}

/** The type that holds the stored identifier: this one for `self.task`, the property's type for `transfer.task`. */
function ownerOfStorage(storage: Expr, call: CallExpr, context: RuleContext): string | undefined {
  const path = memberPath(storage);
  const here = enclosingType(call)?.name;
  if (path.length !== 2 || /^(weak|strong|unowned)?_?[sS]elf$/.test(path[0]!)) return here;
  return propertyType(here, path[0]!.replace(/^_/, ''), rootOf(call), context.index) ?? here;
}

/** `void (^work)(void) = ^{ … };` / `let work = { … }`: a closure bound to a local, to be handed on by name. */
function isLocalClosure(closure: ClosureExpr): boolean {
  return closure.parent?.kind === 'var' && !closure.parent.isProperty;
}

/** Closures handed to calls after the begin: where the work may go on and end the task. */
function closuresAfter(call: CallExpr, body: CodeBody): ClosureExpr[] {
  if (!body.body) return [];
  return [...descendants(body.body, (n) => n !== call)].filter(
    (n): n is ClosureExpr => n.kind === 'closure' && n.startIndex > call.startIndex && n.parent !== call && (n.parent?.kind === 'call' || isLocalClosure(n)),
  );
}

/** `stored` itself, or inside a tuple, ternary or other expression built from it (`(id, remaining)`). */
function mentions(value: Expr, stored: string): boolean {
  return [value, ...descendants(value)].some((n) => n.kind === 'ident' && n.name === stored);
}

/**
 * The identifier is handed to other code (an argument, a return, a property), or a closure that ends
 * it is returned: someone else may end it.
 */
function escapes(body: CodeBody, stored: string, begin: CallExpr, ending: TaskEnding): boolean {
  if (!body.body) return false;
  for (const node of descendants(body.body, (n) => n !== begin)) {
    if (node.kind === 'call' && node !== begin && node.baseName !== 'endBackgroundTask' && node.args.some((a) => mentions(a.value, stored))) return true;
    if (node.kind === 'jump' && node.value && mentions(node.value, stored)) return true;
    if (node.kind === 'jump' && node.value && returnsEndingCode(node.value, ending)) return true;
    if (node.kind === 'assign' && node.value !== begin && mentions(node.value, stored)) return true;
  }
  return false;
}
