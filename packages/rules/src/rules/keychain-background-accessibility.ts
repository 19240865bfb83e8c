import {
  KEYCHAIN_TRIGGERS, ancestors, backgroundLaunchModes, backgroundReachOf, backgroundScopeOf, callsIn, checksProtectedDataOf, constantName, defineRule, describeReach, descendants,
  enclosingFunction, enclosingType, entryValue, hasKey, keychainQueriesOf, keychainReadUnits, launchReachIn, passThroughsOf, processInfoPlist, regeneratingCallersOf, rootOf,
  secConstantName, secItemOperation, signedInChecksOf, staticString, unitKeyOf,
} from '@bglint/core';
import type { BackgroundReach, CallExpr, CodeBody, Expr, FunctionDecl, KeychainQuery, ProjectIndex, RuleContext, SyntaxNode } from '@bglint/core';

/** Classes whose items cannot be read while the device is locked. */
const LOCKED_OUT = /^(kSecAttrAccessibleWhenUnlocked(ThisDeviceOnly)?|kSecAttrAccessibleWhenPasscodeSetThisDeviceOnly|whenUnlocked(ThisDeviceOnly)?|whenPasscodeSetThisDeviceOnly)$/;
/** What a failed read is taken to mean when the code signs the user out or deletes the item. */
const LOGS_OUT = /^(log_?out|logOut|sign_?out|signOut|clear(Session|Credentials|Tokens?|Auth\w*|Keychain|Account)|reset(Session|Auth\w*|Credentials)|delete(Session|Credentials|Tokens?|Account)|remove(Session|Credentials|Tokens?|Account)|SecItemDelete|showLogin\w*|presentLogin\w*)$/i;
const SUCCESS = /^(errSecSuccess|noErr)$/;
/** Classes meant for background reads, which still fail before the first unlock after a restart. */
const AFTER_FIRST_UNLOCK = /^(kSecAttrAccessibleAfterFirstUnlock(ThisDeviceOnly)?|afterFirstUnlock(ThisDeviceOnly)?)$/;

/** Where a unit is reached from: background code, or launch code in an app the system launches in the background. */
type Reach = (key: string | undefined) => { how: BackgroundReach; modes?: string[] } | undefined;

