import {
  bindArguments, defineRule, dictionaryEntries, enclosingType, hasBackgroundMode, isNil, memberPath, plistStrings, processInfoPlist, relatedAtKey,
  resolveString,
} from '@bglint/core';
import type { CallExpr, Expr, PlistFacts, RuleContext } from '@bglint/core';

const RESTORE_KEY = 'CBCentralManagerOptionRestoreIdentifierKey';
const WILL_RESTORE = 'centralManager(_:willRestoreState:)';
const INITIALIZERS = ['CBCentralManager(delegate:queue:options:)', 'CBCentralManager(delegate:queue:)', 'CBCentralManager()'];
const MODE = 'bluetooth-central';

const plist = { UIBackgroundModes: [MODE] };

export default defineRule({
  meta: {
    id: 'bluetooth-restoration-missing',
    severity: 'warning',
    since: '0.2.0',
    summary: 'With the `bluetooth-central` background mode, create the CBCentralManager with a fixed restore identifier and implement willRestoreState.',
    why:
      'The `bluetooth-central` background mode keeps Bluetooth events flowing while the app is suspended, but when the ' +
      'system ends the app for memory it relaunches it for those events only if the central manager opted into state ' +
      'preservation: created with `CBCentralManagerOptionRestoreIdentifierKey` set to an identifier that is the same on ' +
      'every launch, and a delegate implementing `centralManager(_:willRestoreState:)`. A manager without it, or with a ' +
      'new identifier each launch (`UUID().uuidString`), is never restored, and connections and scans stop for good. The ' +
      'rule runs only when the target\'s Info.plist lists `bluetooth-central`; options or delegates it cannot see ' +
      '(a dictionary built elsewhere, a delegate other than `self`) are not reported, nor is code in a framework or package, ' +
      'which runs with the Info.plist of the app that links it.',
    symptom: 'After the app is terminated in the background, peripherals stop reconnecting and the app is never relaunched for Bluetooth events.',
    fix: 'Pass `[CBCentralManagerOptionRestoreIdentifierKey: "com.example.central"]` (a constant) in `options:` and implement `centralManager(_:willRestoreState:)` in the delegate.',
    references: [
      'https://developer.apple.com/documentation/corebluetooth/cbcentralmanageroptionrestoreidentifierkey',
      'https://developer.apple.com/documentation/corebluetooth/cbcentralmanagerdelegate/centralmanager(_:willrestorestate:)',
      'https://developer.apple.com/library/archive/documentation/NetworkingInternetWeb/Conceptual/CoreBluetooth_concepts/CoreBluetoothBackgroundProcessingForIOSApps/PerformingTasksWhileYourAppIsInTheBackground.html',
    ],
    tags: ['correctness', 'bluetooth', 'project-files'],
    precision: 'high',
    messages: {
      noIdentifier: 'The app declares the bluetooth-central background mode, but this CBCentralManager has no CBCentralManagerOptionRestoreIdentifierKey: after the system terminates the app it is not relaunched for Bluetooth events. Pass a fixed restore identifier and implement centralManager(_:willRestoreState:).',
      dynamicIdentifier: 'This restore identifier is built at run time, so it differs on the next launch and the system cannot restore this CBCentralManager. Use a constant identifier.',
      noWillRestore: 'This CBCentralManager opts into state restoration, but {{delegate}} does not implement centralManager(_:willRestoreState:), which restoration calls first. Implement it to take back the restored peripherals.',
    },
    examples: {
      swift: {
        invalid: [
          { code: `final class BeaconScanner: NSObject, CBCentralManagerDelegate {\n  lazy var central = ↓CBCentralManager(delegate: self, queue: nil)\n}`, project: { infoPlist: plist } },
          { code: `final class BeaconScanner: NSObject, CBCentralManagerDelegate {\n  func start() {\n    central = CBCentralManager(delegate: self, queue: nil, options: [CBCentralManagerOptionRestoreIdentifierKey: ↓UUID().uuidString])\n  }\n  func centralManager(_ central: CBCentralManager, willRestoreState dict: [String: Any]) {}\n}`, project: { infoPlist: plist } },
          { code: `final class BeaconScanner: NSObject, CBCentralManagerDelegate {\n  func start() {\n    central = ↓CBCentralManager(delegate: self, queue: nil, options: [CBCentralManagerOptionRestoreIdentifierKey: "com.example.central"])\n  }\n}`, project: { infoPlist: plist } },
        ],
        valid: [
          { code: `final class BeaconScanner: NSObject, CBCentralManagerDelegate {\n  static let restoreID = "com.example.central"\n  func start() {\n    central = CBCentralManager(delegate: self, queue: nil, options: [CBCentralManagerOptionRestoreIdentifierKey: Self.restoreID])\n  }\n  func centralManager(_ central: CBCentralManager, willRestoreState dict: [String: Any]) {}\n}`, project: { infoPlist: plist } },
          { code: `final class BeaconScanner: NSObject {\n  func start() {\n    central = CBCentralManager(delegate: self, queue: nil, options: [CBCentralManagerOptionRestoreIdentifierKey: "com.example.central"])\n  }\n}`, project: { infoPlist: plist, sources: [`extension BeaconScanner: CBCentralManagerDelegate {\n  func centralManager(_ central: CBCentralManager, willRestoreState dict: [String: Any]) {}\n}`] } },
          { code: `final class BeaconScanner: NSObject, CBCentralManagerDelegate {\n  lazy var central = CBCentralManager(delegate: self, queue: nil)\n}`, project: { infoPlist: { UIBackgroundModes: ['fetch'] } } },
          { code: `final class BeaconScanner: NSObject {\n  func start() {\n    central = CBCentralManager(delegate: self, queue: nil, options: Self.options)\n  }\n}`, project: { infoPlist: plist } },
          { code: `final class BeaconScanner: NSObject, CBCentralManagerDelegate {\n  lazy var central = CBCentralManager(delegate: self, queue: nil)\n}`, project: { generatedInfoPlistKeys: { UIBackgroundModes: 'fetch remote-notification' } } },
        ],
      },
      objc: {
        invalid: [
          { code: `@implementation BeaconScanner\n- (void)start {\n  self.central = ↓[[CBCentralManager alloc] initWithDelegate:self queue:nil];\n}\n@end`, project: { infoPlist: plist } },
          { code: `@implementation BeaconScanner\n- (void)start {\n  self.central = [[CBCentralManager alloc] initWithDelegate:self queue:nil options:@{CBCentralManagerOptionRestoreIdentifierKey: ↓[[NSUUID UUID] UUIDString]}];\n}\n- (void)centralManager:(CBCentralManager *)central willRestoreState:(NSDictionary *)state {\n}\n@end`, project: { infoPlist: plist } },
        ],
        valid: [
          { code: `static NSString *const kCentralID = @"com.example.central";\n@implementation BeaconScanner\n- (void)start {\n  self.central = [[CBCentralManager alloc] initWithDelegate:self queue:nil options:@{CBCentralManagerOptionRestoreIdentifierKey: kCentralID}];\n}\n- (void)centralManager:(CBCentralManager *)central willRestoreState:(NSDictionary *)state {\n}\n@end`, project: { infoPlist: plist } },
        ],
      },
    },
    triggers: ['CBCentralManager'],
  },
  create(context) {
    const infoPlist = processInfoPlist(context.project);
    if (!infoPlist || !hasBackgroundMode(infoPlist, MODE)) return {};
    const listener = (call: CallExpr) => check(context, infoPlist, call);
    return Object.fromEntries(INITIALIZERS.map((s) => [`call:${s}`, listener]));
  },
});

