import {
  KEYCHAIN_TRIGGERS, ancestors, backgroundReachOf, backgroundScopeOf, callsIn, constantName, defineRule, describeReach, descendants, enclosingFunction,
  enclosingType, entryValue, hasKey, keychainQueriesOf, keychainReadUnits, rootOf, secItemOperation, signedInChecksOf, staticString, unitKeyOf,
} from '@bglint/core';
import type { CallExpr, CodeBody, Expr, FunctionDecl, KeychainQuery, ProjectIndex, RuleContext, SyntaxNode } from '@bglint/core';

/** Classes whose items cannot be read while the device is locked. */
const LOCKED_OUT = /^(kSecAttrAccessibleWhenUnlocked(ThisDeviceOnly)?|kSecAttrAccessibleWhenPasscodeSetThisDeviceOnly|whenUnlocked(ThisDeviceOnly)?|whenPasscodeSetThisDeviceOnly)$/;
/** What a failed read is taken to mean when the code signs the user out or deletes the item. */
const LOGS_OUT = /^(log_?out|logOut|sign_?out|signOut|clear(Session|Credentials|Tokens?|Auth\w*|Keychain|Account)|reset(Session|Auth\w*|Credentials)|delete(Session|Credentials|Tokens?|Account)|remove(Session|Credentials|Tokens?|Account)|SecItemDelete|showLogin\w*|presentLogin\w*)$/i;
const SUCCESS = /^(errSecSuccess|noErr)$/;

