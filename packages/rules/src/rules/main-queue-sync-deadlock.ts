import { blockingWait, defineRule, mainQueueContext, propertyWaitsIn } from '@bglint/core';
import type { BlockingWait, CallExpr, Fix, RuleContext, TypeDecl } from '@bglint/core';

export default defineRule({
  meta: {
    id: 'main-queue-sync-deadlock',
    severity: 'warning',
    since: '0.2.0',
    summary: 'Code that runs on the main queue must not wait for the main queue, a semaphore or a group.',
    why:
      '`DispatchQueue.main.sync` / `dispatch_sync(dispatch_get_main_queue(), …)` called on the main queue waits for a ' +
      'block that the main queue can only start once the caller returns: the app deadlocks. A semaphore or group ' +
      '`wait()` there blocks the main thread until other work signals it, and deadlocks as soon as that work needs ' +
      'the main queue (a completion handler delivered on main, a `DispatchQueue.main.async`). Code runs on the main ' +
      'queue in a background task\'s expiration handler (UIKit calls it synchronously on the main thread), in a ' +
      'launch handler registered with `using: .main`, in blocks given to `DispatchQueue.main.async` or ' +
      '`OperationQueue.main`, in code explicitly isolated to the main actor (`@MainActor`, a MainActor default, ' +
      'Swift 6 mode), and in the callbacks UIKit and AppKit deliver on the main thread (`viewDidLoad`, app and scene ' +
      'delegate methods, `@IBAction`s) and helpers this file calls only from such code. Other methods of view controllers are not assumed to run on main: before ' +
      'Swift 6 nothing enforces it, and legacy code calls them from capture, decode and network queues. Code whose queue is not ' +
      'known (a completion handler of another API) is not reported, nor code that runs only when ' +
      '`Thread.isMainThread` is false, nor a semaphore used as a lock (signaled by the same code right after the wait).',
    symptom:
      'The app freezes; in the background the expiration handler never returns and the system kills the app, and in ' +
      'the foreground the watchdog ends it with `0x8badf00d` and the main thread blocked in `_dispatch_sync_f_slow` or ' +
      '`_dispatch_semaphore_wait_slow`.',
    logPatterns: [
      { pattern: /dispatch_sync called on queue already owned by current thread/i, weight: 3 },
      { pattern: /__DISPATCH_WAIT_FOR_QUEUE__/, weight: 3 },
      { pattern: /8badf00d/i, weight: 1 },
    ],
    fix:
      'On the main queue, run the work directly instead of `DispatchQueue.main.sync`; dispatch with `async` where the ' +
      'caller need not wait. Instead of waiting on a semaphore or group, continue in the completion handler or in ' +
      '`group.notify(queue: .main)`. Where a function may be called from any thread, check `Thread.isMainThread` first.',
    references: [
      'https://developer.apple.com/documentation/dispatch/dispatchqueue/sync(execute:)-3segw',
      'https://developer.apple.com/documentation/uikit/uiapplication/1623031-beginbackgroundtask',
      'https://developer.apple.com/documentation/xcode/addressing-watchdog-terminations',
    ],
    tags: ['correctness', 'concurrency', 'main-thread'],
    precision: 'high',
    hasSuggestions: true,
    messages: {
      mainSync: '`{{call}}` runs on the main queue here ({{because}}), so it waits for a block the main queue can never start: the app deadlocks and the system kills it. Run the work directly, or dispatch it with `async`.',
      wait: 'This {{what}} wait blocks the main thread ({{because}}): if the work that signals it needs the main queue the app deadlocks, and a blocked main thread gets the app killed by the watchdog. Continue in a completion handler or `notify` instead of waiting.',
    },
    examples: {
      swift: {
        invalid: [
          `final class Saver {\n  private var task = UIBackgroundTaskIdentifier.invalid\n  func save() {\n    task = UIApplication.shared.beginBackgroundTask { [weak self] in\n      DispatchQueue.main.↓sync { self?.store.flush() }\n      self?.finish()\n    }\n  }\n}`,
          `final class SplashViewController: UIViewController {\n  private let loaded = DispatchSemaphore(value: 0)\n  override func viewDidLoad() {\n    super.viewDidLoad()\n    api.fetchConfig { self.loaded.signal() }\n    loaded.↓wait()\n  }\n}`,
          `@MainActor final class Library {\n  var items: [Item] = []\n  func reload() {\n    DispatchQueue.main.↓sync { self.items = Store.shared.load() }\n  }\n}`,
          `final class FeedViewController: UIViewController {\n  override func viewWillAppear(_ animated: Bool) {\n    super.viewWillAppear(animated)\n    let semaphore = DispatchSemaphore(value: 0)\n    api.fetchFeed { result in\n      self.feed = result\n      semaphore.signal()\n    }\n    semaphore.↓wait()\n  }\n}`,
          `func registerTasks() {\n  BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.cleanup", using: .main) { task in\n    let group = DispatchGroup()\n    cleanup(group)\n    _ = group.↓wait(timeout: .now() + 20)\n    task.setTaskCompleted(success: true)\n  }\n}`,
          `func showResult(_ result: Result) {\n  DispatchQueue.main.async {\n    DispatchQueue.main.↓sync { label.text = result.title }\n  }\n}`,
          `final class Saver {\n  private var task = UIBackgroundTaskIdentifier.invalid\n  func save() {\n    task = UIApplication.shared.beginBackgroundTask(expirationHandler: handleExpiration)\n  }\n  private func handleExpiration() {\n    DispatchQueue.main.↓sync { store.flush() }\n    UIApplication.shared.endBackgroundTask(task)\n  }\n}`,
        ],
        valid: [
          `final class FeedViewController: UIViewController {\n  func refresh() {\n    DispatchQueue.global(qos: .userInitiated).async {\n      let feed = Store.shared.load()\n      DispatchQueue.main.sync { self.show(feed) }\n    }\n  }\n}`,
          `final class PlayerViewController: UIViewController {\n  func updateDisplay() {\n    if Thread.isMainThread {\n      performUpdate()\n    } else {\n      DispatchQueue.main.sync { self.performUpdate() }\n    }\n  }\n}`,
          `final class FeedViewController: UIViewController {\n  func refresh() {\n    api.fetchFeed { feed in\n      DispatchQueue.main.sync { self.show(feed) }\n    }\n  }\n}`,
          `func registerTasks() {\n  BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.cleanup", using: nil) { task in\n    let group = DispatchGroup()\n    cleanup(group)\n    _ = group.wait(timeout: .now() + 20)\n    DispatchQueue.main.sync { Badge.update() }\n    task.setTaskCompleted(success: true)\n  }\n}`,
          `@MainActor final class Library {\n  nonisolated func snapshot() -> [Item] {\n    DispatchQueue.main.sync { MainActor.assumeIsolated { self.items } }\n  }\n}`,
          `final class DiskCache {\n  private let lock = DispatchSemaphore(value: 1)\n  func read() -> Data? {\n    lock.wait()\n    defer { lock.signal() }\n    return DispatchQueue.main.sync { UIPasteboard.general.data }\n  }\n}`,
          `final class PlayerViewController: UIViewController {\n  func decoder(_ decoder: Decoder, didDecode frame: CGImage) {\n    DispatchQueue.main.sync { self.preview.image = UIImage(cgImage: frame) }\n  }\n}`,
          `final class GalleryViewController: UIViewController {\n  override func viewDidLoad() {\n    super.viewDidLoad()\n    DispatchQueue.global().async { self.applyLatest() }\n  }\n  @IBAction func refresh(_ sender: Any) {\n    DispatchQueue.global().async { self.applyLatest() }\n  }\n  func applyLatest() {\n    let mainQueue = DispatchQueue.main\n    mainQueue.sync { self.collectionView.reloadData() }\n  }\n}`,
          `final class FeedViewController: UIViewController {\n  func refresh() {\n    guard !Thread.isMainThread else { return reload() }\n    DispatchQueue.main.sync { self.reload() }\n  }\n}`,
          `final class Saver {\n  func save() {\n    let work = {\n      DispatchQueue.main.sync { self.store.flush() }\n    }\n    DispatchQueue.global().async(execute: work)\n  }\n}`,
          `final class Saver {\n  func save() {\n    let onExpire: () -> Void = {\n      DispatchQueue.main.sync { self.store.flush() }\n    }\n    onExpire()\n    task = UIApplication.shared.beginBackgroundTask(expirationHandler: onExpire)\n  }\n}`,
        ],
      },
      objc: {
        invalid: [
          `@implementation Saver\n- (void)save {\n  self.task = [[UIApplication sharedApplication] beginBackgroundTaskWithExpirationHandler:^{\n    ↓dispatch_sync(dispatch_get_main_queue(), ^{ [self.store flush]; });\n    [self finish];\n  }];\n}\n@end`,
          `@interface FeedViewController : UIViewController\n@end\n@implementation FeedViewController\n- (void)viewDidLoad {\n  [super viewDidLoad];\n  dispatch_semaphore_t semaphore = dispatch_semaphore_create(0);\n  [self.api fetchFeedWithCompletion:^(Feed *result) {\n    self.feed = result;\n    dispatch_semaphore_signal(semaphore);\n  }];\n  ↓dispatch_semaphore_wait(semaphore, DISPATCH_TIME_FOREVER);\n}\n@end`,
          `@interface GalleryViewController : UIViewController\n@end\n@implementation GalleryViewController\n- (void)viewDidLoad {\n  [super viewDidLoad];\n  [self reloadNow];\n}\n- (void)reloadNow {\n  dispatch_queue_t mainQueue = dispatch_get_main_queue();\n  ↓dispatch_sync(mainQueue, ^{ [self.collectionView reloadData]; });\n}\n@end`,
          `@implementation TaskRegistrar\n- (void)registerTasks {\n  [[BGTaskScheduler sharedScheduler] registerForTaskWithIdentifier:@"com.example.cleanup" usingQueue:dispatch_get_main_queue() launchHandler:^(BGTask *task) {\n    dispatch_group_t group = dispatch_group_create();\n    [self cleanupInGroup:group];\n    ↓dispatch_group_wait(group, DISPATCH_TIME_FOREVER);\n    [task setTaskCompletedWithSuccess:YES];\n  }];\n}\n@end`,
          `@implementation Saver\n- (void)save {\n  self.onExpire = ^{\n    ↓dispatch_sync(dispatch_get_main_queue(), ^{ [self.store flush]; });\n    [self finish];\n  };\n  self.task = [[UIApplication sharedApplication] beginBackgroundTaskWithExpirationHandler:self.onExpire];\n}\n@end`,
          `@interface GalleryViewController : UIViewController\n@end\n@implementation GalleryViewController\n- (void)viewDidLoad {\n  [super viewDidLoad];\n  [self reloadNow];\n}\n@end\n\n@implementation GalleryViewController (Reloading)\n- (void)reloadNow {\n  ↓dispatch_sync(dispatch_get_main_queue(), ^{ [self.collectionView reloadData]; });\n}\n@end`,
        ],
        valid: [
          `@interface FeedViewController : UIViewController\n@end\n@implementation FeedViewController\n- (void)refresh {\n  dispatch_async(dispatch_get_global_queue(QOS_CLASS_USER_INITIATED, 0), ^{\n    Feed *feed = [self.store load];\n    dispatch_sync(dispatch_get_main_queue(), ^{ [self showFeed:feed]; });\n  });\n}\n@end`,
          `@interface FeedViewController : UIViewController\n@end\n@implementation FeedViewController\n- (void)updateDisplay {\n  if (![NSThread isMainThread]) {\n    dispatch_sync(dispatch_get_main_queue(), ^{ [self performUpdate]; });\n  } else {\n    [self performUpdate];\n  }\n}\n@end`,
          `@interface CameraViewController : UIViewController <AVCaptureVideoDataOutputSampleBufferDelegate>\n@end\n@implementation CameraViewController\n- (void)captureOutput:(AVCaptureOutput *)output didOutputSampleBuffer:(CMSampleBufferRef)buffer fromConnection:(AVCaptureConnection *)connection {\n  UIImage *image = [self imageFromBuffer:buffer];\n  dispatch_sync(dispatch_get_main_queue(), ^{ self.preview.image = image; });\n}\n@end`,
          `@interface TicketViewController : UIViewController\n@property (nonatomic, strong) dispatch_semaphore_t lock;\n@end\n@implementation TicketViewController\n- (void)viewDidLoad {\n  [super viewDidLoad];\n  dispatch_semaphore_wait(self.lock, DISPATCH_TIME_FOREVER);\n  self.remaining -= 1;\n  dispatch_semaphore_signal(self.lock);\n}\n@end`,
          `@implementation Importer\n- (void)importAll {\n  dispatch_semaphore_t semaphore = dispatch_semaphore_create(0);\n  [self.api fetchWithCompletion:^{ dispatch_semaphore_signal(semaphore); }];\n  dispatch_semaphore_wait(semaphore, DISPATCH_TIME_FOREVER);\n}\n@end`,
          `@implementation Saver\n- (void)save {\n  void (^work)(void) = ^{\n    dispatch_sync(dispatch_get_main_queue(), ^{ [self.store flush]; });\n  };\n  dispatch_async(dispatch_get_global_queue(QOS_CLASS_UTILITY, 0), work);\n}\n@end`,
        ],
      },
    },
    triggers: ['DispatchQueue.main.sync', 'dispatch_sync', 'DispatchSemaphore', 'DispatchGroup', 'dispatch_semaphore_wait', 'dispatch_group_wait'],
  },
  create(context) {
    const seen = new Set<CallExpr>();
    const once = (wait: BlockingWait | undefined) => {
      if (wait && !seen.has(wait.call)) {
        seen.add(wait.call);
        check(context, wait);
      }
    };
    return {
      call: (call: CallExpr) => once(blockingWait(call)),
      // Methods that wait on a property's semaphore may mention no trigger, and the walk skips such bodies.
      type: (type: TypeDecl) => propertyWaitsIn(type).forEach(once),
    };
  },
});

