/**
 * Background reach across files, from the lexical index only: a small multi-file project in the shape of a
 * dependency-client app (a struct of closures, a launch handler calling a handler it was given, reducer
 * actions), and one with a background session factory in a category.
 */
import { ProjectIndex, backgroundReach, backgroundReachOf, checksProtectedDataOf, describeReach, keychainReadUnits, launchEntryFiles, launchReachIn, launchReachOf, passThroughsOf, regeneratingCallersOf, restoresBluetoothState, signedInChecksOf } from '@bglint/core';

function indexOf(files: Record<string, string>): ProjectIndex {
  const index = new ProjectIndex();
  for (const [name, text] of Object.entries(files)) index.addFile(name, text, name.endsWith('.swift') ? 'swift' : 'objc');
  return index;
}

const refreshManager = `
public struct RefreshManager {
  public var registerHandler: (@escaping () async -> Bool) -> Void
}
extension RefreshManager: DependencyKey {
  public static let liveValue = RefreshManager(
    registerHandler: { handler in
      BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.refresh", using: nil) { task in
        let run = handler
        Task { task.setTaskCompleted(success: await run()) }
      }
    }
  )
}
extension DependencyValues {
  public var refreshManager: RefreshManager { self[RefreshManager.self] }
  public var tokenStore: TokenStore { self[TokenStore.self] }
}`;

const app = `
@main
struct ExampleApp: App {
  @Dependency(\\.refreshManager) var refreshManager
  let store = Store(initialState: AppFeature.State()) { AppFeature() }
  init() {
    refreshManager.registerHandler { await refresh() }
  }
  private func refresh() async -> Bool {
    await store.send(.refreshTriggered).finish()
    return true
  }
}`;

const feature = `
@Reducer
struct AppFeature {
  @Dependency(\\.tokenStore) var tokens
  var body: some ReducerOf<Self> {
    Reduce { state, action in
      switch action {
      case .onAppear:
        return .run { send in
          let hasToken = tokens.exists()
          await send(.checked(hasToken))
        }
      case .refreshTriggered:
        return .run { _ in _ = try tokens.token() }
      case .checked:
        return .none
      }
    }
  }
}`;

const tokenStore = `
public struct TokenStore {
  public var load: () throws -> Data?
  public var exists: () -> Bool
  public func token() throws -> Data? { try load() }
}
extension TokenStore: DependencyKey {
  public static let liveValue = TokenStore(
    load: {
      let query: [CFString: Any] = [kSecClass: kSecClassGenericPassword, kSecAttrService: "api", kSecReturnData: true]
      var result: AnyObject?
      SecItemCopyMatching(query as CFDictionary, &result)
      return result as? Data
    },
    exists: {
      let status = SecItemCopyMatching([kSecClass: kSecClassGenericPassword] as CFDictionary, nil)
      return status == errSecSuccess
    }
  )
}`;

describe('background reach', () => {
  const index = indexOf({ 'RefreshManager.swift': refreshManager, 'ExampleApp.swift': app, 'AppFeature.swift': feature, 'TokenStore.swift': tokenStore });

  it('follows a handler given to a member that calls it from a launch handler, a sent action and a dependency to a closure given for a member', () => {
    const reach = backgroundReachOf(index, 'TokenStore.load');
    expect(reach?.scope).toBe('a BGTask launch handler');
    expect(describeReach(reach!, 'TokenStore.load')).toBe(
      'a BGTask launch handler (through RefreshManager.registerHandler → ExampleApp.refresh → .refreshTriggered → TokenStore.token → TokenStore.load)',
    );
  });

  it('does not reach code only the foreground runs', () => {
    const reached = [...backgroundReach(index).keys()];
    expect(reached).not.toContain('.onAppear');
    expect(reached).not.toContain('TokenStore.exists');
  });

  it('records keychain reads with their literal service, and results kept as the signed-in state', () => {
    expect(keychainReadUnits(index)).toEqual(expect.arrayContaining([{ key: 'TokenStore.load', type: 'TokenStore', service: 'api' }]));
    expect(signedInChecksOf(index, 'TokenStore.exists')).toEqual([{ unit: 'AppFeature case .onAppear', key: '.onAppear', name: 'hasToken' }]);
  });

  it('is silent when the handler is given to a member of a type the index cannot name', () => {
    const unknown = indexOf({ 'RefreshManager.swift': refreshManager, 'ExampleApp.swift': app.replace('@Dependency(\\.refreshManager) var refreshManager', 'let refreshManager = makeManager()'), 'AppFeature.swift': feature, 'TokenStore.swift': tokenStore });
    expect(backgroundReachOf(unknown, 'TokenStore.load')).toBeUndefined();
  });
});