function check(context: RuleContext, infoPlist: PlistFacts, call: CallExpr): void {
  const args = INITIALIZERS.map((s) => bindArguments(call, s)).find(Boolean)!;
  const options = args.get('options');
  const identifier = options ? restoreIdentifierIn(options) : 'absent';
  if (identifier === 'unknown') return;
  const modeIndex = plistStrings(infoPlist, 'UIBackgroundModes').find((m) => m.value === MODE)!.index;
  const related = [relatedAtKey(infoPlist, ['UIBackgroundModes', modeIndex], `the ${MODE} background mode`)];
  if (identifier === 'absent') return context.report({ at: call, messageId: 'noIdentifier', related });
  const value = resolveString(identifier);
  if (value.kind === 'dynamic') return context.report({ at: identifier, messageId: 'dynamicIdentifier', related });
  const delegate = delegateType(call, args.get('delegate'));
  if (value.kind === 'static' && delegate && !context.index.implements(delegate, WILL_RESTORE)) {
    context.report({ at: call, messageId: 'noWillRestore', data: { delegate }, related });
  }
}

/** The restore identifier in an options dictionary literal; `unknown` when the options are built elsewhere. */
function restoreIdentifierIn(options: Expr): Expr | 'absent' | 'unknown' {
  if (isNil(options)) return 'absent';
  if (options.kind !== 'literal' || options.type !== 'dictionary') return 'unknown';
  const entry = dictionaryEntries(options).find((e) => memberPath(e.key).pop() === RESTORE_KEY);
  return entry?.value ?? 'absent';
}

/** The type of a `self` delegate (the one the index can check); undefined for any other delegate. */
function delegateType(call: CallExpr, delegate: Expr | undefined): string | undefined {
  return delegate?.kind === 'self' ? enclosingType(call)?.name : undefined;
}
