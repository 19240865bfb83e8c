import { KEYCHAIN_TRIGGERS, defineRule, entryValue, hasKey, keychainQueriesOf, runsOnMacOS, secItemOperation } from '@bglint/core';
import type { CallExpr, KeychainQuery, RuleContext } from '@bglint/core';

/** Keys that only mean something in the data protection keychain. */
const DATA_PROTECTION_KEYS = ['kSecAttrAccessible', 'kSecAttrAccessGroup'];
/** Keys that put the query in the data protection keychain (`kSecAttrNoLegacy` is the macOS 10.14 spelling; synchronizable items live there too). */
const USES_DATA_PROTECTION = ['kSecUseDataProtectionKeychain', 'kSecAttrNoLegacy'];
const TRUE_VALUES = new Set(['true', 'kCFBooleanTrue', 'YES', '?']);

export default defineRule({
  meta: {
    id: 'macos-keychain-data-protection',
    severity: 'warning',
    since: '0.2.0',
    summary: 'On macOS, put items with an accessibility class or access group in the data protection keychain.',
    why:
      'On macOS a SecItem call goes to the legacy file-based keychain unless the query sets `kSecUseDataProtectionKeychain` ' +
      'to true. The file-based keychain ignores `kSecAttrAccessible` and `kSecAttrAccessGroup`: the item is not shared ' +
      'through the access group, its accessibility class does not apply, and a process without a GUI session (an XPC ' +
      'service, a launch agent, a background helper) gets "user interaction not allowed" when it reads it. The platform ' +
      'comes from the target (macOS; Mac Catalyst apps always use the data protection keychain, so they are not reported); ' +
      'with no project file, a file that imports AppKit or Cocoa and not UIKit is macOS code. Queries built from a ' +
      'parameter or merged from elsewhere are not reported.',
    symptom: 'The thread\'s XPC service "always encounters a \'user interaction not allowed\' error" reading an item its app stored with kSecAttrAccessibleWhenUnlockedThisDeviceOnly and a shared access group.',
    fix: 'Add `kSecUseDataProtectionKeychain: true` to every query of these items (add, update, read and delete) and give the targets the keychain-access-groups entitlement.',
    references: [
      'https://developer.apple.com/documentation/security/ksecusedataprotectionkeychain',
      'https://developer.apple.com/documentation/technotes/tn3137-on-mac-keychains',
      'https://developer.apple.com/forums/thread/788312',
    ],
    tags: ['correctness', 'security', 'keychain', 'macos'],
    precision: 'high',
    hasSuggestions: true,
    messages: {
      legacyKeychain:
        'On macOS this query sets {{keys}} but not kSecUseDataProtectionKeychain, so it goes to the file-based keychain, which ignores {{keys}}: the item is not shared or protected as written, and background processes reading it get "user interaction not allowed". Add kSecUseDataProtectionKeychain: true.',
    },
    examples: {
      swift: {
        invalid: [
          `import AppKit\n\nfunc storeToken(_ token: Data) -> OSStatus {\n  let query: [String: Any] = [\n    kSecClass as String: kSecClassGenericPassword,\n    kSecAttrService as String: "com.example.sync",\n    kSecAttrAccessGroup as String: "TEAMID.com.example.shared",\n    kSecAttrAccessible as String: kSecAttrAccessibleWhenUnlockedThisDeviceOnly,\n    kSecValueData as String: token,\n  ]\n  return ↓SecItemAdd(query as CFDictionary, nil)\n}`,
          `import Cocoa\n\nfinal class TokenStore {\n  private func baseQuery() -> [String: Any] {\n    [kSecClass as String: kSecClassGenericPassword, kSecAttrAccessGroup as String: "TEAMID.shared"]\n  }\n  func token() -> Data? {\n    var query = baseQuery()\n    query[kSecReturnData as String] = true\n    var result: AnyObject?\n    guard ↓SecItemCopyMatching(query as CFDictionary, &result) == errSecSuccess else { return nil }\n    return result as? Data\n  }\n}`,
          `import AppKit\n\nfinal class SecureStorage {\n  func setToken(_ data: Data, for user: String) -> Bool {\n    let query = queryWithDict([kSecAttrAccount as String: user as AnyObject, kSecValueData as String: data as AnyObject])\n    return ↓SecItemAdd(query, nil) == noErr\n  }\n  private func queryWithDict(_ query: [String: AnyObject]) -> CFDictionary {\n    var queryDict = query\n    queryDict[kSecClass as String] = kSecClassGenericPassword\n    queryDict[kSecAttrAccessible as String] = kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly\n    return queryDict as CFDictionary\n  }\n}`,
        ],
        valid: [
          `import AppKit\n\nfunc storeToken(_ token: Data) -> OSStatus {\n  let query: [String: Any] = [\n    kSecClass as String: kSecClassGenericPassword,\n    kSecAttrAccessGroup as String: "TEAMID.com.example.shared",\n    kSecAttrAccessible as String: kSecAttrAccessibleAfterFirstUnlock,\n    kSecUseDataProtectionKeychain as String: true,\n    kSecValueData as String: token,\n  ]\n  return SecItemAdd(query as CFDictionary, nil)\n}`,
          `import UIKit\n\nfunc storeToken(_ token: Data) -> OSStatus {\n  let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrAccessible as String: kSecAttrAccessibleAfterFirstUnlock, kSecValueData as String: token]\n  return SecItemAdd(query as CFDictionary, nil)\n}`,
          `import AppKit\n\nfunc storePassword(_ data: Data) -> OSStatus {\n  let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "legacy", kSecValueData as String: data]\n  return SecItemAdd(query as CFDictionary, nil)\n}`,
          `import Cocoa\n\nfunc store(_ query: [String: Any]) -> OSStatus {\n  var attributes = query\n  attributes[kSecAttrAccessible as String] = kSecAttrAccessibleAfterFirstUnlock\n  attributes.merge(Self.dataProtection) { $1 }\n  return SecItemAdd(attributes as CFDictionary, nil)\n}`,
        ],
      },
      objc: {
        invalid: [
          `#import <Cocoa/Cocoa.h>\n\n@implementation TMKeychain\n- (OSStatus)storeToken:(NSData *)token {\n  NSMutableDictionary *query = [@{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword,\n                                  (__bridge id)kSecAttrService: @"com.example.sync"} mutableCopy];\n  query[(__bridge id)kSecAttrAccessible] = (__bridge id)kSecAttrAccessibleWhenUnlocked;\n  query[(__bridge id)kSecValueData] = token;\n  return ↓SecItemAdd((__bridge CFDictionaryRef)query, NULL);\n}\n@end`,
        ],
        valid: [
          `#import <Cocoa/Cocoa.h>\n\n@implementation TMKeychain\n- (OSStatus)storeToken:(NSData *)token {\n  NSMutableDictionary *query = [@{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword,\n                                  (__bridge id)kSecAttrService: @"com.example.sync"} mutableCopy];\n  query[(__bridge id)kSecAttrAccessible] = (__bridge id)kSecAttrAccessibleWhenUnlocked;\n  [query setObject:@YES forKey:(__bridge id)kSecUseDataProtectionKeychain];\n  query[(__bridge id)kSecValueData] = token;\n  return SecItemAdd((__bridge CFDictionaryRef)query, NULL);\n}\n@end`,
          `#import <UIKit/UIKit.h>\n\n@implementation TMKeychain\n- (OSStatus)storeToken:(NSData *)token {\n  NSDictionary *query = @{(__bridge id)kSecClass: (__bridge id)kSecClassGenericPassword, (__bridge id)kSecAttrAccessible: (__bridge id)kSecAttrAccessibleWhenUnlocked, (__bridge id)kSecValueData: token};\n  return SecItemAdd((__bridge CFDictionaryRef)query, NULL);\n}\n@end`,
        ],
      },
    },
    triggers: KEYCHAIN_TRIGGERS,
  },
  create(context) {
    if (!runsOnMacOS(context.project, context.text)) return {};
    return {
      call(node) {
        if (!secItemOperation(node)) return;
        const queries = keychainQueriesOf(node);
        const keys = DATA_PROTECTION_KEYS.filter((k) => queries.some((q) => hasKey(q, k)));
        if (keys.length === 0 || !queries[0]?.complete || queries.some(usesDataProtection)) return;
        report(context, node, queries[0], keys);
      },
    };
  },
});

function usesDataProtection(query: KeychainQuery): boolean {
  return USES_DATA_PROTECTION.some((k) => TRUE_VALUES.has(entryValue(query, k) ?? '')) || TRUE_VALUES.has(entryValue(query, 'kSecAttrSynchronizable') ?? '');
}

function report(context: RuleContext, call: CallExpr, query: KeychainQuery, keys: string[]): void {
  const literal = query.literal;
  const entry = context.language === 'swift' ? 'kSecUseDataProtectionKeychain as String: true, ' : '(__bridge id)kSecUseDataProtectionKeychain: @YES, ';
  const open = literal ? context.text.indexOf(context.language === 'swift' ? '[' : '{', literal.startIndex) + 1 : -1;
  context.report({
    at: call,
    messageId: 'legacyKeychain',
    data: { keys: keys.join(' and ') },
    suggest: literal && open > 0 ? [{ description: 'Add kSecUseDataProtectionKeychain: true to the query', edits: [context.insertAt(open, entry)] }] : undefined,
  });
}