describe('background sessions in the index', () => {
  it('records a category factory that builds a background session, not one that builds a default session', () => {
    const index = indexOf({
      'NSURLSession+Extras.m': `@implementation NSURLSession (Extras)
+ (NSURLSession *)ex_backgroundSession {
  static NSURLSession *session;
  static dispatch_once_t once;
  dispatch_once(&once, ^{
    session = [NSURLSession sessionWithConfiguration:[NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:@"com.example.bg"]];
  });
  return session;
}
+ (NSURLSession *)ex_defaultSession {
  return [NSURLSession sessionWithConfiguration:[NSURLSessionConfiguration defaultSessionConfiguration]];
}
@end`,
      'Transfers.swift': `final class Transfers {
  lazy var session: URLSession = {
    URLSession(configuration: .background(withIdentifier: "com.example.transfers"), delegate: nil, delegateQueue: nil)
  }()
  let api = URLSession(configuration: .default)
  static func make(background: Bool) -> URLSession {
    URLSession(configuration: background ? .background(withIdentifier: "x") : .default)
  }
}`,
    });
    expect(index.type('NSURLSession')?.backgroundSessions).toEqual(['ex_backgroundSession']);
    expect(index.type('Transfers')?.backgroundSessions).toEqual(['session']);
  });
});

describe('launch reach', () => {
  const files = {
    'MeshApp.swift': `@main
struct MeshApp: App {
  init() {
    _runtime = StateObject(wrappedValue: Runtime())
  }
}`,
    'Runtime.swift': `final class Runtime {
  init(keychain: KeychainProtocol = Keychain()) {
    self.service = NoiseService(keychain: keychain)
  }
}
final class NoiseService {
  private let keychain: KeychainProtocol
  init(keychain: KeychainProtocol) {
    self.keychain = keychain
    let key = keychain.identityKey()
  }
}`,
    'Keychain.swift': `protocol KeychainProtocol {
  func identityKey() -> Data?
}
final class Keychain: KeychainProtocol {
  func identityKey() -> Data? { retrieve() }
  private func retrieve() -> Data? {
    SecItemCopyMatching(query as CFDictionary, &result)
    return result as? Data
  }
}`,
    'Scanner.swift': `final class Scanner: NSObject, CBCentralManagerDelegate {
  func centralManager(_ central: CBCentralManager, willRestoreState dict: [String: Any]) {}
}`,
  };

  it('follows an App init through initializers and a protocol-typed property to the adopting type', () => {
    const index = indexOf(files);
    const reach = launchReachOf(index, 'Keychain.retrieve');
    expect(reach?.scope).toBe('launch code');
    expect(describeReach(reach!, 'Keychain.retrieve')).toBe(
      'launch code (through MeshApp.init → Runtime.init → NoiseService.init → Keychain.identityKey → Keychain.retrieve)',
    );
    expect(backgroundReachOf(index, 'Keychain.retrieve')).toBeUndefined();
    expect(restoresBluetoothState(index)).toBe(true);
  });

  it('does not start at launch code that checks isProtectedDataAvailable', () => {
    const index = indexOf({ ...files, 'MeshApp.swift': files['MeshApp.swift'].replace('init() {', 'init() {\n    guard UIApplication.shared.isProtectedDataAvailable else { return }') });
    expect(launchReachOf(index, 'Keychain.retrieve')).toBeUndefined();
  });

  it('starts at didFinishLaunching alone, not at every ObjC method sharing its first selector piece', () => {
    const index = indexOf({
      'AppDelegate.m': `@implementation AppDelegate
- (BOOL)application:(UIApplication *)application didFinishLaunchingWithOptions:(NSDictionary *)options {
  return YES;
}
- (void)application:(UIApplication *)application handleEventsForBackgroundURLSession:(NSString *)identifier completionHandler:(void (^)(void))handler {
  self.handler = handler;
}
- (void)application:(UIApplication *)application didRegisterForRemoteNotificationsWithDeviceToken:(NSData *)token {
  [self.store saveToken];
}
@end`,
      'AppDelegate.h': `@interface AppDelegate : UIResponder
@property (nonatomic, strong) Store *store;
@end`,
      'Store.m': `@implementation Store
- (void)saveToken {
}
@end`,
    });
    expect(backgroundReachOf(index, 'Store.saveToken')).toBeUndefined();
    expect(launchReachOf(index, 'Store.saveToken')).toBeUndefined();
  });
});