export default defineRule({
  meta: {
    id: 'keychain-background-accessibility',
    severity: 'warning',
    since: '0.2.0',
    summary: 'Give keychain items that background code reads a class readable while the device is locked, and do not treat a locked keychain as a logged-out user.',
    why:
      'Items added with `kSecAttrAccessibleWhenUnlocked` (the default when no class is given) or `…WhenPasscodeSetThisDeviceOnly` ' +
      'cannot be read while the device is locked. Background launches (BGTask handlers, background fetch and silent pushes, ' +
      'background URLSession events, notification service extensions, prewarming) often happen with the device locked: ' +
      'the read fails with `errSecInteractionNotAllowed`, and code that takes any failure for "no item" signs the user ' +
      'out or deletes the credentials. Reported: an add whose item is read from code that runs in the background (in this ' +
      'file or another), and a failed `SecItemCopyMatching` that leads to signing out or deleting without ' +
      'a branch for `errSecInteractionNotAllowed`. Items with a different static service or account than the read are not linked. ' +
      'Background code in other files is followed through the project index: calls and typed or `@Dependency` properties, closures ' +
      'given for a type\'s members (`Client(load: { … })`), a closure handed to a member that calls it from a launch handler, and ' +
      'reducer actions sent (`store.send(.refresh)` reaches `case .refresh`). A read in another file is linked when it belongs to the ' +
      'add\'s type or names the same literal service or account. A read reduced to `status == errSecSuccess` is reported when code ' +
      'elsewhere keeps the result as the signed-in state (`let hasToken = keychain.exists(…)`). On hand-labeled real code it found ' +
      'both of 2 real defects and reported nothing wrong (docs/precision.md).',
    symptom:
      'Keychain reads fail in background launches ("authorization denied", "attempts to access authentication information stored in the keychain also fails"); "the app can assume no session exists".',
    fix:
      'Add the item with `kSecAttrAccessibleAfterFirstUnlock` (or `…AfterFirstUnlockThisDeviceOnly`) when background code needs it, ' +
      'and treat `errSecInteractionNotAllowed` as "try again later", not as a missing item.',
    references: [
      'https://developer.apple.com/documentation/security/restricting-keychain-item-accessibility',
      'https://developer.apple.com/documentation/security/ksecattraccessibleafterfirstunlock',
      'https://developer.apple.com/documentation/security/errsecinteractionnotallowed',
      'https://developer.apple.com/documentation/uikit/uiapplication/isprotecteddataavailable',
    ],
    tags: ['correctness', 'keychain', 'background-tasks'],
    precision: 'high',
    hasSuggestions: true,
    messages: {
      lockedClass:
        'This item is added with {{accessibility}}, but {{scope}} reads it (line {{readLine}}), and background launches often happen while the device is locked: the read fails with errSecInteractionNotAllowed. Use kSecAttrAccessibleAfterFirstUnlock{{thisDeviceOnly}}.',
      lockedClassElsewhere:
        'This item is added with {{accessibility}}, but {{scope}} reads it ({{reader}}, another file), and background launches often happen while the device is locked: the read fails with errSecInteractionNotAllowed. Use kSecAttrAccessibleAfterFirstUnlock{{thisDeviceOnly}}.',
      successAsSignedIn:
        'This SecItemCopyMatching is reduced to success or not ({{unit}} returns {{status}} == errSecSuccess), and {{caller}} keeps that as {{name}}: while the device is locked (background launches, prewarming) the read fails with errSecInteractionNotAllowed although the item exists, so the user reads as signed out. Return the status (or throw) and handle errSecInteractionNotAllowed apart.',
      failureLogsOut:
        'Any failure of this SecItemCopyMatching leads to {{action}} (line {{actionLine}}), but while the device is locked (background launches, prewarming) the read fails with errSecInteractionNotAllowed although the item exists: the user is signed out for nothing. Handle errSecInteractionNotAllowed apart (retry once protected data is available).',
    },
    examples: {
      swift: {
        invalid: [
          { code: `final class TokenStore {\n  func save(_ token: Data) {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api",  kSecValueData as String: token]\n    ↓SecItemAdd(query as CFDictionary, nil)\n  }\n  func token() -> Data? {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecReturnData as String: true]\n    var result: AnyObject?\n    SecItemCopyMatching(query as CFDictionary, &result)\n    return result as? Data\n  }\n}`, project: { sources: [`final class RefreshScheduler {\n  private let store: TokenStore\n  init(store: TokenStore) { self.store = store }\n  func register() {\n    BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.refresh", using: nil) { task in\n      let token = self.store.token()\n      task.setTaskCompleted(success: token != nil)\n    }\n  }\n}`] } },
          { code: `final class KeychainWriter {\n  func save(_ token: Data) {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecValueData as String: token]\n    ↓SecItemAdd(query as CFDictionary, nil)\n  }\n}`, project: { sources: [`final class SyncWorker {\n  func token() -> Data? {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecReturnData as String: true]\n    var result: AnyObject?\n    SecItemCopyMatching(query as CFDictionary, &result)\n    return result as? Data\n  }\n  func application(_ application: UIApplication, performFetchWithCompletionHandler completionHandler: @escaping (UIBackgroundFetchResult) -> Void) {\n    completionHandler(self.token() == nil ? .failed : .newData)\n  }\n}`] } },
          { code: `struct Credentials {\n  func hasToken() -> Bool {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrAccount as String: "user"]\n    let status = ↓SecItemCopyMatching(query as CFDictionary, nil)\n    return status == errSecSuccess\n  }\n}`, project: { sources: [`final class LaunchController {\n  let credentials: Credentials\n  init(credentials: Credentials) { self.credentials = credentials }\n  func start() {\n    let isLoggedIn = credentials.hasToken()\n    if !isLoggedIn { showLogin() }\n  }\n  func showLogin() {}\n  func save() {}\n}`] } },
          `final class TokenStore {\n  func save(_ token: Data) {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecValueData as String: token]\n    ↓SecItemAdd(query as CFDictionary, nil)\n  }\n  func token() -> Data? {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecReturnData as String: true]\n    var result: AnyObject?\n    SecItemCopyMatching(query as CFDictionary, &result)\n    return result as? Data\n  }\n  func register() {\n    BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.refresh", using: nil) { task in\n      let token = self.token()\n      task.setTaskCompleted(success: token != nil)\n    }\n  }\n}`,
          `final class Session {\n  func restore() {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrAccount as String: "user", kSecReturnData as String: true]\n    var result: AnyObject?\n    let status = ↓SecItemCopyMatching(query as CFDictionary, &result)\n    guard status == errSecSuccess else {\n      logout()\n      return\n    }\n  }\n  func logout() {}\n}`,
          `final class TokenStore {\n  func save(_ token: Data) {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecValueData as String: token]\n    ↓SecItemAdd(query as CFDictionary, nil)\n  }\n  func token() -> Data? {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecReturnData as String: true]\n    var result: AnyObject?\n    SecItemCopyMatching(query as CFDictionary, &result)\n    return result as? Data\n  }\n  func register() {\n    BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.refresh", using: nil, launchHandler: handleRefresh)\n  }\n  private func handleRefresh(_ task: BGTask) {\n    task.setTaskCompleted(success: token() != nil)\n  }\n}`,
        ],
        valid: [
          { code: `final class TokenStore {\n  func save(_ token: Data) {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecAttrAccessible as String: kSecAttrAccessibleAfterFirstUnlock, kSecValueData as String: token]\n    SecItemAdd(query as CFDictionary, nil)\n  }\n  func token() -> Data? {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecReturnData as String: true]\n    var result: AnyObject?\n    SecItemCopyMatching(query as CFDictionary, &result)\n    return result as? Data\n  }\n}`, project: { sources: [`final class RefreshScheduler {\n  private let store: TokenStore\n  init(store: TokenStore) { self.store = store }\n  func register() {\n    BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.refresh", using: nil) { task in\n      let token = self.store.token()\n      task.setTaskCompleted(success: token != nil)\n    }\n  }\n}`] } },
          { code: `final class KeychainWriter {\n  func save(_ token: Data) {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecValueData as String: token]\n    SecItemAdd(query as CFDictionary, nil)\n  }\n}`, project: { sources: [`final class SyncWorker {\n  func token() -> Data? {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "push", kSecReturnData as String: true]\n    var result: AnyObject?\n    SecItemCopyMatching(query as CFDictionary, &result)\n    return result as? Data\n  }\n  func application(_ application: UIApplication, performFetchWithCompletionHandler completionHandler: @escaping (UIBackgroundFetchResult) -> Void) {\n    completionHandler(self.token() == nil ? .failed : .newData)\n  }\n}`] } },
          { code: `struct Credentials {\n  func hasToken() -> Bool {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrAccount as String: "user"]\n    let status = SecItemCopyMatching(query as CFDictionary, nil)\n    return status == errSecSuccess\n  }\n}`, project: { sources: [`final class LaunchController {\n  let credentials: Credentials\n  init(credentials: Credentials) { self.credentials = credentials }\n  func start() {\n    let exists = credentials.hasToken()\n    if !exists { save() }\n  }\n  func showLogin() {}\n  func save() {}\n}`] } },
          { code: `struct Credentials {\n  func hasToken() -> Bool {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrAccount as String: "user"]\n    let status = SecItemCopyMatching(query as CFDictionary, nil)\n    if status == errSecInteractionNotAllowed { return true }\n    return status == errSecSuccess\n  }\n}`, project: { sources: [`final class LaunchController {\n  let credentials: Credentials\n  init(credentials: Credentials) { self.credentials = credentials }\n  func start() {\n    let isLoggedIn = credentials.hasToken()\n    if !isLoggedIn { showLogin() }\n  }\n  func showLogin() {}\n  func save() {}\n}`] } },
          `final class TokenStore {\n  func save(_ token: Data) {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecAttrAccessible as String: kSecAttrAccessibleAfterFirstUnlock, kSecValueData as String: token]\n    SecItemAdd(query as CFDictionary, nil)\n  }\n  func token() -> Data? {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecReturnData as String: true]\n    var result: AnyObject?\n    SecItemCopyMatching(query as CFDictionary, &result)\n    return result as? Data\n  }\n  func register() {\n    BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.refresh", using: nil) { task in\n      task.setTaskCompleted(success: self.token() != nil)\n    }\n  }\n}`,
          `final class TokenStore {\n  func save(_ token: Data) {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecValueData as String: token]\n    SecItemAdd(query as CFDictionary, nil)\n  }\n  func token() -> Data? {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecReturnData as String: true]\n    var result: AnyObject?\n    SecItemCopyMatching(query as CFDictionary, &result)\n    return result as? Data\n  }\n  func showProfile() {\n    print(token() as Any)\n  }\n}`,
          `final class Session {\n  func restore() {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrAccount as String: "user", kSecReturnData as String: true]\n    var result: AnyObject?\n    let status = SecItemCopyMatching(query as CFDictionary, &result)\n    if status == errSecInteractionNotAllowed { return retryLater() }\n    guard status == errSecSuccess else {\n      logout()\n      return\n    }\n  }\n  func logout() {}\n  func retryLater() {}\n}`,
          `final class Session {\n  func restore() {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrAccount as String: "user", kSecReturnData as String: true]\n    var result: AnyObject?\n    let status = SecItemCopyMatching(query as CFDictionary, &result)\n    if status == errSecItemNotFound {\n      logout()\n    }\n  }\n  func logout() {}\n}`,
          `final class TokenStore {\n  func save(_ token: Data) {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecValueData as String: token]\n    SecItemAdd(query as CFDictionary, nil)\n  }\n  func token() -> Data? {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecReturnData as String: true]\n    var result: AnyObject?\n    SecItemCopyMatching(query as CFDictionary, &result)\n    return result as? Data\n  }\n  func showProfile() {\n    let show = { print(self.token() as Any) }\n    DispatchQueue.main.async(execute: show)\n  }\n}`,
        ],
      },
      objc: {
        invalid: [
          { code: `@implementation LGCredentials\n- (void)saveToken:(NSData *)token {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"api", (__bridge id)kSecValueData: token};\n  ↓SecItemAdd((__bridge CFDictionaryRef)query, NULL);\n}\n- (NSData *)token {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"api", (__bridge id)kSecReturnData: @YES};\n  CFTypeRef result = NULL;\n  SecItemCopyMatching((__bridge CFDictionaryRef)query, &result);\n  return (__bridge_transfer NSData *)result;\n}\n@end`, project: { sources: [`@interface AppDelegate ()\n@property (nonatomic, strong) LGCredentials *credentials;\n@end\n\n@implementation AppDelegate\n- (void)application:(UIApplication *)application performFetchWithCompletionHandler:(void (^)(UIBackgroundFetchResult))completionHandler {\n  NSData *token = [self.credentials token];\n  completionHandler(token ? UIBackgroundFetchResultNewData : UIBackgroundFetchResultFailed);\n}\n@end`] } },
          `@implementation LGCredentials\n- (void)saveToken:(NSData *)token {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"api", (__bridge id)kSecAttrAccessible: (__bridge id)kSecAttrAccessibleWhenUnlocked, (__bridge id)kSecValueData: token};\n  ↓SecItemAdd((__bridge CFDictionaryRef)query, NULL);\n}\n- (NSData *)token {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"api", (__bridge id)kSecReturnData: @YES};\n  CFTypeRef result = NULL;\n  SecItemCopyMatching((__bridge CFDictionaryRef)query, &result);\n  return (__bridge_transfer NSData *)result;\n}\n- (void)application:(UIApplication *)application performFetchWithCompletionHandler:(void (^)(UIBackgroundFetchResult))completionHandler {\n  NSData *token = [self token];\n  completionHandler(token ? UIBackgroundFetchResultNewData : UIBackgroundFetchResultFailed);\n}\n@end`,
          `@implementation LGSession\n- (void)restore {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecReturnData: @YES};\n  CFTypeRef result = NULL;\n  OSStatus status = ↓SecItemCopyMatching((__bridge CFDictionaryRef)query, &result);\n  if (status != errSecSuccess) {\n    [self signOut];\n  }\n}\n@end`,
          `@implementation LGCredentials\n- (void)saveToken:(NSData *)token {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"api", (__bridge id)kSecAttrAccessible: (__bridge id)kSecAttrAccessibleWhenUnlocked, (__bridge id)kSecValueData: token};\n  ↓SecItemAdd((__bridge CFDictionaryRef)query, NULL);\n}\n- (NSData *)token {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"api", (__bridge id)kSecReturnData: @YES};\n  CFTypeRef result = NULL;\n  SecItemCopyMatching((__bridge CFDictionaryRef)query, &result);\n  return (__bridge_transfer NSData *)result;\n}\n- (void)registerTasks {\n  void (^handler)(BGTask *) = ^(BGTask *task) {\n    [task setTaskCompletedWithSuccess:[self token] != nil];\n  };\n  [[BGTaskScheduler sharedScheduler] registerForTaskWithIdentifier:@"com.example.refresh" usingQueue:nil launchHandler:handler];\n}\n@end`,
        ],
        valid: [
          { code: `@implementation LGCredentials\n- (void)saveToken:(NSData *)token {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"api", (__bridge id)kSecAttrAccessible: (__bridge id)kSecAttrAccessibleAfterFirstUnlock, (__bridge id)kSecValueData: token};\n  SecItemAdd((__bridge CFDictionaryRef)query, NULL);\n}\n- (NSData *)token {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"api", (__bridge id)kSecReturnData: @YES};\n  CFTypeRef result = NULL;\n  SecItemCopyMatching((__bridge CFDictionaryRef)query, &result);\n  return (__bridge_transfer NSData *)result;\n}\n@end`, project: { sources: [`@interface AppDelegate ()\n@property (nonatomic, strong) LGCredentials *credentials;\n@end\n\n@implementation AppDelegate\n- (void)application:(UIApplication *)application performFetchWithCompletionHandler:(void (^)(UIBackgroundFetchResult))completionHandler {\n  NSData *token = [self.credentials token];\n  completionHandler(token ? UIBackgroundFetchResultNewData : UIBackgroundFetchResultFailed);\n}\n@end`] } },
          { code: `@implementation LGCredentials\n- (void)saveToken:(NSData *)token {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"api", (__bridge id)kSecValueData: token};\n  SecItemAdd((__bridge CFDictionaryRef)query, NULL);\n}\n- (NSData *)token {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"api", (__bridge id)kSecReturnData: @YES};\n  CFTypeRef result = NULL;\n  SecItemCopyMatching((__bridge CFDictionaryRef)query, &result);\n  return (__bridge_transfer NSData *)result;\n}\n@end`, project: { sources: [`@interface AppDelegate ()\n@property (nonatomic, strong) LGCredentials *credentials;\n@end\n\n@implementation AppDelegate\n- (void)viewDidLoad {\n  NSData *token = [self.credentials token];\n  NSLog(@"%@", token);\n}\n@end`] } },
          `@implementation LGCredentials\n- (void)saveToken:(NSData *)token {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"api", (__bridge id)kSecAttrAccessible: (__bridge id)kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly, (__bridge id)kSecValueData: token};\n  SecItemAdd((__bridge CFDictionaryRef)query, NULL);\n}\n- (NSData *)token {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"api", (__bridge id)kSecReturnData: @YES};\n  CFTypeRef result = NULL;\n  SecItemCopyMatching((__bridge CFDictionaryRef)query, &result);\n  return (__bridge_transfer NSData *)result;\n}\n- (void)application:(UIApplication *)application performFetchWithCompletionHandler:(void (^)(UIBackgroundFetchResult))completionHandler {\n  completionHandler([self token] ? UIBackgroundFetchResultNewData : UIBackgroundFetchResultFailed);\n}\n@end`,
          `@implementation LGCredentials\n- (void)saveToken:(NSData *)token {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"api", (__bridge id)kSecValueData: token};\n  SecItemAdd((__bridge CFDictionaryRef)query, NULL);\n}\n- (NSData *)pushToken {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"push", (__bridge id)kSecReturnData: @YES};\n  CFTypeRef result = NULL;\n  SecItemCopyMatching((__bridge CFDictionaryRef)query, &result);\n  return (__bridge_transfer NSData *)result;\n}\n- (void)application:(UIApplication *)application performFetchWithCompletionHandler:(void (^)(UIBackgroundFetchResult))completionHandler {\n  completionHandler([self pushToken] ? UIBackgroundFetchResultNewData : UIBackgroundFetchResultFailed);\n}\n@end`,
          `@implementation LGCredentials\n- (void)saveToken:(NSData *)token {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"api", (__bridge id)kSecAttrAccessible: (__bridge id)kSecAttrAccessibleWhenUnlocked, (__bridge id)kSecValueData: token};\n  SecItemAdd((__bridge CFDictionaryRef)query, NULL);\n}\n- (NSData *)token {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"api", (__bridge id)kSecReturnData: @YES};\n  CFTypeRef result = NULL;\n  SecItemCopyMatching((__bridge CFDictionaryRef)query, &result);\n  return (__bridge_transfer NSData *)result;\n}\n- (void)showProfile {\n  void (^show)(void) = ^{\n    NSLog(@"%@", [self token]);\n  };\n  dispatch_async(dispatch_get_main_queue(), show);\n}\n@end`,
        ],
      },
    },
    triggers: KEYCHAIN_TRIGGERS,
  },
  create(context) {
    return {
      call(node) {
        const operation = secItemOperation(node);
        if (operation === 'add' || operation === 'update') checkStoredClass(context, node, operation);
        else if (operation === 'copy') checkFailureHandling(context, node);
      },
    };
  },
});

