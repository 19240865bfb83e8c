import {
  REGISTER_TASK, bindArguments, defineRule, descendants, registersContinuedProcessing,
  enclosingFunction, firstRegistrationElsewhere, isLaunchFunction, matchesSignature, resolveString, rootOf, runsAfterLaunch, sameTypeCallers,
} from '@bglint/core';
import type { CallExpr, RuleContext, SyntaxNode } from '@bglint/core';

const appDelegate = (body: string) =>
  `class AppDelegate: UIResponder, UIApplicationDelegate {\n  func application(_ application: UIApplication, didFinishLaunchingWithOptions options: [UIApplication.LaunchOptionsKey: Any]?) -> Bool {\n${body}\n    return true\n  }\n}`;

export default defineRule({
  meta: {
    id: 'bgtask-register-timing',
    severity: 'error',
    since: '0.3.0',
    summary: 'Register BGTask launch handlers before the app finishes launching, once per identifier.',
    why:
      'BGTaskScheduler accepts launch handlers only until the app finishes launching: every ' +
      '`register(forTaskWithIdentifier:using:launchHandler:)` must have run by the time ' +
      '`application(_:didFinishLaunchingWithOptions:)` returns (or the SwiftUI `App`\'s `init` ends). A registration in ' +
      '`viewDidLoad`, a scene callback, a SwiftUI view\'s `init`, `body`, `.onAppear` or `.task`, in a closure dispatched for ' +
      'later (`DispatchQueue.main.async`, `Task {}`), or after an `await` runs too late, and so does one in a helper called ' +
      'from there (one level of same-type helpers is followed). When the system launches the app in the background to run ' +
      'the task, no handler is registered yet. Registering an identifier that already has a handler fails the same way. ' +
      'Handlers for continued-processing tasks (iOS 26) are exempt: they are registered when the user starts the work. ' +
      'A second registration of one identifier is reported in the same file (unless the two are in different branches of ' +
      'one `if` or `switch`) and across files, at the later file in path order; identifiers built at run time are skipped. ' +
      'A registration in a helper whose callers are not in this file is not reported: where it runs is unknown.',
    symptom:
      'The app crashes with `NSInternalInconsistencyException`: "All launch handlers must be registered before application ' +
      'finishes launching" (or "Launch handler for task with identifier … has already been registered").',
    // "No launch handler registered" names this rule before bgtask-plist-mismatch (which weighs it 2):
    // registering late is the likelier cause, as an identifier missing from the Info.plist makes `submit` fail first.
    logPatterns: [
      { pattern: /launch handlers must be registered before application finishes launching/i, weight: 3 },
      { pattern: /Launch handler for task with identifier .* has already been registered/i, weight: 3 },
      { pattern: /No launch handler registered for task with identifier/i, weight: 3 },
    ],
    fix:
      'Register every handler in `application(_:didFinishLaunchingWithOptions:)` (or a helper it calls), or in the SwiftUI ' +
      '`App`\'s `init`, exactly once; schedule requests wherever you like.',
    references: [
      'https://developer.apple.com/documentation/backgroundtasks/bgtaskscheduler/register(fortaskwithidentifier:using:launchhandler:)',
      'https://developer.apple.com/documentation/uikit/using-background-tasks-to-update-your-app',
      'https://developer.apple.com/forums/thread/728585',
    ],
    tags: ['correctness', 'background-tasks'],
    precision: 'high',
    messages: {
      late: 'This launch handler is registered after the app finished launching ({{because}}): BGTaskScheduler throws "All launch handlers must be registered before application finishes launching" and the app crashes. Register it in application(_:didFinishLaunchingWithOptions:) or the App\'s init.',
      lateCaller: 'This launch handler is registered in `{{function}}`, which is called on line {{line}} after the app finished launching ({{because}}): BGTaskScheduler throws "All launch handlers must be registered before application finishes launching" and the app crashes. Register it in application(_:didFinishLaunchingWithOptions:) or the App\'s init.',
      duplicate: '"{{identifier}}" already has a launch handler registered {{where}}: registering it again throws "Launch handler for task with identifier … has already been registered" and the app crashes. Register each identifier once, at launch.',
    },
    examples: {
      swift: {
        invalid: [
          `final class FeedViewController: UIViewController {\n  override func viewDidLoad() {\n    super.viewDidLoad()\n    BGTaskScheduler.shared.↓register(forTaskWithIdentifier: "com.example.refresh", using: nil) { task in\n      self.refresh(task as! BGAppRefreshTask)\n    }\n  }\n}`,
          `struct ContentView: View {\n  var body: some View {\n    FeedList()\n      .onAppear {\n        BGTaskScheduler.shared.↓register(forTaskWithIdentifier: "com.example.refresh", using: nil) { task in\n          Feed.refresh(task)\n        }\n      }\n  }\n}`,
          appDelegate(`    DispatchQueue.main.async {\n      BGTaskScheduler.shared.↓register(forTaskWithIdentifier: "com.example.refresh", using: nil) { task in\n        Feed.refresh(task)\n      }\n    }`),
          `final class SceneDelegate: UIResponder, UIWindowSceneDelegate {\n  func sceneDidBecomeActive(_ scene: UIScene) {\n    registerTasks()\n  }\n  private func registerTasks() {\n    BGTaskScheduler.shared.↓register(forTaskWithIdentifier: "com.example.refresh", using: nil) { task in\n      Feed.refresh(task)\n    }\n  }\n}`,
          `@main struct FeedApp: App {\n  init() {\n    Task {\n      await Store.shared.load()\n      BGTaskScheduler.shared.↓register(forTaskWithIdentifier: "com.example.refresh", using: nil) { task in\n        Feed.refresh(task)\n      }\n    }\n  }\n  var body: some Scene { WindowGroup { ContentView() } }\n}`,
          `final class Bootstrapper {\n  func start() async {\n    await Store.shared.load()\n    BGTaskScheduler.shared.↓register(forTaskWithIdentifier: "com.example.refresh", using: nil) { task in\n      Feed.refresh(task)\n    }\n  }\n}`,
          appDelegate(`    BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.refresh", using: nil) { task in Feed.refresh(task) }\n    BGTaskScheduler.shared.↓register(forTaskWithIdentifier: "com.example.refresh", using: nil) { task in Feed.refresh(task) }`),
          {
            code: `enum Cleanup {\n  static func register() {\n    BGTaskScheduler.shared.↓register(forTaskWithIdentifier: "com.example.cleanup", using: nil) { task in\n      Store.clean(task)\n    }\n  }\n}`,
            project: { sources: [`enum Maintenance {\n  static func register() {\n    BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.cleanup", using: nil) { task in Store.clean(task) }\n  }\n}`] },
          },
          `class AppDelegate: UIResponder, UIApplicationDelegate {\n  func application(_ application: UIApplication, didFinishLaunchingWithOptions options: [UIApplication.LaunchOptionsKey: Any]?) -> Bool {\n    let registration = {\n      BGTaskScheduler.shared.↓register(forTaskWithIdentifier: "com.example.refresh", using: nil) { task in Feed.refresh(task) }\n    }\n    DispatchQueue.main.async(execute: registration)\n    return true\n  }\n}`,
        ],
        valid: [
          `class AppDelegate: UIResponder, UIApplicationDelegate {\n  func application(_ application: UIApplication, didFinishLaunchingWithOptions options: [UIApplication.LaunchOptionsKey: Any]?) -> Bool {\n    registerBackgroundTasks()\n    return true\n  }\n  private func registerBackgroundTasks() {\n    BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.refresh", using: nil) { task in\n      self.refresh(task as! BGAppRefreshTask)\n    }\n  }\n}`,
          `@main struct FeedApp: App {\n  init() {\n    BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.refresh", using: nil) { task in\n      Feed.refresh(task)\n    }\n  }\n  var body: some Scene { WindowGroup { ContentView() } }\n}`,
          `final class ExportController: UIViewController {\n  @objc func exportTapped() {\n    BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.export.video", using: nil) { task in\n      self.export(task as! BGContinuedProcessingTask)\n    }\n    let request = BGContinuedProcessingTaskRequest(identifier: "com.example.export.video", title: "Export", subtitle: "Starting")\n    try? BGTaskScheduler.shared.submit(request)\n  }\n}`,
          appDelegate(`    if #available(iOS 17, *) {\n      BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.refresh", using: nil) { task in Feed.refreshModern(task) }\n    } else {\n      BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.refresh", using: nil) { task in Feed.refresh(task) }\n    }`),
          `final class FeedViewController: UIViewController {\n  override func viewDidLoad() {\n    super.viewDidLoad()\n    DispatchQueue.main.async { Feed.scheduleRefresh() }\n  }\n}`,
          `class AppDelegate: UIResponder, UIApplicationDelegate {\n  func application(_ application: UIApplication, didFinishLaunchingWithOptions options: [UIApplication.LaunchOptionsKey: Any]?) -> Bool {\n    let registration = {\n      BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.refresh", using: nil) { task in Feed.refresh(task) }\n    }\n    registration()\n    return true\n  }\n}`,
        ],
      },
      objc: {
        invalid: [
          `@implementation FeedViewController\n- (void)viewDidLoad {\n  [super viewDidLoad];\n  [[BGTaskScheduler sharedScheduler] ↓registerForTaskWithIdentifier:@"com.example.refresh" usingQueue:nil launchHandler:^(BGTask *task) {\n    [self refresh:task];\n  }];\n}\n@end`,
          `@implementation AppDelegate\n- (BOOL)application:(UIApplication *)application didFinishLaunchingWithOptions:(NSDictionary *)options {\n  dispatch_async(dispatch_get_main_queue(), ^{\n    [[BGTaskScheduler sharedScheduler] ↓registerForTaskWithIdentifier:@"com.example.refresh" usingQueue:nil launchHandler:^(BGTask *task) {\n      [self refresh:task];\n    }];\n  });\n  return YES;\n}\n@end`,
          `@implementation AppDelegate\n- (BOOL)application:(UIApplication *)application didFinishLaunchingWithOptions:(NSDictionary *)options {\n  void (^registration)(void) = ^{\n    [[BGTaskScheduler sharedScheduler] ↓registerForTaskWithIdentifier:@"com.example.refresh" usingQueue:nil launchHandler:^(BGTask *task) {\n      [self refresh:task];\n    }];\n  };\n  dispatch_async(dispatch_get_main_queue(), registration);\n  return YES;\n}\n@end`,
        ],
        valid: [
          `@implementation AppDelegate\n- (BOOL)application:(UIApplication *)application didFinishLaunchingWithOptions:(NSDictionary *)options {\n  [self registerTasks];\n  return YES;\n}\n- (void)registerTasks {\n  [[BGTaskScheduler sharedScheduler] registerForTaskWithIdentifier:@"com.example.refresh" usingQueue:nil launchHandler:^(BGTask *task) {\n    [self refresh:task];\n  }];\n}\n@end`,
          `@implementation AppDelegate\n- (BOOL)application:(UIApplication *)application didFinishLaunchingWithOptions:(NSDictionary *)options {\n  void (^registration)(void) = ^{\n    [[BGTaskScheduler sharedScheduler] registerForTaskWithIdentifier:@"com.example.refresh" usingQueue:nil launchHandler:^(BGTask *task) {\n      [self refresh:task];\n    }];\n  };\n  registration();\n  return YES;\n}\n@end`,
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
  // Continued-processing handlers are registered when the user starts the work (iOS 26), not at launch.
  if (registersContinuedProcessing(call, context.index)) return;
  const at = call.nameSpan;
  const late = runsAfterLaunch(call, context.index);
  if (late) {
    context.report({ at, messageId: 'late', data: { because: late.because } });
    return;
  }
  const fn = enclosingFunction(call);
  if (fn && !isLaunchFunction(fn, context.index)) {
    for (const caller of sameTypeCallers(fn)) {
      const callerLate = runsAfterLaunch(caller, context.index);
      if (!callerLate) continue;
      const related = [{ at: caller.nameSpan, message: 'called here, after launch' }];
      context.report({ at, messageId: 'lateCaller', data: { function: fn.name, line: caller.range.start.line, because: callerLate.because }, related });
      return;
    }
  }
  reportDuplicate(context, call);
}

function identifierOf(call: CallExpr): string | undefined {
  const resolved = resolveString(bindArguments(call, REGISTER_TASK)?.get('forTaskWithIdentifier'));
  return resolved.kind === 'static' ? resolved.value : undefined;
}

/** A registration of the same identifier earlier in this file (not in an exclusive branch), or in a file indexed before it. */
function reportDuplicate(context: RuleContext, call: CallExpr): void {
  const identifier = identifierOf(call);
  if (identifier === undefined) return;
  const earlier = [...descendants(rootOf(call))].find(
    (n): n is CallExpr => n.kind === 'call' && n.startIndex < call.startIndex && matchesSignature(n, REGISTER_TASK) &&
      identifierOf(n) === identifier && !exclusive(n, call) && !registersContinuedProcessing(n, context.index),
  );
  if (earlier) {
    const related = [{ at: earlier.nameSpan, message: 'first registered here' }];
    context.report({ at: call.nameSpan, messageId: 'duplicate', data: { identifier, where: `on line ${earlier.range.start.line}` }, related });
    return;
  }
  const first = firstRegistrationElsewhere(context.index.taskRegistrationSites.get(identifier), context.file);
  if (first) {
    const range = { start: { line: first.line, column: 1 }, end: { line: first.line, column: 1 } };
    const related = [{ file: first.file, range, message: 'first registered here' }];
    context.report({ at: call.nameSpan, messageId: 'duplicate', data: { identifier, where: `in ${first.file}:${first.line}` }, related });
  }
}

/** Are the two nodes in different branches of one `if`/`switch`, so that only one of them runs? */
function exclusive(a: SyntaxNode, b: SyntaxNode): boolean {
  const branchesOfA = new Map<SyntaxNode, SyntaxNode>();
  for (let child = a, p = a.parent; p; child = p, p = p.parent) branchesOfA.set(p, child);
  for (let child = b, p = b.parent; p; child = p, p = p.parent) {
    const branchOfA = branchesOfA.get(p);
    if (branchOfA === undefined) continue;
    if (branchOfA === child) return false;
    if (p.kind === 'switch') return true;
    return p.kind === 'if' && [p.then, p.else].includes(branchOfA as never) && [p.then, p.else].includes(child as never);
  }
  return false;
}