describe('regeneration on nil', () => {
  it('finds code that makes and stores a new value when a read through a protocol-typed parameter returns nil', () => {
    const index = indexOf({
      'Storage.m': `@interface DeviceStorage : NSObject <Storage>
@end
@implementation DeviceStorage
- (NSString *)secretForDevice:(NSString *)deviceId {
  return nil;
}
@end`,
      'Device.m': `@implementation Device
+ (instancetype)deviceWithStorage:(id<Storage>)storage {
  Device *device = [[Device alloc] init];
  NSString *secret = [storage secretForDevice:@"id"];
  if (secret == nil) {
    [device generateAndPersistSecret];
  }
  return device;
}
+ (instancetype)loggingDeviceWithStorage:(id<Storage>)storage {
  NSString *secret = [storage secretForDevice:@"id"];
  if (secret == nil) {
    NSLog(@"no secret");
  }
  return nil;
}
@end`,
      'Storage.h': `@protocol Storage <NSObject>
- (NSString *)secretForDevice:(NSString *)deviceId;
@end`,
    });
    expect(regeneratingCallersOf(index, new Set(['DeviceStorage.secretForDevice']))).toEqual([{ unit: 'Device.deviceWithStorage', action: 'generateAndPersistSecret' }]);
  });

  it('reads if-let, guard-let and ?? fallbacks in Swift', () => {
    const index = indexOf({
      'IDs.swift': `final class IDs {
  let store: IDStore
  func current() -> String {
    if let id = store.load() { return id }
    let id = UUID().uuidString
    store.save(id)
    return id
  }
  func key() -> Data {
    guard let key = store.key() else {
      let fresh = SymmetricKey(size: .bits256)
      store.saveKey(fresh)
      return fresh
    }
    return key
  }
  func cached() -> String {
    if let id = store.cached() { return id }
    return "none"
  }
}
final class IDStore {}`,
    });
    const callers = (method: string) => regeneratingCallersOf(index, new Set([`IDStore.${method}`]));
    expect(callers('load')).toEqual([{ unit: 'IDs.current', action: 'UUID()' }]);
    expect(callers('key')).toEqual([{ unit: 'IDs.key', action: 'SymmetricKey(size' }]);
    expect(callers('cached')).toEqual([]);
  });
});