/** The class an add or update gives the item when it cannot be read while locked: its name, or 'no class' (the default). */
function lockedOutClass(call: CallExpr, operation: 'add' | 'update'): { name: string; value?: Expr; query: KeychainQuery } | undefined {
  const queries = keychainQueriesOf(call);
  const query = operation === 'add' ? queries[0] : queries[1];
  if (!query) return undefined;
  const entry = [...query.entries].reverse().find((e) => e.key === 'kSecAttrAccessible');
  if (entry) {
    const name = constantName(entry.value);
    return name && LOCKED_OUT.test(name) ? { name, value: entry.value, query } : undefined;
  }
  const defaulted = operation === 'add' && query.complete && !hasKey(query, 'kSecAttrAccessControl');
  return defaulted ? { name: 'no accessibility class (kSecAttrAccessibleWhenUnlocked)', query } : undefined;
}

function checkStoredClass(context: RuleContext, call: CallExpr, operation: 'add' | 'update'): void {
  const locked = lockedOutClass(call, operation);
  if (!locked) return;
  const stored = keychainQueriesOf(call)[0]!;
  const read = backgroundRead(call, stored, context.index);
  const elsewhere = read ? undefined : backgroundReadElsewhere(call, stored, context.index);
  if (!read && !elsewhere) return;
  const thisDeviceOnly = locked.name.includes('ThisDeviceOnly') ? 'ThisDeviceOnly' : '';
  const better = `kSecAttrAccessibleAfterFirstUnlock${thisDeviceOnly}`;
  const suggest = locked.value
    ? [{ description: `Use ${better}`, edits: [context.replace(valueSpan(locked.value), better)] }]
    : undefined;
  if (!read) {
    context.report({
      at: call,
      messageId: 'lockedClassElsewhere',
      data: { accessibility: locked.name, scope: elsewhere!.scope, reader: elsewhere!.reader, thisDeviceOnly },
      suggest,
    });
    return;
  }
  context.report({
    at: call,
    messageId: 'lockedClass',
    data: { accessibility: locked.name, scope: read.scope, readLine: read.call.range.start.line, thisDeviceOnly },
    related: [{ at: read.call, message: `read from ${read.scope} here` }],
    suggest,
  });
}