function check(context: RuleContext, wait: BlockingWait): void {
  const { call } = wait;
  const main = mainQueueContext(call, context.index, context.target);
  if (!main) return;
  if (wait.kind === 'main-sync') {
    context.report({ at: call.nameSpan, messageId: 'mainSync', data: { call: syncName(context, call), because: main.because }, suggest: asyncSuggestion(context, wait) });
  } else {
    context.report({ at: call.nameSpan, messageId: 'wait', data: { what: wait.kind, because: main.because } });
  }
}

function syncName(context: RuleContext, call: CallExpr): string {
  return context.language === 'objc' ? 'dispatch_sync(dispatch_get_main_queue(), …)' : 'DispatchQueue.main.sync';
}

/** `sync` → `async` where nothing uses the block's result (the caller then no longer waits for it). */
function asyncSuggestion(context: RuleContext, wait: BlockingWait): Fix[] {
  const { call } = wait;
  if (call.parent?.kind !== 'block') return [];
  const name = context.text.slice(call.nameSpan.startIndex, call.nameSpan.endIndex);
  const replacement = name === 'dispatch_sync' ? 'dispatch_async' : name === 'sync' ? 'async' : undefined;
  if (!replacement) return [];
  return [{ description: `Dispatch asynchronously (\`${replacement}\`): the caller no longer waits for the block`, edits: [context.replace(call.nameSpan, replacement)] }];
}
