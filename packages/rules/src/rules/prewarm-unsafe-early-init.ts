import { defineRule, earlyLaunchCode, isProcessExit, mayRunInIOSApp, protectedReadOf, readsActivePrewarm, callsIn } from '@bglint/core';
import type { CallExpr, EarlyLaunchCode, EarlyLaunchKind, RuleContext, RuleListener } from '@bglint/core';

const WHERE: Record<EarlyLaunchKind, string> = {
  load: '+load',
  constructor: 'a constructor function',
  main: 'main before UIApplicationMain',
  'app-init': 'App.init',
  'will-finish-launching': 'application(_:willFinishLaunchingWithOptions:)',
};

const READS = { keychain: 'keychainRead', 'user-defaults': 'defaultsRead', 'container-file': 'fileRead' } as const;

export default defineRule({
  meta: {
    id: 'prewarm-unsafe-early-init',
    severity: 'warning',
    since: '0.3.0',
    summary: 'Code that runs while iOS prewarms the app must not read protected data or exit.',
    why:
      'Since iOS 15 the system may prewarm an app: launch its process ahead of use, possibly after a reboot and before ' +
      'the device is first unlocked, running pre-main code (`+load`, `__attribute__((constructor))`, `main` up to ' +
      '`UIApplicationMain`) and, in practice, the first steps of launch (`App.init`, ' +
      '`application(_:willFinishLaunchingWithOptions:)`). Protected data is not available then: keychain items ' +
      'accessible after unlock fail to read, files in the data container cannot be opened, and `UserDefaults` returns ' +
      'only default values. Code that reads them that early takes "not found" for "logged out" or a fresh install, and ' +
      'may write that state back. Exiting the process (`exit`, `abort`) to dodge prewarming kills a launch the system ' +
      'started on purpose, and the `ActivePrewarm` environment variable it is usually keyed on is undocumented and no ' +
      'longer set on current systems. The rule follows one level of same-file calls from those places; reads of files ' +
      'in the app bundle are fine (the bundle is not data-protected). It skips code that cannot run in an iOS app ' +
      '(macOS-only targets or files, app extensions, tests). Only files that declare early code are read (`+load`, a ' +
      'constructor, `main`, a `@main` type, `willFinishLaunching`), so an `App.init` written in an extension in another ' +
      'file is not seen.',
    symptom:
      '"UserDefaults only returns default values (nil, 0, false)" during prewarm launches, and keychain items are ' +
      'inaccessible, so "the app can assume no session exists"; the `getenv("ActivePrewarm")` + `exit(0)` workaround ' +
      'stops working on iOS 16 and later.',
    fix:
      'Move the read out of early launch, into code that runs when the app is used (`didFinishLaunching` once ' +
      '`UIApplication.shared.isProtectedDataAvailable` is true, or on `protectedDataDidBecomeAvailableNotification`), and ' +
      'remove the `ActivePrewarm` check and the `exit`.',
    references: [
      'https://developer.apple.com/documentation/uikit/about-the-app-launch-sequence#Prepare-your-app-for-prewarming',
      'https://developer.apple.com/documentation/uikit/uiapplication/isprotecteddataavailable',
      'https://developer.apple.com/documentation/uikit/uiapplication/protecteddatadidbecomeavailablenotification',
    ],
    tags: ['correctness', 'launch', 'prewarming'],
    precision: 'medium',
    messages: {
      keychainRead: 'This keychain read runs in {{where}}, which iOS may run while prewarming the app before the device is unlocked; the item is then unavailable and the read fails. Read it once protected data is available (isProtectedDataAvailable, protectedDataDidBecomeAvailableNotification).',
      defaultsRead: 'This UserDefaults read runs in {{where}}, which iOS may run while prewarming the app before the device is unlocked; UserDefaults then returns only default values. Read it later, once protected data is available (isProtectedDataAvailable, protectedDataDidBecomeAvailableNotification).',
      fileRead: 'This read of a file in the app\'s data container runs in {{where}}, which iOS may run while prewarming the app before the device is unlocked; the protected file cannot be read then. Read it once protected data is available (protectedDataDidBecomeAvailableNotification).',
      exit: '{{api}} in {{where}} ends a process that iOS may be prewarming on purpose; the app then starts cold when the user opens it. Defer the work that must not run early instead of exiting.',
      activePrewarm: 'ActivePrewarm is an undocumented environment variable that current iOS versions do not set, so this check does not detect prewarming. Defer protected-data work until UIApplication.isProtectedDataAvailable is true or protectedDataDidBecomeAvailableNotification arrives.',
    },
    examples: {
      swift: {
        invalid: [
          `@main\nstruct ReaderApp: App {\n  @StateObject private var session: Session\n\n  init() {\n    let token = UserDefaults.standard.↓string(forKey: "authToken")\n    _session = StateObject(wrappedValue: Session(token: token))\n  }\n\n  var body: some Scene { WindowGroup { ContentView() } }\n}`,
          `final class AppDelegate: UIResponder, UIApplicationDelegate {\n  func application(_ application: UIApplication, willFinishLaunchingWithOptions launchOptions: [UIApplication.LaunchOptionsKey: Any]?) -> Bool {\n    restoreSession()\n    return true\n  }\n\n  private func restoreSession() {\n    var item: CFTypeRef?\n    let status = ↓SecItemCopyMatching(query as CFDictionary, &item)\n    signedIn = status == errSecSuccess\n  }\n}`,
          `@main\nstruct NotesApp: App {\n  init() {\n    if ProcessInfo.processInfo.↓environment["ActivePrewarm"] == "1" {\n      ↓exit(0)\n    }\n  }\n  var body: some Scene { WindowGroup { NotesView() } }\n}`,
          `@main\nstruct NotesApp: App {\n  init() {\n    let folder = FileManager.default.urls(for: .documentDirectory, in: .userDomainMask)[0]\n    let data = try? ↓Data(contentsOf: folder.appendingPathComponent("state.json"))\n    Store.shared.restore(from: data)\n  }\n  var body: some Scene { WindowGroup { NotesView() } }\n}`,
        ],
        valid: [
          `@main\nstruct ReaderApp: App {\n  init() {\n    let config = try? Data(contentsOf: Bundle.main.url(forResource: "config", withExtension: "json")!)\n    Theme.configure(config)\n  }\n  var body: some Scene { WindowGroup { ContentView() } }\n}`,
          `final class AppDelegate: UIResponder, UIApplicationDelegate {\n  func application(_ application: UIApplication, didFinishLaunchingWithOptions launchOptions: [UIApplication.LaunchOptionsKey: Any]?) -> Bool {\n    let token = UserDefaults.standard.string(forKey: "authToken")\n    session.restore(token)\n    return true\n  }\n}`,
          `@main\nstruct ReaderApp: App {\n  init() {\n    NotificationCenter.default.addObserver(forName: UIApplication.protectedDataDidBecomeAvailableNotification, object: nil, queue: .main) { _ in\n      Session.shared.restore(token: UserDefaults.standard.string(forKey: "authToken"))\n    }\n  }\n  var body: some Scene { WindowGroup { ContentView() } }\n}`,
          `@main\nstruct ReaderApp: App {\n  init() {\n    UserDefaults.standard.register(defaults: ["fontSize": 14])\n  }\n  var body: some Scene { WindowGroup { ContentView() } }\n}`,
          `import AppKit\n\n@main\nstruct MenuApp: App {\n  init() {\n    let launches = UserDefaults.standard.integer(forKey: "launches")\n    UserDefaults.standard.set(launches + 1, forKey: "launches")\n  }\n  var body: some Scene { MenuBarExtra("Menu") { MenuView() } }\n}`,
        ],
      },
      objc: {
        invalid: [
          `__attribute__((constructor))\nstatic void ModuleInitializer(void) {\n  char *isPrewarm = ↓getenv("ActivePrewarm");\n  if (isPrewarm != NULL && isPrewarm[0] == '1') {\n    ↓exit(0);\n  }\n}`,
          `@implementation TMSession\n+ (void)load {\n  NSString *token = [[NSUserDefaults standardUserDefaults] ↓stringForKey:@"authToken"];\n  [self restoreWithToken:token];\n}\n@end`,
          `@implementation TMLaunchTracker\n+ (void)load {\n  launchedByPrewarm = [↓NSProcessInfo.processInfo.environment[@"ActivePrewarm"] isEqualToString:@"1"];\n}\n@end`,
          `int main(int argc, char *argv[]) {\n  @autoreleasepool {\n    NSDictionary *query = @{ (__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword };\n    CFTypeRef result = NULL;\n    ↓SecItemCopyMatching((__bridge CFDictionaryRef)query, &result);\n    return UIApplicationMain(argc, argv, nil, NSStringFromClass([AppDelegate class]));\n  }\n}`,
          `#if TARGET_OS_IOS\n__attribute__((constructor))\nstatic void TMLoadSession(void) {\n  NSString *token = [[NSUserDefaults standardUserDefaults] ↓stringForKey:@"authToken"];\n  TMSessionRestore(token);\n}\n#endif`,
        ],
        valid: [
          `@implementation TMSession\n+ (void)load {\n  [[NSNotificationCenter defaultCenter] addObserver:self selector:@selector(restore) name:UIApplicationProtectedDataDidBecomeAvailableNotification object:nil];\n}\n@end`,
          `int main(int argc, char *argv[]) {\n  @autoreleasepool {\n    int code = UIApplicationMain(argc, argv, nil, NSStringFromClass([AppDelegate class]));\n    [[NSUserDefaults standardUserDefaults] synchronize];\n    return code;\n  }\n}`,
          `- (void)testPrewarmedLaunchIsDetected {\n  setenv("ActivePrewarm", "1", 1);\n  [TMLaunchTracker load];\n  XCTAssertTrue(TMLaunchTracker.launchedByPrewarm);\n}`,
          `int main(int argc, const char *argv[]) {\n  NSString *name = [[NSUserDefaults standardUserDefaults] stringForKey:@"name"];\n  if (name == nil) exit(1);\n  return run(name);\n}`,
          `@implementation TMSettings\n- (void)application:(UIApplication *)application didFinishLaunchingWithOptions:(NSDictionary *)options {\n  self.token = [[NSUserDefaults standardUserDefaults] stringForKey:@"authToken"];\n}\n@end`,
          `#if TARGET_OS_IOS\nstatic void TMLoadSession(void) {\n  NSString *token = [[NSUserDefaults standardUserDefaults] stringForKey:@"authToken"];\n  TMSessionRestore(token);\n}\n#endif`,
        ],
      },
    },
    // Where early code is declared (reads in a file without one are never early): `+load`, constructors,
    // `main`, `@main` App types, willFinishLaunching. An `App.init` in an extension in a file without `@main` is missed.
    triggers: ['ActivePrewarm', 'UIApplicationMain', 'willFinishLaunchingWithOptions', 'void)load', 'void) load', 'constructor', '@main'],
  },
  create(context) {
    const early: RuleListener = {
      file(root) {
        if (!mayRunInIOSApp(context.project, context.text)) return;
        const seen = new Set<CallExpr>();
        for (const code of earlyLaunchCode(root, context.file, context.index)) checkEarlyCode(context, code, seen);
      },
    };
    // Resolving every call's arguments is costly in large files: only where the name is written at all.
    if (!context.text.includes('ActivePrewarm')) return early;
    return {
      ...early,
      call(call) {
        if (readsActivePrewarm(call)) context.report({ at: call.nameSpan, messageId: 'activePrewarm' });
      },
      other(subscript) {
        if (readsActivePrewarm(subscript)) context.report({ at: subscript, messageId: 'activePrewarm' });
      },
    };
  },
});

function checkEarlyCode(context: RuleContext, code: EarlyLaunchCode, seen: Set<CallExpr>): void {
  const where = code.calledFrom ? `${WHERE[code.kind]} (through ${code.calledFrom.baseName} on line ${code.calledFrom.range.start.line})` : WHERE[code.kind];
  for (const statement of code.statements) {
    for (const call of callsIn(statement, () => true, false)) {
      if (seen.has(call)) continue;
      const read = protectedReadOf(call);
      const messageId = read ? READS[read] : isProcessExit(call) ? 'exit' : undefined;
      if (!messageId) continue;
      seen.add(call);
      context.report({ at: call.nameSpan, messageId, data: { where, api: call.baseName } });
    }
  }
}