/** The span of the constant's name itself (inside `(__bridge id)` or `as String`). */
function valueSpan(value: Expr): Expr {
  let e: Expr = value;
  while (e.kind === 'cast') e = e.operand;
  return e;
}

/**
 * A `SecItemCopyMatching` of this file that runs in a background entry point, directly, through a
 * method of the file called from one, or through calls from other files (the project's background
 * reach: a launch handler elsewhere reaching this wrapper's read), reading an item the add may have
 * stored (same static service and account, when both are written).
 */
function backgroundRead(add: CallExpr, stored: KeychainQuery, index: ProjectIndex): { call: CallExpr; scope: string } | undefined {
  const root = rootOf(add);
  const reads = callsIn(root, (c) => secItemOperation(c) === 'copy' && sameItem(stored, keychainQueriesOf(c)[0]!));
  for (const read of reads) {
    const direct = backgroundScopeOf(read, index);
    if (direct) return { call: read, scope: direct };
    const method = enclosingFunction(read);
    const caller = method ? backgroundCallerOf(root, method, index) : undefined;
    if (caller) return { call: read, scope: caller };
  }
  for (const read of reads) {
    const key = unitKeyOf(read);
    const reach = backgroundReachOf(index, key);
    if (reach) return { call: read, scope: describeReach(reach, key) };
  }
  return undefined;
}

