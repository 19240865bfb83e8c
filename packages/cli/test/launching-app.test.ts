/**
 * An SDK's code runs in the background when an app that starts it at launch is launched in the
 * background: the keychain rule reads the background modes of the app declaring the launch code
 * (a sample app beside the SDK), not those of the SDK's own target, which has none.
 */
import * as path from 'node:path';
import { run } from '@bglint/cli';
import { scratchProject } from './scratch-project';

const TOKEN_STORE = `import Security

public final class TokenStore {
  public static let shared = TokenStore()
  public func save(_ token: Data) {
    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecValueData as String: token]
    SecItemAdd(query as CFDictionary, nil)
  }
  public func token() -> Data? {
    let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecReturnData as String: true]
    var result: AnyObject?
    SecItemCopyMatching(query as CFDictionary, &result)
    return result as? Data
  }
}
`;

const SDK_START = `public final class TokenSDK {
  public static func start() {
    if TokenStore.shared.token() == nil { print("no user") }
  }
}
`;

const APP_DELEGATE = `import UIKit
import TokenKit

@main
final class AppDelegate: UIResponder, UIApplicationDelegate {
  func application(_ application: UIApplication, didFinishLaunchingWithOptions launchOptions: [UIApplication.LaunchOptionsKey: Any]?) -> Bool {
    TokenSDK.start()
    return true
  }
}
`;

function plist(modes: string[]): string {
  const array = modes.length ? `<key>UIBackgroundModes</key><array>${modes.map((m) => `<string>${m}</string>`).join('')}</array>` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict><key>CFBundleIdentifier</key><string>com.example.sample</string>${array}</dict></plist>\n`;
}

function keychainFindings(modes: string[], jobs = '1'): { file: string; line: number; message: string }[] {
  const dir = scratchProject({
    'TokenKit/TokenStore.swift': TOKEN_STORE,
    'TokenKit/TokenSDK.swift': SDK_START,
    'SampleApp/Info.plist': plist(modes),
    'SampleApp/AppDelegate.swift': APP_DELEGATE,
  });
  let out = '';
  run(['--no-config', '--rule', 'keychain-background-accessibility: warn', '--format', 'json', '-j', jobs, '.'], {
    cwd: dir, stdout: (t) => void (out += t), stderr: () => undefined, readStdin: () => '', isTTY: false, env: {},
  });
  const files = JSON.parse(out) as { filePath: string; messages: { ruleId: string; line: number; message: string }[] }[];
  return files.flatMap((f) => f.messages.filter((m) => m.ruleId === 'keychain-background-accessibility').map((m) => ({ file: path.relative(dir, f.filePath), line: m.line, message: m.message })));
}

describe('an SDK started from a sample app', () => {
  it('reports the SDK\'s locked item when the sample app is launched in the background (remote-notification)', () => {
    const found = keychainFindings(['remote-notification']);
    expect(found).toEqual([expect.objectContaining({ file: 'TokenKit/TokenStore.swift', line: 7 })]);
    expect(found[0]!.message).toMatch(/AppDelegate\.application → TokenSDK\.start.*UIBackgroundModes: remote-notification/);
  });

  it('finds the same with worker threads (the modes travel with each file to lint)', () => {
    expect(keychainFindings(['remote-notification'], '2')).toEqual(keychainFindings(['remote-notification'], '1'));
  });

  it('stays silent when the app has no mode that launches it in the background (audio keeps it alive, never relaunches it)', () => {
    expect(keychainFindings(['audio'])).toEqual([]);
    expect(keychainFindings([])).toEqual([]);
  });
});