describe('property getters and protected-data checks behind a member', () => {
  const index = indexOf({
    'Keychain.swift': `
final class Keychain {
  static var userToken: String? {
    get { getValue(for: "token") }
    set { setValue(newValue, for: "token") }
  }
  static var cachedToken: String?
  var body: some View { Text(Keychain.userToken ?? "") }
  private static func getValue(for account: String) -> String? { nil }
  private static func setValue(_ value: String?, for account: String) {}
}
final class Storage {
  private let keychain: KeychainStore
  var email: String? { keychain.email }
}
final class KeychainStore {
  let wrapper: Wrapper
  var email: String? {
    get { wrapper.data(forKey: "email") }
  }
}
final class Wrapper {
  func data(forKey key: String) -> String? { nil }
}
final class DeviceIDs {
  static var canUseKeychain: Bool { UIApplication.shared.isProtectedDataAvailable }
  static func load() -> String? {
    if canUseKeychain { return read() }
    return nil
  }
  static func read() -> String? { nil }
}`,
    'Sync.swift': `
final class SyncScheduler {
  let storage: Storage
  func register() {
    BGTaskScheduler.shared.register(forTaskWithIdentifier: "sync", using: nil) { task in
      let signedIn = Keychain.userToken != nil
      let provider = Provider()
      task.setTaskCompleted(success: signedIn && self.storage.email != nil && provider.cached == nil && Keychain.cachedToken == nil)
    }
  }
}
final class Provider {
  var cached: String?
}`,
    'Creds.m': `
@implementation LGCredentials
- (NSData *)token { return [self readToken]; }
- (NSData *)readToken { return nil; }
@end
@implementation LGSync
- (void)registerTasks {
  [[BGTaskScheduler sharedScheduler] registerForTaskWithIdentifier:@"sync" usingQueue:nil launchHandler:^(BGTask *task) {
    LGCredentials *credentials = [LGCredentials new];
    [task setTaskCompletedWithSuccess:credentials.token != nil];
  }];
}
@end`,
  });

  it('follows a read of a static computed property, of a typed property through two getters, and an ObjC dot-syntax read of a local', () => {
    expect(describeReach(backgroundReachOf(index, 'Keychain.getValue')!)).toBe('a BGTask launch handler (through Keychain.userToken)');
    expect(describeReach(backgroundReachOf(index, 'Wrapper.data')!)).toBe('a BGTask launch handler (through Storage.email → KeychainStore.email)');
    expect(describeReach(backgroundReachOf(index, 'LGCredentials.readToken')!)).toBe('a BGTask launch handler (through LGCredentials.token)');
  });

  it('has no units for stored properties, setters or opaque bodies', () => {
    expect(backgroundReachOf(index, 'Keychain.setValue')).toBeUndefined();
    expect(backgroundReachOf(index, 'Keychain.cachedToken')).toBeUndefined();
    expect(backgroundReachOf(index, 'Provider.cached')).toBeUndefined();
    expect(index.type('Keychain')?.getters?.map((g) => g.name)).toEqual(['userToken']);
  });

  it('takes a use of a same-type member that checks protected data for a check', () => {
    expect(checksProtectedDataOf(index, 'DeviceIDs.canUseKeychain')).toBe(true);
    expect(checksProtectedDataOf(index, 'DeviceIDs.load')).toBe(true);
    expect(checksProtectedDataOf(index, 'DeviceIDs.read')).toBe(false);
  });
});