/**
 * A keychain read in another file that runs in the background and reads this item: one of the same
 * wrapper type (the add's type), or one naming the same literal service or account.
 */
function backgroundReadElsewhere(add: CallExpr, stored: KeychainQuery, index: ProjectIndex): { scope: string; reader: string } | undefined {
  const addKey = unitKeyOf(add);
  const addType = addKey?.split('.')[0] ?? enclosingType(add)?.name;
  const here = new Set(callsIn(rootOf(add), (c) => secItemOperation(c) === 'copy').map(unitKeyOf));
  const service = staticValue(stored, 'kSecAttrService');
  const account = staticValue(stored, 'kSecAttrAccount');
  for (const read of keychainReadUnits(index)) {
    if (here.has(read.key)) continue;
    const named = (service !== undefined && read.service === service && (account === undefined || read.account === undefined || read.account === account))
      || (account !== undefined && read.account === account && (service === undefined || read.service === undefined || read.service === service));
    const conflicting = (service !== undefined && read.service !== undefined && read.service !== service) || (account !== undefined && read.account !== undefined && read.account !== account);
    if (conflicting || (!named && read.type !== addType)) continue;
    const reach = backgroundReachOf(index, read.key);
    if (reach) return { scope: describeReach(reach), reader: read.key };
  }
  return undefined;
}