export default defineRule({
  meta: {
    id: 'keychain-background-accessibility',
    severity: 'warning',
    since: '0.2.0',
    summary: 'Give keychain items that background code reads a class readable while the device is locked, and do not treat a locked keychain as a logged-out user.',
    why:
      'Items added with `kSecAttrAccessibleWhenUnlocked` (the default when no class is given) or `…WhenPasscodeSetThisDeviceOnly` ' +
      'cannot be read while the device is locked, and `…AfterFirstUnlock…` items not before the first unlock after a restart. ' +
      'Background launches (BGTask handlers, background fetch and silent pushes, background URLSession events, notification ' +
      'service extensions, relaunches for location or Bluetooth events, prewarming) often happen with the device locked: the read ' +
      'fails with `errSecInteractionNotAllowed`, and code that takes any failure for "no item" signs the user out, deletes the ' +
      'credentials, or makes and stores a new device id or key. Reported: an add whose item is read from code that runs in the ' +
      'background (in this file or another); an add whose item is read from launch code (`application(_:didFinishLaunchingWithOptions:)`, ' +
      '`…willFinishLaunching…`, a SwiftUI `App`\'s `init`, and what they call) when the Info.plist of the app declaring that launch code ' +
      '(a sample app starting an SDK counts for the SDK\'s code) has a background mode that launches the app in the background (`remote-notification`, `voip`, `fetch`, `processing`, `location`, and the Bluetooth ' +
      'modes when the project implements state restoration), unless that code checks `isProtectedDataAvailable`; a failed ' +
      '`SecItemCopyMatching` that leads to signing out or deleting without a branch for `errSecInteractionNotAllowed`; and a read ' +
      'whose every failure comes back as nil (returned as is by wrappers of the same file) when code of the project takes that nil ' +
      'for "none yet" and generates and stores a new value (a UUID, random bytes, `generate…`) — when the item is stored ' +
      '`AfterFirstUnlock…` or the regenerating code runs from background or such launch code. Items with a different static service ' +
      'or account than the read are not linked. Code in other files is followed through the project index: calls (also on a type\'s shared instance, `Store.shared.token()`) and typed or ' +
      '`@Dependency` properties and parameters (a protocol-typed one to every type adopting the protocol), initializers ' +
      '(`AppRuntime()` reaches `AppRuntime.init`), closures given for a type\'s members (`Client(load: { … })`), a closure handed to ' +
      'a member that calls it from a launch handler, and reducer actions sent (`store.send(.refresh)` reaches `case .refresh`). ' +
      'A read in another file is linked when it belongs to the add\'s type or names the same literal service or account. A read ' +
      'reduced to `status == errSecSuccess` is reported when code elsewhere keeps the result as the signed-in state ' +
      '(`let hasToken = keychain.exists(…)`), and a read whose every failure is nil when background code keeps that nil, through getters ' +
      'returning it, as signed out (`let isLoggedIn = provider.userToken != nil`). Calls on a typed collection\'s elements ' +
      '(`subscribers.filter { $0.sync() }`) are followed too. Property reads are followed to computed properties\' getters (`Keychain.userToken`, ' +
      '`self.token`, `store.email` on a typed property, parameter or a local made by the type; ObjC methods without arguments), and ' +
      'code that checks `isProtectedDataAvailable` through a member of its type (`if canUseKeychain { … }`) counts as checking, on ' +
      'the launch and the regeneration paths. On hand-labeled real code it finds 10 of 14 real defects in five labeled sets, and 10 of its 11 reports there are right: ' +
      'precision 91%, recall 71% (docs/precision.md). Its one wrong report is on a site labeled clean that the rule\'s author reads as a real defect.',
    symptom:
      'Keychain reads fail in background launches ("authorization denied", "attempts to access authentication information stored in the keychain also fails"); "the app can assume no session exists".',
    fix:
      'Add the item with `kSecAttrAccessibleAfterFirstUnlock` (or `…AfterFirstUnlockThisDeviceOnly`) when background or launch code needs it ' +
      '(or wait for `isProtectedDataAvailable` / `protectedDataDidBecomeAvailableNotification` at launch), and treat ' +
      '`errSecInteractionNotAllowed` as "try again later", not as a missing item: create a new value only for `errSecItemNotFound`.',
    references: [
      'https://developer.apple.com/documentation/security/restricting-keychain-item-accessibility',
      'https://developer.apple.com/documentation/security/ksecattraccessibleafterfirstunlock',
      'https://developer.apple.com/documentation/security/errsecinteractionnotallowed',
      'https://developer.apple.com/documentation/uikit/uiapplication/isprotecteddataavailable',
    ],
    tags: ['correctness', 'keychain', 'background-tasks'],
    precision: 'medium',
    hasSuggestions: true,
    messages: {
      lockedClass:
        'This item is added with {{accessibility}}, but {{scope}} reads it (line {{readLine}}), and background launches often happen while the device is locked: the read fails with errSecInteractionNotAllowed. Use kSecAttrAccessibleAfterFirstUnlock{{thisDeviceOnly}}.',
      lockedClassElsewhere:
        'This item is added with {{accessibility}}, but {{scope}} reads it ({{reader}}, another file), and background launches often happen while the device is locked: the read fails with errSecInteractionNotAllowed. Use kSecAttrAccessibleAfterFirstUnlock{{thisDeviceOnly}}.',
      successAsSignedIn:
        'This SecItemCopyMatching is reduced to success or not ({{unit}} returns {{status}} == errSecSuccess), and {{caller}} keeps that as {{name}}: while the device is locked (background launches, prewarming) the read fails with errSecInteractionNotAllowed although the item exists, so the user reads as signed out. Return the status (or throw) and handle errSecInteractionNotAllowed apart.',
      failureRegenerates:
        'Every failure of this SecItemCopyMatching comes back as nil ({{unit}}), and {{caller}} takes that nil for "none yet": it makes a new value ({{action}}) and stores it. The read fails with errSecInteractionNotAllowed although the item exists {{when}}, so the existing device id or key is replaced. Return the status (or throw) and create a new value only for errSecItemNotFound.',
      nilAsSignedOut:
        'Every failure of this SecItemCopyMatching comes back as nil ({{unit}}), and {{caller}} keeps {{via}} != nil as {{name}}; it runs from {{scope}}, often with the device locked: the read fails with errSecInteractionNotAllowed although the item exists, and the user reads as signed out. Return the status (or throw) and handle errSecInteractionNotAllowed apart.',
      failureLogsOut:
        'Any failure of this SecItemCopyMatching leads to {{action}} (line {{actionLine}}), but while the device is locked (background launches, prewarming) the read fails with errSecInteractionNotAllowed although the item exists: the user is signed out for nothing. Handle errSecInteractionNotAllowed apart (retry once protected data is available).',
    },
    examples: {
      swift: {
        invalid: [
          { code: `final class Keychain {\n  static var userToken: String? { getValue(for: "token") }\n  private static func getValue(for account: String) -> String? {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrAccount as String: account, kSecReturnData as String: true]\n    var result: AnyObject?\n    let status = ↓SecItemCopyMatching(query as CFDictionary, &result)\n    guard status == errSecSuccess else { return nil }\n    return (result as? Data).flatMap { String(data: $0, encoding: .utf8) }\n  }\n}`, project: { sources: [`final class Credentials {\n  static let standard = Credentials()\n  var userToken: String? { return Keychain.userToken }\n}\nprotocol SyncSubscriber { func shouldSync() -> Bool }\nfinal class RegionUploader: SyncSubscriber {\n  var events: [String] = []\n  func shouldSync() -> Bool {\n    let credentials = Credentials.standard\n    let isLoggedIn = credentials.userToken != nil\n    if !isLoggedIn { events.removeAll() }\n    return isLoggedIn\n  }\n}\nfinal class SyncManager {\n  private let subscribers: [SyncSubscriber]\n  init(subscribers: [SyncSubscriber]) { self.subscribers = subscribers }\n  func register() {\n    BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.sync", using: nil) { task in\n      task.setTaskCompleted(success: self.sync())\n    }\n  }\n  func sync() -> Bool {\n    let active = subscribers.filter { $0.shouldSync() }\n    return !active.isEmpty\n  }\n}`] } },
          `private let SecAttrAccessible: String = kSecAttrAccessible as String\nprivate let SecAttrAccessibleWhenUnlocked: String = kSecAttrAccessibleWhenUnlocked as String\n\nfinal class TokenStore {\n  func save(_ token: Data) {\n    var query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecValueData as String: token]\n    query[SecAttrAccessible] = SecAttrAccessibleWhenUnlocked\n    ↓SecItemAdd(query as CFDictionary, nil)\n  }\n  func token() -> Data? {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecReturnData as String: true]\n    var result: AnyObject?\n    SecItemCopyMatching(query as CFDictionary, &result)\n    return result as? Data\n  }\n  func register() {\n    BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.refresh", using: nil) { task in\n      task.setTaskCompleted(success: self.token() != nil)\n    }\n  }\n}`,
          { code: `final class TokenStore {\n  static let shared = TokenStore()\n  func save(_ token: Data) {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecValueData as String: token]\n    ↓SecItemAdd(query as CFDictionary, nil)\n  }\n  func token() -> Data? {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecReturnData as String: true]\n    var result: AnyObject?\n    SecItemCopyMatching(query as CFDictionary, &result)\n    return result as? Data\n  }\n}`, project: { sources: [`final class SyncScheduler {\n  func register() {\n    BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.sync", using: nil) { task in\n      task.setTaskCompleted(success: TokenStore.shared.token() != nil)\n    }\n  }\n}`] } },
          { code: `final class TokenStore {\n  func save(_ token: Data) {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecValueData as String: token]\n    ↓SecItemAdd(query as CFDictionary, nil)\n  }\n  func token() -> Data? {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecReturnData as String: true]\n    var result: AnyObject?\n    SecItemCopyMatching(query as CFDictionary, &result)\n    return result as? Data\n  }\n}`, project: { infoPlist: { UIBackgroundModes: ['remote-notification'] }, sources: [`@main\nstruct ExampleApp: App {\n  init() {\n    _ = Session()\n  }\n  var body: some Scene { WindowGroup { Text("Hello") } }\n}\nfinal class Session {\n  let store: TokenStore = TokenStore()\n  init() {\n    if store.token() == nil { print("signed out") }\n  }\n}`] } },
          `final class DeviceID {\n  private let accessible = kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly\n  func getOrCreate() -> String {\n    if let existing = read() { return existing }\n    let newID = UUID().uuidString\n    save(newID)\n    return newID\n  }\n  private func read() -> String? {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "device", kSecReturnData as String: true]\n    var item: CFTypeRef?\n    let status = ↓SecItemCopyMatching(query as CFDictionary, &item)\n    guard status == errSecSuccess, let data = item as? Data else { return nil }\n    return String(data: data, encoding: .utf8)\n  }\n  private func save(_ value: String) {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "device", kSecAttrAccessible as String: accessible, kSecValueData as String: Data(value.utf8)]\n    SecItemAdd(query as CFDictionary, nil)\n  }\n}`,
          { code: `final class TokenStore {\n  func save(_ token: Data) {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api",  kSecValueData as String: token]\n    ↓SecItemAdd(query as CFDictionary, nil)\n  }\n  func token() -> Data? {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecReturnData as String: true]\n    var result: AnyObject?\n    SecItemCopyMatching(query as CFDictionary, &result)\n    return result as? Data\n  }\n}`, project: { sources: [`final class RefreshScheduler {\n  private let store: TokenStore\n  init(store: TokenStore) { self.store = store }\n  func register() {\n    BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.refresh", using: nil) { task in\n      let token = self.store.token()\n      task.setTaskCompleted(success: token != nil)\n    }\n  }\n}`] } },
          { code: `final class KeychainWriter {\n  func save(_ token: Data) {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecValueData as String: token]\n    ↓SecItemAdd(query as CFDictionary, nil)\n  }\n}`, project: { sources: [`final class SyncWorker {\n  func token() -> Data? {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecReturnData as String: true]\n    var result: AnyObject?\n    SecItemCopyMatching(query as CFDictionary, &result)\n    return result as? Data\n  }\n  func application(_ application: UIApplication, performFetchWithCompletionHandler completionHandler: @escaping (UIBackgroundFetchResult) -> Void) {\n    completionHandler(self.token() == nil ? .failed : .newData)\n  }\n}`] } },
          { code: `struct Credentials {\n  func hasToken() -> Bool {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrAccount as String: "user"]\n    let status = ↓SecItemCopyMatching(query as CFDictionary, nil)\n    return status == errSecSuccess\n  }\n}`, project: { sources: [`final class LaunchController {\n  let credentials: Credentials\n  init(credentials: Credentials) { self.credentials = credentials }\n  func start() {\n    let isLoggedIn = credentials.hasToken()\n    if !isLoggedIn { showLogin() }\n  }\n  func showLogin() {}\n  func save() {}\n}`] } },
          `final class TokenStore {\n  func save(_ token: Data) {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecValueData as String: token]\n    ↓SecItemAdd(query as CFDictionary, nil)\n  }\n  func token() -> Data? {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecReturnData as String: true]\n    var result: AnyObject?\n    SecItemCopyMatching(query as CFDictionary, &result)\n    return result as? Data\n  }\n  func register() {\n    BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.refresh", using: nil) { task in\n      let token = self.token()\n      task.setTaskCompleted(success: token != nil)\n    }\n  }\n}`,
          `final class Session {\n  func restore() {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrAccount as String: "user", kSecReturnData as String: true]\n    var result: AnyObject?\n    let status = ↓SecItemCopyMatching(query as CFDictionary, &result)\n    guard status == errSecSuccess else {\n      logout()\n      return\n    }\n  }\n  func logout() {}\n}`,
          `final class TokenStore {\n  func save(_ token: Data) {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecValueData as String: token]\n    ↓SecItemAdd(query as CFDictionary, nil)\n  }\n  func token() -> Data? {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecReturnData as String: true]\n    var result: AnyObject?\n    SecItemCopyMatching(query as CFDictionary, &result)\n    return result as? Data\n  }\n  func register() {\n    BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.refresh", using: nil, launchHandler: handleRefresh)\n  }\n  private func handleRefresh(_ task: BGTask) {\n    task.setTaskCompleted(success: token() != nil)\n  }\n}`,
          { code: `final class Keychain {\n  static var userToken: String? {\n    get { getValue(for: "token") }\n    set { setValue(newValue, for: "token") }\n  }\n  static var cachedToken: String?\n  private static func setValue(_ value: String?, for account: String) {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrAccount as String: account, kSecValueData as String: Data((value ?? "").utf8)]\n    ↓SecItemAdd(query as CFDictionary, nil)\n  }\n  private static func getValue(for account: String) -> String? {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrAccount as String: account, kSecReturnData as String: true]\n    var result: AnyObject?\n    SecItemCopyMatching(query as CFDictionary, &result)\n    return (result as? Data).flatMap { String(data: $0, encoding: .utf8) }\n  }\n}`, project: { sources: [`final class SyncScheduler {\n  func register() {\n    BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.sync", using: nil) { task in\n      task.setTaskCompleted(success: Keychain.userToken != nil)\n    }\n  }\n}`] } },
          { code: `final class TokenStore {\n  func save(_ token: Data) {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecValueData as String: token]\n    ↓SecItemAdd(query as CFDictionary, nil)\n  }\n  func token() -> Data? {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecReturnData as String: true]\n    var result: AnyObject?\n    SecItemCopyMatching(query as CFDictionary, &result)\n    return result as? Data\n  }\n  var current: Data? { token() }\n}`, project: { infoPlist: { UIBackgroundModes: ['remote-notification'] }, sources: [`@main\nstruct ExampleApp: App {\n  init() {\n    _ = Session(store: TokenStore())\n  }\n  var body: some Scene { WindowGroup { Text("Hello") } }\n}\nfinal class Session {\n  let store: TokenStore\n  init(store: TokenStore) {\n    self.store = store\n    if store.current == nil { print("signed out") }\n  }\n}`] } },
          `final class DeviceID {\n  static var canUseKeychain: Bool { !ProcessInfo.processInfo.isLowPowerModeEnabled }\n  func getOrCreate() -> String {\n    if let existing = load() { return existing }\n    let newID = UUID().uuidString\n    save(newID)\n    return newID\n  }\n  func load() -> String? {\n    guard DeviceID.canUseKeychain else { return UserDefaults.standard.string(forKey: "device") }\n    return read()\n  }\n  private func read() -> String? {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "device", kSecReturnData as String: true]\n    var item: CFTypeRef?\n    let status = ↓SecItemCopyMatching(query as CFDictionary, &item)\n    guard status == errSecSuccess, let data = item as? Data else { return nil }\n    return String(data: data, encoding: .utf8)\n  }\n  private func save(_ value: String) {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "device", kSecAttrAccessible as String: kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly, kSecValueData as String: Data(value.utf8)]\n    SecItemAdd(query as CFDictionary, nil)\n  }\n}`,
        ],
        valid: [
          { code: `final class Keychain {\n  static var userToken: String? { getValue(for: "token") }\n  private static func getValue(for account: String) -> String? {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrAccount as String: account, kSecReturnData as String: true]\n    var result: AnyObject?\n    let status = SecItemCopyMatching(query as CFDictionary, &result)\n    guard status == errSecSuccess else { return nil }\n    return (result as? Data).flatMap { String(data: $0, encoding: .utf8) }\n  }\n}`, project: { sources: [`final class Credentials {\n  static let standard = Credentials()\n  var userToken: String? { return Keychain.userToken }\n}\nfinal class ProfileViewController: UIViewController {\n  override func viewDidLoad() {\n    super.viewDidLoad()\n    let credentials = Credentials.standard\n    let isLoggedIn = credentials.userToken != nil\n    if !isLoggedIn { showLogin() }\n  }\n  func showLogin() {}\n}`] } },
          `private let SecAttrAccessible = kSecAttrAccessible as String\n\nfinal class TokenStore {\n  func save(_ token: Data) {\n    var query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecValueData as String: token]\n    query[SecAttrAccessible] = kSecAttrAccessibleAfterFirstUnlock\n    SecItemAdd(query as CFDictionary, nil)\n  }\n  func token() -> Data? {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecReturnData as String: true]\n    var result: AnyObject?\n    SecItemCopyMatching(query as CFDictionary, &result)\n    return result as? Data\n  }\n  func register() {\n    BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.refresh", using: nil) { task in\n      task.setTaskCompleted(success: self.token() != nil)\n    }\n  }\n}`,
          `final class SecretsStorage {\n  func getOrCreateKey() -> Data {\n    if let key = get(account: \"key\") { return key }\n    let key = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }\n    add(key, account: \"key\")\n    return key\n  }\n  func get(account: String) -> Data? {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrAccount as String: account, kSecAttrAccessible as String: kSecAttrAccessibleAfterFirstUnlock, kSecReturnData as String: true]\n    var data: AnyObject?\n    let status = SecItemCopyMatching(query as CFDictionary, &data)\n    guard status == errSecItemNotFound || status == errSecSuccess else { fatalError(\"Keychain query failed\") }\n    guard status != errSecItemNotFound else { return nil }\n    return data as? Data\n  }\n  func add(_ data: Data, account: String) {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrAccount as String: account, kSecAttrAccessible as String: kSecAttrAccessibleAfterFirstUnlock, kSecValueData as String: data]\n    SecItemAdd(query as CFDictionary, nil)\n  }\n}`,
          { code: `final class TokenStore {\n  func save(_ token: Data) {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecValueData as String: token]\n    SecItemAdd(query as CFDictionary, nil)\n  }\n  func token() -> Data? {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecReturnData as String: true]\n    var result: AnyObject?\n    SecItemCopyMatching(query as CFDictionary, &result)\n    return result as? Data\n  }\n}`, project: { infoPlist: { UIBackgroundModes: ['audio'] }, sources: [`@main\nstruct ExampleApp: App {\n  init() {\n    _ = Session()\n  }\n  var body: some Scene { WindowGroup { Text("Hello") } }\n}\nfinal class Session {\n  let store: TokenStore = TokenStore()\n  init() {\n    if store.token() == nil { print("signed out") }\n  }\n}`] } },
          { code: `final class TokenStore {\n  func save(_ token: Data) {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecValueData as String: token]\n    SecItemAdd(query as CFDictionary, nil)\n  }\n  func token() -> Data? {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecReturnData as String: true]\n    var result: AnyObject?\n    SecItemCopyMatching(query as CFDictionary, &result)\n    return result as? Data\n  }\n}`, project: { infoPlist: { UIBackgroundModes: ['remote-notification'] }, sources: [`@main\nstruct ExampleApp: App {\n  init() {\n    guard UIApplication.shared.isProtectedDataAvailable else { return }\n    _ = Session()\n  }\n  var body: some Scene { WindowGroup { Text("Hello") } }\n}\nfinal class Session {\n  let store: TokenStore = TokenStore()\n  init() {\n    if store.token() == nil { print("signed out") }\n  }\n}`] } },
          `final class DeviceID {\n  private let accessible = kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly\n  func getOrCreate() throws -> String {\n    if let existing = try read() { return existing }\n    let newID = UUID().uuidString\n    save(newID)\n    return newID\n  }\n  private func read() throws -> String? {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "device", kSecReturnData as String: true]\n    var item: CFTypeRef?\n    let status = SecItemCopyMatching(query as CFDictionary, &item)\n    if status == errSecItemNotFound { return nil }\n    guard status == errSecSuccess, let data = item as? Data else { throw KeychainError(status: status) }\n    return String(data: data, encoding: .utf8)\n  }\n  private func save(_ value: String) {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "device", kSecAttrAccessible as String: accessible, kSecValueData as String: Data(value.utf8)]\n    SecItemAdd(query as CFDictionary, nil)\n  }\n}`,
          `final class DeviceID {\n  private let accessible = kSecAttrAccessibleWhenUnlockedThisDeviceOnly\n  func getOrCreate() -> String {\n    if let existing = read() { return existing }\n    let newID = UUID().uuidString\n    save(newID)\n    return newID\n  }\n  private func read() -> String? {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "device", kSecReturnData as String: true]\n    var item: CFTypeRef?\n    let status = SecItemCopyMatching(query as CFDictionary, &item)\n    guard status == errSecSuccess, let data = item as? Data else { return nil }\n    return String(data: data, encoding: .utf8)\n  }\n  private func save(_ value: String) {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "device", kSecAttrAccessible as String: accessible, kSecValueData as String: Data(value.utf8)]\n    SecItemAdd(query as CFDictionary, nil)\n  }\n}`,
          { code: `final class TokenStore {\n  func save(_ token: Data) {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecAttrAccessible as String: kSecAttrAccessibleAfterFirstUnlock, kSecValueData as String: token]\n    SecItemAdd(query as CFDictionary, nil)\n  }\n  func token() -> Data? {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecReturnData as String: true]\n    var result: AnyObject?\n    SecItemCopyMatching(query as CFDictionary, &result)\n    return result as? Data\n  }\n}`, project: { sources: [`final class RefreshScheduler {\n  private let store: TokenStore\n  init(store: TokenStore) { self.store = store }\n  func register() {\n    BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.refresh", using: nil) { task in\n      let token = self.store.token()\n      task.setTaskCompleted(success: token != nil)\n    }\n  }\n}`] } },
          { code: `final class KeychainWriter {\n  func save(_ token: Data) {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecValueData as String: token]\n    SecItemAdd(query as CFDictionary, nil)\n  }\n}`, project: { sources: [`final class SyncWorker {\n  func token() -> Data? {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "push", kSecReturnData as String: true]\n    var result: AnyObject?\n    SecItemCopyMatching(query as CFDictionary, &result)\n    return result as? Data\n  }\n  func application(_ application: UIApplication, performFetchWithCompletionHandler completionHandler: @escaping (UIBackgroundFetchResult) -> Void) {\n    completionHandler(self.token() == nil ? .failed : .newData)\n  }\n}`] } },
          { code: `struct Credentials {\n  func hasToken() -> Bool {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrAccount as String: "user"]\n    let status = SecItemCopyMatching(query as CFDictionary, nil)\n    return status == errSecSuccess\n  }\n}`, project: { sources: [`final class LaunchController {\n  let credentials: Credentials\n  init(credentials: Credentials) { self.credentials = credentials }\n  func start() {\n    let exists = credentials.hasToken()\n    if !exists { save() }\n  }\n  func showLogin() {}\n  func save() {}\n}`] } },
          { code: `struct Credentials {\n  func hasToken() -> Bool {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrAccount as String: "user"]\n    let status = SecItemCopyMatching(query as CFDictionary, nil)\n    if status == errSecInteractionNotAllowed { return true }\n    return status == errSecSuccess\n  }\n}`, project: { sources: [`final class LaunchController {\n  let credentials: Credentials\n  init(credentials: Credentials) { self.credentials = credentials }\n  func start() {\n    let isLoggedIn = credentials.hasToken()\n    if !isLoggedIn { showLogin() }\n  }\n  func showLogin() {}\n  func save() {}\n}`] } },
          `final class TokenStore {\n  func save(_ token: Data) {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecAttrAccessible as String: kSecAttrAccessibleAfterFirstUnlock, kSecValueData as String: token]\n    SecItemAdd(query as CFDictionary, nil)\n  }\n  func token() -> Data? {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecReturnData as String: true]\n    var result: AnyObject?\n    SecItemCopyMatching(query as CFDictionary, &result)\n    return result as? Data\n  }\n  func register() {\n    BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.refresh", using: nil) { task in\n      task.setTaskCompleted(success: self.token() != nil)\n    }\n  }\n}`,
          `final class TokenStore {\n  func save(_ token: Data) {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecValueData as String: token]\n    SecItemAdd(query as CFDictionary, nil)\n  }\n  func token() -> Data? {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecReturnData as String: true]\n    var result: AnyObject?\n    SecItemCopyMatching(query as CFDictionary, &result)\n    return result as? Data\n  }\n  func showProfile() {\n    print(token() as Any)\n  }\n}`,
          `final class Session {\n  func restore() {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrAccount as String: "user", kSecReturnData as String: true]\n    var result: AnyObject?\n    let status = SecItemCopyMatching(query as CFDictionary, &result)\n    if status == errSecInteractionNotAllowed { return retryLater() }\n    guard status == errSecSuccess else {\n      logout()\n      return\n    }\n  }\n  func logout() {}\n  func retryLater() {}\n}`,
          `final class Session {\n  func restore() {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrAccount as String: "user", kSecReturnData as String: true]\n    var result: AnyObject?\n    let status = SecItemCopyMatching(query as CFDictionary, &result)\n    if status == errSecItemNotFound {\n      logout()\n    }\n  }\n  func logout() {}\n}`,
          `final class TokenStore {\n  func save(_ token: Data) {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecValueData as String: token]\n    SecItemAdd(query as CFDictionary, nil)\n  }\n  func token() -> Data? {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecReturnData as String: true]\n    var result: AnyObject?\n    SecItemCopyMatching(query as CFDictionary, &result)\n    return result as? Data\n  }\n  func showProfile() {\n    let show = { print(self.token() as Any) }\n    DispatchQueue.main.async(execute: show)\n  }\n}`,
          { code: `final class Keychain {\n  static var userToken: String? {\n    get { getValue(for: "token") }\n    set { setValue(newValue, for: "token") }\n  }\n  static var cachedToken: String?\n  private static func setValue(_ value: String?, for account: String) {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrAccount as String: account, kSecValueData as String: Data((value ?? "").utf8)]\n    SecItemAdd(query as CFDictionary, nil)\n  }\n  private static func getValue(for account: String) -> String? {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrAccount as String: account, kSecReturnData as String: true]\n    var result: AnyObject?\n    SecItemCopyMatching(query as CFDictionary, &result)\n    return (result as? Data).flatMap { String(data: $0, encoding: .utf8) }\n  }\n}`, project: { sources: [`final class SyncScheduler {\n  func register() {\n    BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.sync", using: nil) { task in\n      task.setTaskCompleted(success: Keychain.cachedToken != nil)\n    }\n  }\n}`] } },
          { code: `final class TokenStore {\n  func save(_ token: Data) {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecValueData as String: token]\n    SecItemAdd(query as CFDictionary, nil)\n  }\n  func token() -> Data? {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecReturnData as String: true]\n    var result: AnyObject?\n    SecItemCopyMatching(query as CFDictionary, &result)\n    return result as? Data\n  }\n  var current: Data? { token() }\n}`, project: { sources: [`@main\nstruct ExampleApp: App {\n  init() {\n    _ = Session(store: TokenStore())\n  }\n  var body: some Scene { WindowGroup { Text("Hello") } }\n}\nfinal class Session {\n  let store: TokenStore\n  init(store: TokenStore) {\n    self.store = store\n    if store.current == nil { print("signed out") }\n  }\n}`] } },
          `final class DeviceID {\n  static var canUseKeychain: Bool { UIApplication.shared.isProtectedDataAvailable }\n  func getOrCreate() -> String {\n    if let existing = load() { return existing }\n    let newID = UUID().uuidString\n    save(newID)\n    return newID\n  }\n  func load() -> String? {\n    guard DeviceID.canUseKeychain else { return UserDefaults.standard.string(forKey: "device") }\n    return read()\n  }\n  private func read() -> String? {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "device", kSecReturnData as String: true]\n    var item: CFTypeRef?\n    let status = SecItemCopyMatching(query as CFDictionary, &item)\n    guard status == errSecSuccess, let data = item as? Data else { return nil }\n    return String(data: data, encoding: .utf8)\n  }\n  private func save(_ value: String) {\n    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "device", kSecAttrAccessible as String: kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly, kSecValueData as String: Data(value.utf8)]\n    SecItemAdd(query as CFDictionary, nil)\n  }\n}`,
        ],
      },
      objc: {
        invalid: [
          { code: `@implementation LGCredentials\n- (void)saveToken:(NSData *)token {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"api", (__bridge id)kSecValueData: token};\n  ↓SecItemAdd((__bridge CFDictionaryRef)query, NULL);\n}\n- (NSData *)token {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"api", (__bridge id)kSecReturnData: @YES};\n  CFTypeRef result = NULL;\n  SecItemCopyMatching((__bridge CFDictionaryRef)query, &result);\n  return (__bridge_transfer NSData *)result;\n}\n@end`, project: { infoPlist: { UIBackgroundModes: ['location'] }, sources: [`@interface AppDelegate ()\n@property (nonatomic, strong) LGCredentials *credentials;\n@end\n\n@implementation AppDelegate\n- (BOOL)application:(UIApplication *)application didFinishLaunchingWithOptions:(NSDictionary *)launchOptions {\n  [self restoreSession];\n  return YES;\n}\n- (void)restoreSession {\n  self.signedIn = [self.credentials token] != nil;\n}\n@end`] } },
          { code: `@implementation LGDeviceStorage\n- (NSMutableDictionary *)queryForAccount:(NSString *)account {\n  NSMutableDictionary *query = [NSMutableDictionary dictionary];\n  [query setObject:(__bridge id)kSecClassGenericPassword forKey:(__bridge id)kSecClass];\n  [query setObject:@"device" forKey:(__bridge id)kSecAttrService];\n  [query setObject:account forKey:(__bridge id)kSecAttrAccount];\n  [query setObject:(__bridge id)kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly forKey:(__bridge id)kSecAttrAccessible];\n  return query;\n}\n- (NSString *)passwordForAccount:(NSString *)account {\n  NSMutableDictionary *query = [self queryForAccount:account];\n  [query setObject:@YES forKey:(__bridge id)kSecReturnData];\n  CFTypeRef result = NULL;\n  OSStatus status = ↓SecItemCopyMatching((__bridge CFDictionaryRef)query, &result);\n  if (status != errSecSuccess) {\n    NSLog(@"keychain read failed: %d", (int)status);\n    return nil;\n  }\n  return [[NSString alloc] initWithData:(__bridge_transfer NSData *)result encoding:NSUTF8StringEncoding];\n}\n- (NSString *)secretForDevice:(NSString *)deviceId {\n  NSString *secret = [self passwordForAccount:deviceId];\n  NSLog(@"read secret for %@", deviceId);\n  return secret;\n}\n@end`, project: { sources: [`@protocol LGStorage <NSObject>\n- (NSString *)secretForDevice:(NSString *)deviceId;\n@end\n\n@interface LGDeviceStorage : NSObject <LGStorage>\n@end\n\n@implementation LGDevice\n+ (instancetype)deviceWithStorage:(id<LGStorage>)storage deviceId:(NSString *)deviceId {\n  LGDevice *device = [[LGDevice alloc] init];\n  NSString *secret = [storage secretForDevice:deviceId];\n  if (secret == nil) {\n    [device generateAndPersistDeviceSecret];\n  }\n  return device;\n}\n@end`] } },
          { code: `@implementation LGCredentials\n- (void)saveToken:(NSData *)token {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"api", (__bridge id)kSecValueData: token};\n  ↓SecItemAdd((__bridge CFDictionaryRef)query, NULL);\n}\n- (NSData *)token {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"api", (__bridge id)kSecReturnData: @YES};\n  CFTypeRef result = NULL;\n  SecItemCopyMatching((__bridge CFDictionaryRef)query, &result);\n  return (__bridge_transfer NSData *)result;\n}\n@end`, project: { sources: [`@interface AppDelegate ()\n@property (nonatomic, strong) LGCredentials *credentials;\n@end\n\n@implementation AppDelegate\n- (void)application:(UIApplication *)application performFetchWithCompletionHandler:(void (^)(UIBackgroundFetchResult))completionHandler {\n  NSData *token = [self.credentials token];\n  completionHandler(token ? UIBackgroundFetchResultNewData : UIBackgroundFetchResultFailed);\n}\n@end`] } },
          `@implementation LGCredentials\n- (void)saveToken:(NSData *)token {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"api", (__bridge id)kSecAttrAccessible: (__bridge id)kSecAttrAccessibleWhenUnlocked, (__bridge id)kSecValueData: token};\n  ↓SecItemAdd((__bridge CFDictionaryRef)query, NULL);\n}\n- (NSData *)token {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"api", (__bridge id)kSecReturnData: @YES};\n  CFTypeRef result = NULL;\n  SecItemCopyMatching((__bridge CFDictionaryRef)query, &result);\n  return (__bridge_transfer NSData *)result;\n}\n- (void)application:(UIApplication *)application performFetchWithCompletionHandler:(void (^)(UIBackgroundFetchResult))completionHandler {\n  NSData *token = [self token];\n  completionHandler(token ? UIBackgroundFetchResultNewData : UIBackgroundFetchResultFailed);\n}\n@end`,
          `@implementation LGSession\n- (void)restore {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecReturnData: @YES};\n  CFTypeRef result = NULL;\n  OSStatus status = ↓SecItemCopyMatching((__bridge CFDictionaryRef)query, &result);\n  if (status != errSecSuccess) {\n    [self signOut];\n  }\n}\n@end`,
          `@implementation LGCredentials\n- (void)saveToken:(NSData *)token {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"api", (__bridge id)kSecAttrAccessible: (__bridge id)kSecAttrAccessibleWhenUnlocked, (__bridge id)kSecValueData: token};\n  ↓SecItemAdd((__bridge CFDictionaryRef)query, NULL);\n}\n- (NSData *)token {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"api", (__bridge id)kSecReturnData: @YES};\n  CFTypeRef result = NULL;\n  SecItemCopyMatching((__bridge CFDictionaryRef)query, &result);\n  return (__bridge_transfer NSData *)result;\n}\n- (void)registerTasks {\n  void (^handler)(BGTask *) = ^(BGTask *task) {\n    [task setTaskCompletedWithSuccess:[self token] != nil];\n  };\n  [[BGTaskScheduler sharedScheduler] registerForTaskWithIdentifier:@"com.example.refresh" usingQueue:nil launchHandler:handler];\n}\n@end`,
          { code: `@implementation LGCredentials\n- (void)saveToken:(NSData *)token {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"api", (__bridge id)kSecValueData: token};\n  ↓SecItemAdd((__bridge CFDictionaryRef)query, NULL);\n}\n- (NSData *)token {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"api", (__bridge id)kSecReturnData: @YES};\n  CFTypeRef result = NULL;\n  SecItemCopyMatching((__bridge CFDictionaryRef)query, &result);\n  return (__bridge_transfer NSData *)result;\n}\n@end`, project: { sources: [`@implementation LGSyncScheduler\n- (void)registerTasks {\n  [[BGTaskScheduler sharedScheduler] registerForTaskWithIdentifier:@"com.example.sync" usingQueue:nil launchHandler:^(BGTask *task) {\n    LGCredentials *credentials = [LGCredentials new];\n    [task setTaskCompletedWithSuccess:credentials.token != nil];\n  }];\n}\n@end`] } },
          `@implementation LGDeviceID\n- (BOOL)canUseKeychain {\n  return YES;\n}\n- (NSString *)deviceID {\n  if (![self canUseKeychain]) return nil;\n  NSString *existing = [self readID];\n  if (existing == nil) {\n    existing = [[NSUUID UUID] UUIDString];\n    [self saveID:existing];\n  }\n  return existing;\n}\n- (NSString *)readID {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"device", (__bridge id)kSecReturnData: @YES};\n  CFTypeRef result = NULL;\n  OSStatus status = ↓SecItemCopyMatching((__bridge CFDictionaryRef)query, &result);\n  if (status != errSecSuccess) return nil;\n  return [[NSString alloc] initWithData:(__bridge_transfer NSData *)result encoding:NSUTF8StringEncoding];\n}\n- (void)saveID:(NSString *)value {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"device", (__bridge id)kSecAttrAccessible: (__bridge id)kSecAttrAccessibleAfterFirstUnlock, (__bridge id)kSecValueData: [value dataUsingEncoding:NSUTF8StringEncoding]};\n  SecItemAdd((__bridge CFDictionaryRef)query, NULL);\n}\n@end`,
        ],
        valid: [
          { code: `@implementation LGCredentials\n- (void)saveToken:(NSData *)token {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"api", (__bridge id)kSecValueData: token};\n  SecItemAdd((__bridge CFDictionaryRef)query, NULL);\n}\n- (NSData *)token {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"api", (__bridge id)kSecReturnData: @YES};\n  CFTypeRef result = NULL;\n  SecItemCopyMatching((__bridge CFDictionaryRef)query, &result);\n  return (__bridge_transfer NSData *)result;\n}\n@end`, project: { infoPlist: { UIBackgroundModes: ['location'] }, sources: [`@interface AppDelegate ()\n@property (nonatomic, strong) LGCredentials *credentials;\n@end\n\n@implementation AppDelegate\n- (BOOL)application:(UIApplication *)application didFinishLaunchingWithOptions:(NSDictionary *)launchOptions {\n  if (application.isProtectedDataAvailable) {\n    [self restoreSession];\n  }\n  return YES;\n}\n- (void)applicationProtectedDataDidBecomeAvailable:(UIApplication *)application {\n  [self restoreSession];\n}\n- (void)restoreSession {\n  self.signedIn = [self.credentials token] != nil;\n}\n@end`] } },
          { code: `@implementation LGCredentials\n- (void)saveToken:(NSData *)token {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"api", (__bridge id)kSecValueData: token};\n  SecItemAdd((__bridge CFDictionaryRef)query, NULL);\n}\n- (NSData *)token {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"api", (__bridge id)kSecReturnData: @YES};\n  CFTypeRef result = NULL;\n  SecItemCopyMatching((__bridge CFDictionaryRef)query, &result);\n  return (__bridge_transfer NSData *)result;\n}\n@end`, project: { infoPlist: { UIBackgroundModes: ['bluetooth-central'] }, sources: [`@interface AppDelegate ()\n@property (nonatomic, strong) LGCredentials *credentials;\n@end\n\n@implementation AppDelegate\n- (BOOL)application:(UIApplication *)application didFinishLaunchingWithOptions:(NSDictionary *)launchOptions {\n  [self restoreSession];\n  return YES;\n}\n- (void)restoreSession {\n  self.signedIn = [self.credentials token] != nil;\n}\n@end`] } },
          { code: `@implementation LGDeviceStorage\n- (NSMutableDictionary *)queryForAccount:(NSString *)account {\n  NSMutableDictionary *query = [NSMutableDictionary dictionary];\n  [query setObject:(__bridge id)kSecClassGenericPassword forKey:(__bridge id)kSecClass];\n  [query setObject:@"device" forKey:(__bridge id)kSecAttrService];\n  [query setObject:account forKey:(__bridge id)kSecAttrAccount];\n  [query setObject:(__bridge id)kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly forKey:(__bridge id)kSecAttrAccessible];\n  return query;\n}\n- (NSString *)passwordForAccount:(NSString *)account {\n  NSMutableDictionary *query = [self queryForAccount:account];\n  [query setObject:@YES forKey:(__bridge id)kSecReturnData];\n  CFTypeRef result = NULL;\n  OSStatus status = SecItemCopyMatching((__bridge CFDictionaryRef)query, &result);\n  if (status != errSecSuccess) {\n    NSLog(@"keychain read failed: %d", (int)status);\n    return nil;\n  }\n  return [[NSString alloc] initWithData:(__bridge_transfer NSData *)result encoding:NSUTF8StringEncoding];\n}\n- (NSString *)secretForDevice:(NSString *)deviceId {\n  NSString *secret = [self passwordForAccount:deviceId];\n  NSLog(@"read secret for %@", deviceId);\n  return secret;\n}\n@end`, project: { sources: [`@protocol LGStorage <NSObject>\n- (NSString *)secretForDevice:(NSString *)deviceId;\n@end\n\n@interface LGDeviceStorage : NSObject <LGStorage>\n@end\n\n@implementation LGDevice\n+ (instancetype)deviceWithStorage:(id<LGStorage>)storage deviceId:(NSString *)deviceId {\n  LGDevice *device = [[LGDevice alloc] init];\n  NSString *secret = [storage secretForDevice:deviceId];\n  if (secret == nil) {\n    NSLog(@"no secret yet for %@", deviceId);\n  }\n  return device;\n}\n@end`] } },
          { code: `@implementation LGCredentials\n- (void)saveToken:(NSData *)token {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"api", (__bridge id)kSecAttrAccessible: (__bridge id)kSecAttrAccessibleAfterFirstUnlock, (__bridge id)kSecValueData: token};\n  SecItemAdd((__bridge CFDictionaryRef)query, NULL);\n}\n- (NSData *)token {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"api", (__bridge id)kSecReturnData: @YES};\n  CFTypeRef result = NULL;\n  SecItemCopyMatching((__bridge CFDictionaryRef)query, &result);\n  return (__bridge_transfer NSData *)result;\n}\n@end`, project: { sources: [`@interface AppDelegate ()\n@property (nonatomic, strong) LGCredentials *credentials;\n@end\n\n@implementation AppDelegate\n- (void)application:(UIApplication *)application performFetchWithCompletionHandler:(void (^)(UIBackgroundFetchResult))completionHandler {\n  NSData *token = [self.credentials token];\n  completionHandler(token ? UIBackgroundFetchResultNewData : UIBackgroundFetchResultFailed);\n}\n@end`] } },
          { code: `@implementation LGCredentials\n- (void)saveToken:(NSData *)token {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"api", (__bridge id)kSecValueData: token};\n  SecItemAdd((__bridge CFDictionaryRef)query, NULL);\n}\n- (NSData *)token {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"api", (__bridge id)kSecReturnData: @YES};\n  CFTypeRef result = NULL;\n  SecItemCopyMatching((__bridge CFDictionaryRef)query, &result);\n  return (__bridge_transfer NSData *)result;\n}\n@end`, project: { sources: [`@interface AppDelegate ()\n@property (nonatomic, strong) LGCredentials *credentials;\n@end\n\n@implementation AppDelegate\n- (void)viewDidLoad {\n  NSData *token = [self.credentials token];\n  NSLog(@"%@", token);\n}\n@end`] } },
          `@implementation LGCredentials\n- (void)saveToken:(NSData *)token {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"api", (__bridge id)kSecAttrAccessible: (__bridge id)kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly, (__bridge id)kSecValueData: token};\n  SecItemAdd((__bridge CFDictionaryRef)query, NULL);\n}\n- (NSData *)token {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"api", (__bridge id)kSecReturnData: @YES};\n  CFTypeRef result = NULL;\n  SecItemCopyMatching((__bridge CFDictionaryRef)query, &result);\n  return (__bridge_transfer NSData *)result;\n}\n- (void)application:(UIApplication *)application performFetchWithCompletionHandler:(void (^)(UIBackgroundFetchResult))completionHandler {\n  completionHandler([self token] ? UIBackgroundFetchResultNewData : UIBackgroundFetchResultFailed);\n}\n@end`,
          `@implementation LGCredentials\n- (void)saveToken:(NSData *)token {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"api", (__bridge id)kSecValueData: token};\n  SecItemAdd((__bridge CFDictionaryRef)query, NULL);\n}\n- (NSData *)pushToken {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"push", (__bridge id)kSecReturnData: @YES};\n  CFTypeRef result = NULL;\n  SecItemCopyMatching((__bridge CFDictionaryRef)query, &result);\n  return (__bridge_transfer NSData *)result;\n}\n- (void)application:(UIApplication *)application performFetchWithCompletionHandler:(void (^)(UIBackgroundFetchResult))completionHandler {\n  completionHandler([self pushToken] ? UIBackgroundFetchResultNewData : UIBackgroundFetchResultFailed);\n}\n@end`,
          `@implementation LGCredentials\n- (void)saveToken:(NSData *)token {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"api", (__bridge id)kSecAttrAccessible: (__bridge id)kSecAttrAccessibleWhenUnlocked, (__bridge id)kSecValueData: token};\n  SecItemAdd((__bridge CFDictionaryRef)query, NULL);\n}\n- (NSData *)token {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"api", (__bridge id)kSecReturnData: @YES};\n  CFTypeRef result = NULL;\n  SecItemCopyMatching((__bridge CFDictionaryRef)query, &result);\n  return (__bridge_transfer NSData *)result;\n}\n- (void)showProfile {\n  void (^show)(void) = ^{\n    NSLog(@"%@", [self token]);\n  };\n  dispatch_async(dispatch_get_main_queue(), show);\n}\n@end`,
          { code: `@interface LGCredentials : NSObject\n@property (nonatomic, strong) NSData *cachedToken;\n@end\n@implementation LGCredentials\n- (void)saveToken:(NSData *)token {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"api", (__bridge id)kSecValueData: token};\n  SecItemAdd((__bridge CFDictionaryRef)query, NULL);\n}\n- (NSData *)token {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"api", (__bridge id)kSecReturnData: @YES};\n  CFTypeRef result = NULL;\n  SecItemCopyMatching((__bridge CFDictionaryRef)query, &result);\n  return (__bridge_transfer NSData *)result;\n}\n@end`, project: { sources: [`@implementation LGSyncScheduler\n- (void)registerTasks {\n  [[BGTaskScheduler sharedScheduler] registerForTaskWithIdentifier:@"com.example.sync" usingQueue:nil launchHandler:^(BGTask *task) {\n    LGCredentials *credentials = [LGCredentials new];\n    [task setTaskCompletedWithSuccess:credentials.cachedToken != nil];\n  }];\n}\n@end`] } },
          `@implementation LGDeviceID\n- (BOOL)canUseKeychain {\n  return [UIApplication sharedApplication].isProtectedDataAvailable;\n}\n- (NSString *)deviceID {\n  if (![self canUseKeychain]) return nil;\n  NSString *existing = [self readID];\n  if (existing == nil) {\n    existing = [[NSUUID UUID] UUIDString];\n    [self saveID:existing];\n  }\n  return existing;\n}\n- (NSString *)readID {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"device", (__bridge id)kSecReturnData: @YES};\n  CFTypeRef result = NULL;\n  OSStatus status = SecItemCopyMatching((__bridge CFDictionaryRef)query, &result);\n  if (status != errSecSuccess) return nil;\n  return [[NSString alloc] initWithData:(__bridge_transfer NSData *)result encoding:NSUTF8StringEncoding];\n}\n- (void)saveID:(NSString *)value {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrService: @"device", (__bridge id)kSecAttrAccessible: (__bridge id)kSecAttrAccessibleAfterFirstUnlock, (__bridge id)kSecValueData: [value dataUsingEncoding:NSUTF8StringEncoding]};\n  SecItemAdd((__bridge CFDictionaryRef)query, NULL);\n}\n@end`,
        ],
      },
    },
    triggers: KEYCHAIN_TRIGGERS,
    needsWholeIndex: true,
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
    const name = secConstantName(entry.value);
    return name && LOCKED_OUT.test(name) ? { name, value: entry.value, query } : undefined;
  }
  const defaulted = operation === 'add' && query.complete && !hasKey(query, 'kSecAttrAccessControl');
  return defaulted ? { name: 'no accessibility class (kSecAttrAccessibleWhenUnlocked)', query } : undefined;
}

function checkStoredClass(context: RuleContext, call: CallExpr, operation: 'add' | 'update'): void {
  const locked = lockedOutClass(call, operation);
  if (!locked) return;
  const stored = keychainQueriesOf(call)[0]!;
  const launch = launchReach(context);
  const read = backgroundRead(call, stored, context.index) ?? (launch ? reachedRead(call, stored, launch) : undefined);
  const elsewhere = read ? undefined : backgroundReadElsewhere(call, stored, context.index, inBackground(context.index)) ?? (launch ? backgroundReadElsewhere(call, stored, context.index, launch) : undefined);
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
  return reachedRead(add, stored, inBackground(index));
}

/** A `SecItemCopyMatching` of this file reading the item, in a unit `reach` reaches. */
function reachedRead(add: CallExpr, stored: KeychainQuery, reach: Reach): { call: CallExpr; scope: string } | undefined {
  for (const read of callsIn(rootOf(add), (c) => secItemOperation(c) === 'copy' && sameItem(stored, keychainQueriesOf(c)[0]!))) {
    const key = unitKeyOf(read);
    const reached = reach(key);
    if (reached) return { call: read, scope: scopeOf(reached, key) };
  }
  return undefined;
}

/** Background reach of the project's units. */
function inBackground(index: ProjectIndex): Reach {
  return (key) => {
    const how = backgroundReachOf(index, key);
    return how ? { how } : undefined;
  };
}

/**
 * Launch reach of the project's units, counting launch code of apps whose Info.plist has background
 * modes that relaunch them (launch code then runs in the background too, often with the device locked):
 * each app's own modes, so an SDK's read is reached from its sample app; undefined without such modes
 * or without a known Info.plist (a library alone, a package: not assumed).
 */
function launchReach(context: RuleContext): Reach | undefined {
  return launchReachIn(context.index, backgroundLaunchModes(processInfoPlist(context.project), context.index), context.launchModesByFile);
}

function scopeOf(reached: { how: BackgroundReach; modes?: string[] }, last?: string): string {
  const described = describeReach(reached.how, last);
  return reached.modes ? `${described}, which also runs when iOS launches the app in the background (UIBackgroundModes: ${reached.modes.join(', ')}),` : described;
}

/**
 * A keychain read in another file that runs in the background and reads this item: one of the same
 * wrapper type (the add's type), or one naming the same literal service or account.
 */
function backgroundReadElsewhere(add: CallExpr, stored: KeychainQuery, index: ProjectIndex, reach: Reach): { scope: string; reader: string } | undefined {
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
    const reached = reach(read.key);
    if (reached) return { scope: scopeOf(reached), reader: read.key };
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
    else checkRegeneration(context, read);
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

/**
 * A read whose every failure comes back as nil (the function returns nil and never tells
 * `errSecInteractionNotAllowed` apart, or throws), returned as is by same-file wrappers, and code of the
 * project that takes that nil for "none yet" and generates and stores a new value (a device id, a key).
 * Reported when the read can fail although the item exists: the item is stored `AfterFirstUnlock…`
 * (meant for background reads, which fail before the first unlock after a restart), or the read runs
 * from background code or from launch code of an app the system launches in the background.
 */
function checkRegeneration(context: RuleContext, read: CallExpr): void {
  const fn = outermostFunction(read);
  const type = fn ? fn.typeName ?? enclosingType(fn)?.name : undefined;
  if (!fn?.body || !type || !collapsesFailures(fn)) return;
  const readers = new Map<string, FunctionDecl>([[`${type}.${fn.baseName}`, fn]]);
  for (let depth = 0; depth < 2; depth++) {
    for (const f of [...readers.values()]) for (const g of passThroughs(f, type)) readers.set(`${type}.${g.baseName}`, g);
  }
  // A reader that checks protected data first (`if canUseKeychain { return load(key) }`) reads only while the keychain is readable.
  for (const key of [...readers.keys()]) if (checksProtectedDataOf(context.index, key)) readers.delete(key);
  const regenerating = regeneratingCallersOf(context.index, new Set(readers.keys()));
  const found = failsWhileItemExists(context, read, regenerating);
  if (!found) {
    checkSignedOutOnNil(context, read, `${type}.${fn.baseName}`, new Set(readers.keys()));
    return;
  }
  context.report({
    at: read,
    messageId: 'failureRegenerates',
    data: { unit: `${type}.${fn.baseName}`, caller: found.caller.unit, action: found.caller.action, when: found.when },
  });
}

/**
 * The read's nil, passed on unchanged (`var userToken: String? { return Keychain.userToken }`), kept as the
 * signed-in state (`let isLoggedIn = provider.userToken != nil`) by code that runs in the background or from
 * launch code of an app launched in the background: there the locked keychain reads as a signed-out user.
 */
function checkSignedOutOnNil(context: RuleContext, read: CallExpr, unit: string, readers: ReadonlySet<string>): void {
  const launch = launchReach(context);
  for (const key of passThroughsOf(context.index, readers)) {
    for (const check of signedInChecksOf(context.index, key, true)) {
      if (checksProtectedDataOf(context.index, check.key)) continue;
      const reached = inBackground(context.index)(check.key) ?? launch?.(check.key);
      if (!reached) continue;
      context.report({
        at: read,
        messageId: 'nilAsSignedOut',
        data: { unit, caller: check.unit, name: check.name, via: key, scope: scopeOf(reached, check.key).replace(/,$/, '') },
      });
      return;
    }
  }
}

/** The method around a node (a function nested in it counts as the method: `func attempt()` inside `load()`). */
function outermostFunction(node: SyntaxNode): FunctionDecl | undefined {
  let found: FunctionDecl | undefined;
  for (const a of ancestors(node)) if (a.kind === 'function') found = a;
  return found;
}

/**
 * Returns nil for a failed read, never telling a missing item apart (`errSecItemNotFound`: what the other
 * statuses then do is its own choice) nor `errSecInteractionNotAllowed`, never throwing.
 */
function collapsesFailures(fn: FunctionDecl): boolean {
  if (mentions(fn.body!, 'errSecInteractionNotAllowed') || mentions(fn.body!, 'errSecItemNotFound')) return false;
  let returnsNil = false;
  for (const n of descendants(fn.body!, (d) => d.kind !== 'closure')) {
    if (n.kind !== 'jump') continue;
    if (n.jump === 'throw') return false;
    if (n.jump === 'return' && n.value && isNilValue(n.value)) returnsNil = true;
  }
  return returnsNil;
}

function isNilValue(e: Expr): boolean {
  return (e.kind === 'literal' && e.type === 'nil') || (e.kind === 'ident' && (e.name === 'nil' || e.name === 'NULL'));
}

/** Methods of the same type in this file that return what `fn` returns (`return readKey()`, `v = [self read…]; … return v;`). */
function passThroughs(fn: FunctionDecl, type: string): FunctionDecl[] {
  const found: FunctionDecl[] = [];
  for (const n of descendants(rootOf(fn))) {
    if (n.kind !== 'function' || n === fn || !n.body || (n.typeName ?? enclosingType(n)?.name) !== type) continue;
    if (mentions(n.body, 'errSecInteractionNotAllowed')) continue;
    const calls = callsIn(n.body, (c) => c.baseName === fn.baseName, false);
    if (calls.some((c) => returnsValueOf(n, c))) found.push(n);
  }
  return found;
}

/** Does `fn` return the call's value: directly, as its only expression, or through a local it is kept in? */
function returnsValueOf(fn: FunctionDecl, call: CallExpr): boolean {
  let kept: string | undefined;
  for (let p = call.parent; p && p !== fn.body; p = p.parent) {
    if (p.kind === 'jump') return p.jump === 'return';
    if (p.kind === 'var') { kept = p.name; break; }
    if (p.kind === 'assign') { kept = constantName(p.target); break; }
    if (p.kind === 'block') return fn.body!.body.length === 1 && fn.body!.body[0] === call;
  }
  if (!kept) return fn.body!.body.length === 1;
  for (const n of descendants(fn.body!, (d) => d.kind !== 'closure')) {
    if (n.kind === 'jump' && n.jump === 'return' && n.value && constantName(n.value) === kept) return true;
  }
  return false;
}

/**
 * Why the read can fail while the item exists, for the message, and the regenerating caller it concerns:
 * the item's class (AfterFirstUnlock, unreadable before the first unlock after a restart, whoever reads
 * it), or background or launch code the regenerating caller runs from.
 */
function failsWhileItemExists(context: RuleContext, read: CallExpr, callers: { unit: string; action: string }[]): { caller: { unit: string; action: string }; when: string } | undefined {
  if (!callers.length) return undefined;
  const itemClass = storedClassOf(read);
  if (itemClass && AFTER_FIRST_UNLOCK.test(itemClass)) {
    return { caller: callers[0]!, when: `before the first unlock after a restart (prewarming, background launches; the item is ${itemClass})` };
  }
  for (const reach of [inBackground(context.index), launchReach(context)]) {
    for (const caller of callers) {
      const reached = reach?.(caller.unit);
      if (reached) return { caller, when: `while the device is locked (${caller.unit} runs from ${scopeOf(reached, caller.unit).replace(/,$/, '')})` };
    }
  }
  return undefined;
}

/** The class the read's item is stored with: the read query's own `kSecAttrAccessible`, or an add or update of the same item in this file. */
function storedClassOf(read: CallExpr): string | undefined {
  const query = keychainQueriesOf(read)[0]!;
  const own = accessibilityName(query, read);
  if (own) return own;
  for (const write of callsIn(rootOf(read), (c) => secItemOperation(c) === 'add' || secItemOperation(c) === 'update')) {
    const queries = keychainQueriesOf(write);
    if (!sameItem(queries[0]!, query)) continue;
    const name = accessibilityName(queries[secItemOperation(write) === 'update' ? 1 : 0] ?? queries[0]!, write);
    if (name) return name;
  }
  return undefined;
}

/** `kSecAttrAccessible`'s constant, following a member of the same type that holds it (`private let accessible = kSecAttrAccessible…`). */
function accessibilityName(query: KeychainQuery, at: SyntaxNode): string | undefined {
  const entry = [...query.entries].reverse().find((e) => e.key === 'kSecAttrAccessible');
  const name = entry ? secConstantName(entry.value) : undefined;
  if (!name || /^kSecAttrAccessible|^(afterFirstUnlock|whenUnlocked|whenPasscode)/.test(name)) return name;
  const type = enclosingType(at)?.name;
  for (const n of descendants(rootOf(at))) {
    if (n.kind === 'var' && n.name === name && n.value && enclosingType(n)?.name === type) return constantName(n.value);
  }
  return name;
}