describe('calls on a type\'s shared instance, and launch code judged by its own app', () => {
  const index = indexOf({
    'TokenStore.swift': `public final class TokenStore {
  public static let shared = TokenStore()
  public func token() -> Data? { return nil }
}`,
    'LGStore.m': `@implementation LGStore
+ (instancetype)sharedInstance { static LGStore *s; return s; }
- (NSData *)session { return nil; }
@end`,
    'TokenSDK.swift': `public final class TokenSDK {
  public static func start() {
    if TokenStore.shared.token() == nil { print("no user") }
  }
}`,
    'LGSDK.m': `@implementation LGSDK
+ (void)start {
  NSData *session = [[LGStore sharedInstance] session];
}
@end`,
    'SampleApp/AppDelegate.swift': `final class AppDelegate: UIResponder, UIApplicationDelegate {
  func application(_ application: UIApplication, didFinishLaunchingWithOptions launchOptions: [UIApplication.LaunchOptionsKey: Any]?) -> Bool {
    TokenSDK.start()
    return true
  }
}`,
    'ObjCSample/LGAppDelegate.m': `@implementation LGAppDelegate
- (BOOL)application:(UIApplication *)application didFinishLaunchingWithOptions:(NSDictionary *)launchOptions {
  [LGSDK start];
  return YES;
}
@end`,
  });

  it('follows `Type.shared.method()` and `[[Type sharedInstance] method]` to the type\'s method', () => {
    expect(describeReach(launchReachOf(index, 'TokenStore.token')!)).toBe('launch code (application(_:didFinishLaunchingWithOptions:)) (through AppDelegate.application → TokenSDK.start)');
    expect(describeReach(launchReachOf(index, 'LGStore.session')!)).toBe('launch code (application(_:didFinishLaunchingWithOptions:)) (through LGAppDelegate.application → LGSDK.start)');
  });

  it('lists the files that declare launch code', () => {
    expect(launchEntryFiles(index).sort()).toEqual(['ObjCSample/LGAppDelegate.m', 'SampleApp/AppDelegate.swift']);
  });

  it('counts launch code only of the apps launched in the background, with each app\'s own modes', () => {
    const reach = launchReachIn(index, [], { 'SampleApp/AppDelegate.swift': ['remote-notification'], 'ObjCSample/LGAppDelegate.m': [] });
    expect(reach?.('TokenStore.token')?.modes).toEqual(['remote-notification']);
    expect(reach?.('LGStore.session')).toBeUndefined();
    expect(launchReachIn(index, [], { 'SampleApp/AppDelegate.swift': [], 'ObjCSample/LGAppDelegate.m': [] })).toBeUndefined();
  });

  it('falls back to the linted file\'s own modes for launch code whose targets are unknown', () => {
    const reach = launchReachIn(index, ['fetch'], { 'SampleApp/AppDelegate.swift': [] });
    expect(reach?.('TokenStore.token')).toBeUndefined();
    expect(reach?.('LGStore.session')?.modes).toEqual(['fetch']);
  });
});

describe('a nil read kept as the signed-in state, through a collection\'s elements', () => {
  const index = indexOf({
    'Keychain.swift': `final class Keychain {
  static var userToken: String? { getValue(for: "token") }
  private static func getValue(for account: String) -> String? { return nil }
}`,
    'Credentials.swift': `final class Credentials {
  static let standard = Credentials()
  var userToken: String? { return Keychain.userToken }
}`,
    'Uploader.swift': `protocol SyncSubscriber { func shouldSync() -> Bool }
final class RegionUploader: SyncSubscriber {
  func shouldSync() -> Bool {
    let credentials = Credentials.standard
    let isLoggedIn = credentials.userToken != nil
    return isLoggedIn
  }
}
final class Notifier: SyncSubscriber {
  func shouldSync() -> Bool { true }
  func notify() {}
}`,
    'SyncManager.swift': `final class SyncManager {
  private let subscribers: [SyncSubscriber]
  private var notifiers: [Notifier] = []
  func register() {
    BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.sync", using: nil) { task in
      task.setTaskCompleted(success: self.sync())
    }
  }
  func sync() -> Bool {
    for notifier in notifiers { notifier.notify() }
    return !subscribers.filter { $0.shouldSync() }.isEmpty
  }
}`,
  });

  it('follows `xs.filter { $0.m() }` and `for x in xs { x.m() }` on a typed collection property to the element type (a protocol: its adopters)', () => {
    expect(describeReach(backgroundReachOf(index, 'RegionUploader.shouldSync')!)).toBe('a BGTask launch handler (through SyncManager.sync)');
    expect(backgroundReachOf(index, 'Notifier.notify')).toBeDefined();
  });

  it('passes a read\'s value through getters that return it, across types', () => {
    expect([...passThroughsOf(index, new Set(['Keychain.getValue']))].sort()).toEqual(['Credentials.userToken', 'Keychain.getValue', 'Keychain.userToken']);
  });

  it('finds `let isLoggedIn = x.token != nil` on a local made from a shared instance, apart from status checks', () => {
    expect(signedInChecksOf(index, 'Credentials.userToken', true)).toEqual([{ unit: 'RegionUploader.shouldSync', key: 'RegionUploader.shouldSync', name: 'isLoggedIn' }]);
    expect(signedInChecksOf(index, 'Credentials.userToken')).toEqual([]);
  });
});