/** Some call of `method` (by name, one level) that runs in a background entry point. */
function backgroundCallerOf(root: SyntaxNode, method: FunctionDecl, index: ProjectIndex): string | undefined {
  for (const n of descendants(root)) {
    if (n.kind !== 'call' || n.baseName !== method.baseName || isInside(n, method)) continue;
    const scope = backgroundScopeOf(n, index);
    if (scope) return scope;
  }
  return undefined;
}

function isInside(node: SyntaxNode, container: SyntaxNode): boolean {
  for (const a of ancestors(node)) if (a === container) return true;
  return false;
}

function sameItem(stored: KeychainQuery, read: KeychainQuery): boolean {
  return ['kSecAttrService', 'kSecAttrAccount', 'kSecClass'].every((key) => {
    const a = staticValue(stored, key);
    const b = staticValue(read, key);
    return a === undefined || b === undefined || a === b;
  });
}

function staticValue(query: KeychainQuery, key: string): string | undefined {
  const entry = [...query.entries].reverse().find((e) => e.key === key);
  return entry ? staticString(entry.value) ?? entryValue(query, key) : undefined;
}

/**
 * A generic failure check of the read's status (`status != errSecSuccess`, `guard status == errSecSuccess else`)
 * whose failure branch signs out or deletes, in a function that never mentions `errSecInteractionNotAllowed`.
 */
function checkFailureHandling(context: RuleContext, read: CallExpr): void {
  const body = innermostBody(read);
  if (!body?.body || mentions(body.body, 'errSecInteractionNotAllowed')) return;
  const status = statusName(read);
  const fn = enclosingFunction(read);
  const action = status && fn?.body && !mentions(fn.body, 'errSecInteractionNotAllowed') ? signOutOnFailure(fn, read, status) : undefined;
  if (!action) {
    if (status && returnsSuccessOnly(body, read, status)) reportSignedInCheck(context, read, status);
    return;
  }
  context.report({
    at: read,
    messageId: 'failureLogsOut',
    data: { action: action.baseName === 'SecItemDelete' ? 'deleting the item' : `${action.baseName}()`, actionLine: action.range.start.line },
    related: [{ at: action.nameSpan, message: 'the failure is handled here' }],
  });
}

function mentions(root: SyntaxNode, name: string): boolean {
  for (const n of descendants(root)) if (n.kind === 'ident' && n.name === name) return true;
  return false;
}

/** The local the read's status is kept in (`let status = SecItemCopyMatching(…)`). */
function statusName(read: CallExpr): string | undefined {
  for (let p = read.parent; p; p = p.parent) {
    if (p.kind === 'var') return p.value && isInside(read, p) ? p.name : undefined;
    if (p.kind === 'assign') return constantName(p.target);
    if (p.kind !== 'cast' && p.kind !== 'other') return undefined;
  }
  return undefined;
}

/** The sign-out call on the branch taken when `status` is not success. */
function signOutOnFailure(fn: FunctionDecl, read: CallExpr, status: string): CallExpr | undefined {
  for (const n of descendants(fn.body!)) {
    if (n.startIndex < read.endIndex) continue;
    const failure = n.kind === 'guard' ? (checksSuccess(n.conditions, status, '==') ? n.else : undefined)
      : n.kind === 'if' ? (checksSuccess(n.conditions, status, '!=') ? n.then : checksSuccess(n.conditions, status, '==') ? n.else : undefined)
      : undefined;
    if (!failure) continue;
    const action = callsIn(failure, (c) => LOGS_OUT.test(c.baseName))[0];
    if (action) return action;
  }
  return undefined;
}

function checksSuccess(conditions: Expr[], status: string, operator: '==' | '!='): boolean {
  return conditions.length === 1 && conditions.some((c) => {
    if (c.kind !== 'binary' || c.operator !== operator) return false;
    const [l, r] = [constantName(c.left), constantName(c.right)];
    return (l === status && SUCCESS.test(r ?? '')) || (r === status && SUCCESS.test(l ?? ''));
  });
}

/** The innermost function or closure around a node. */
function innermostBody(node: SyntaxNode): CodeBody | undefined {
  for (const a of ancestors(node)) if (a.kind === 'function' || a.kind === 'closure') return a;
  return undefined;
}

/** `return status == errSecSuccess` (or that as the body's last expression) after the read: the status reduced to a Bool. */
function returnsSuccessOnly(body: CodeBody, read: CallExpr, status: string): boolean {
  for (const n of descendants(body.body!, (d) => d.kind !== 'closure' && d.kind !== 'function')) {
    if (n.startIndex < read.endIndex) continue;
    const value = n.kind === 'jump' && n.jump === 'return' ? n.value : undefined;
    if (value && isSuccessCheck(value, status)) return true;
  }
  const last = body.body!.kind === 'block' ? body.body!.body[body.body!.body.length - 1] : undefined;
  return last !== undefined && last.kind === 'binary' && isSuccessCheck(last, status);
}

function isSuccessCheck(e: Expr, status: string): boolean {
  if (e.kind !== 'binary' || e.operator !== '==') return false;
  const [l, r] = [constantName(e.left), constantName(e.right)];
  return (l === status && SUCCESS.test(r ?? '')) || (r === status && SUCCESS.test(l ?? ''));
}

/** The reduced read, when code of the project keeps its result as the signed-in state (`let hasToken = keychain.exists(…)`). */
function reportSignedInCheck(context: RuleContext, read: CallExpr, status: string): void {
  const key = unitKeyOf(read);
  const check = key ? signedInChecksOf(context.index, key)[0] : undefined;
  if (!check) return;
  context.report({
    at: read,
    messageId: 'successAsSignedIn',
    data: { unit: key!, status, caller: check.unit, name: check.name },
  });
}
