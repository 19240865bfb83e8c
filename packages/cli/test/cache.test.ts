/**
 * `--cache`: an unchanged project is answered from the cache, and each thing a result depends on
 * (the file's content, the config, the bglint version, a fact from another file) invalidates it.
 * A result served from the cache is recognized by a marker planted in the cache file.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runLint } from '@bglint/session';
import type { RunOptions } from '@bglint/session';

const UPLOADER = `import UIKit

final class Uploader {
    var uploadTask: UIBackgroundTaskIdentifier = .invalid

    func start() {
        uploadTask = UIApplication.shared.beginBackgroundTask(withName: "upload") {
            self.finish()
        }
        send { self.finish() }
    }
}
`;

// Another file ends the task (from the work and the expiration handler): the project index (a cross-file fact) is what makes Uploader.swift clean.
const FINISH = `import UIKit

extension Uploader {
    func finish() {
        UIApplication.shared.endBackgroundTask(uploadTask)
        uploadTask = .invalid
    }
}
`;

const MARKER = 'served from the cache';

let dir: string;
let cacheFile: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bglint-cache-'));
  cacheFile = path.join(dir, 'node_modules/.cache/bglint/cache.json');
  fs.writeFileSync(path.join(dir, 'Uploader.swift'), UPLOADER);
  fs.writeFileSync(path.join(dir, 'Uploader+Finish.swift'), FINISH);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function lint(extra: Partial<RunOptions> = {}, version = '1.0.0') {
  const report = runLint({ cwd: dir, paths: ['.'], noConfig: false, cliRules: {}, reportUnusedDirectives: false, cache: { version }, ...extra });
  return report.results.flatMap((r) => r.findings.map((f) => `${r.file}:${f.range.start.line} ${f.ruleId} ${f.message === MARKER ? MARKER : ''}`.trim()));
}

/** Plants a fake finding in every cached result, so a run that reuses the cache shows it. */
function plantMarker(): void {
  const data = JSON.parse(fs.readFileSync(cacheFile, 'utf8'));
  for (const entry of Object.values<any>(data.entries)) {
    if (entry.result?.outcome.result) {
      entry.result.outcome.result.findings.push({ ruleId: 'marker', severity: 'error', message: MARKER, file: entry.result.outcome.result.file, range: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } }, related: [], suggestions: [], fingerprint: '' });
    }
  }
  fs.writeFileSync(cacheFile, JSON.stringify(data));
}

const write = (name: string, text: string) => fs.writeFileSync(path.join(dir, name), text);
const servedFromCache = (findings: string[]) => findings.some((f) => f.includes(MARKER));

test('a second run with nothing changed is answered from the cache, written atomically', () => {
  expect(lint()).toEqual([]);
  expect(fs.existsSync(cacheFile)).toBe(true);
  expect(fs.readdirSync(path.dirname(cacheFile))).toEqual(['cache.json']); // no temp file left behind
  plantMarker();
  expect(servedFromCache(lint())).toBe(true);
});

test('a project with file and type names outside ASCII is cached in ASCII and answered from the cache', () => {
  // One such character made the whole cache a two-byte string when read (slower to decode and parse).
  write('Réglages.swift', UPLOADER.replace(/Uploader/g, 'RéglagesUploader'));
  write('Écran.swift', 'import UIKit\n\nfinal class Écran: UIViewController {\n    let uploader = RéglagesUploader()\n}\n');
  const first = lint();
  expect(first.some((f) => f.startsWith('Réglages.swift'))).toBe(true);
  const text = fs.readFileSync(cacheFile, 'latin1');
  expect(/[^\x00-\x7f]/.test(text)).toBe(false);
  expect(text).toContain('R\\u00e9glages');
  // Read back whole: a run that finds every entry as it was leaves the file unwritten.
  const earlier = new Date(Date.now() - 60_000);
  fs.utimesSync(cacheFile, earlier, earlier);
  const mtime = fs.statSync(cacheFile).mtimeMs;
  expect(lint()).toEqual(first);
  expect(fs.statSync(cacheFile).mtimeMs).toBe(mtime);
  // A cache written by an earlier bglint, in UTF-8, is read too.
  plantMarker();
  expect(servedFromCache(lint())).toBe(true);
});

test('a run that changes nothing leaves the cache file as it was (not rewritten)', () => {
  write('Info.plist', '<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0">\n<dict>\n    <key>UIBackgroundModes</key>\n    <array><string>fetch</string></array>\n</dict>\n</plist>\n');
  lint();
  lint();
  const text = fs.readFileSync(cacheFile, 'utf8');
  const earlier = new Date(Date.now() - 60_000);
  fs.utimesSync(cacheFile, earlier, earlier);
  const mtime = fs.statSync(cacheFile).mtimeMs;
  lint();
  expect(fs.statSync(cacheFile).mtimeMs).toBe(mtime);
  expect(fs.readFileSync(cacheFile, 'utf8')).toBe(text);
});

test('touching a file without changing it keeps the cached result', () => {
  lint();
  plantMarker();
  const later = new Date(Date.now() + 5000);
  fs.utimesSync(path.join(dir, 'Uploader.swift'), later, later);
  expect(servedFromCache(lint())).toBe(true);
});

test('a change to the file content invalidates its result', () => {
  lint();
  plantMarker();
  write('Uploader.swift', UPLOADER.replace('self.finish()', 'self.finish() // finish early'));
  expect(lint()).toEqual([]);
});

test('a change to the config invalidates the results', () => {
  lint();
  plantMarker();
  write('.bglint.yml', 'rules:\n  discretionary-background-upload: warn\n');
  expect(servedFromCache(lint())).toBe(false);
});

test('a change to the rules given on the command line invalidates the results', () => {
  lint();
  plantMarker();
  expect(servedFromCache(lint({ cliRules: { 'background-task-deferred-end': { severity: 'warning', options: {} } } }))).toBe(false);
});

test('another bglint version ignores the cache', () => {
  lint({}, '1.0.0');
  plantMarker();
  expect(servedFromCache(lint({}, '1.0.1'))).toBe(false);
});

/** Removing the end from the other file makes Uploader.swift's task unbalanced, putting it back makes it clean, in `run`'s findings. */
function expectOtherFileFactsCount(run: () => string[]): void {
  write('Uploader+Finish.swift', FINISH.replace('UIApplication.shared.endBackgroundTask(uploadTask)', 'print("done")'));
  expect(run()).toEqual(['Uploader.swift:7 background-task-unbalanced']);
  write('Uploader+Finish.swift', FINISH);
  expect(run()).toEqual([]);
}

test('a changed fact in another file re-lints a file that did not change', () => {
  expect(lint()).toEqual([]);
  expectOtherFileFactsCount(() => lint());
});

test('facts kept without what the reach map reads are lexed again when a run asks the map', () => {
  // The background fetch reads TokenStore's item; the first run has no keychain call, so nothing asks the reach map.
  write('FetchDelegate.swift', `import UIKit

final class FetchDelegate: UIResponder, UIApplicationDelegate {
    func application(_ application: UIApplication, performFetchWithCompletionHandler completionHandler: @escaping (UIBackgroundFetchResult) -> Void) {
        var task = UIBackgroundTaskIdentifier.invalid
        task = application.beginBackgroundTask { application.endBackgroundTask(task) }
        completionHandler(TokenStore.shared.token() == nil ? .failed : .newData)
        application.endBackgroundTask(task)
    }
}
`);
  write('TokenStore.swift', 'import Foundation\n\nfinal class TokenStore {\n    static let shared = TokenStore()\n    func token() -> Data? { nil }\n}\n');
  expect(lint()).toEqual([]);
  const kept = JSON.parse(fs.readFileSync(cacheFile, 'utf8')).entries[path.join(dir, 'FetchDelegate.swift')].scan.facts;
  expect(kept.withoutReach).toBe(true);
  write('TokenStore.swift', `import Foundation

final class TokenStore {
    static let shared = TokenStore()
    func save(_ token: Data) {
        let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecValueData as String: token]
        SecItemAdd(query as CFDictionary, nil)
    }
    func token() -> Data? {
        let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecReturnData as String: true]
        var result: AnyObject?
        SecItemCopyMatching(query as CFDictionary, &result)
        return result as? Data
    }
}
`);
  expect(lint()).toEqual(['TokenStore.swift:7 keychain-background-accessibility']);
  expect(lint({ fullIndex: true })).toEqual(['TokenStore.swift:7 keychain-background-accessibility']);
});

test('a project with a keychain call: a second run with nothing changed is answered from the cache', () => {
  // The keychain file asks the whole index, Uploader.swift (a task begin) the files naming its ending method;
  // Settings.swift is in neither selection.
  write('TokenStore.swift', `import Foundation

final class TokenStore {
    func save(_ token: Data) {
        let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecValueData as String: token]
        SecItemAdd(query as CFDictionary, nil)
    }
}
`);
  write('Settings.swift', 'final class Settings {\n    var name = "upload"\n}\n');
  lint();
  const linted = Object.entries(JSON.parse(fs.readFileSync(cacheFile, 'utf8')).entries as Record<string, { result?: unknown }>)
    .filter(([, e]) => e.result).map(([file]) => path.basename(file)).sort();
  expect(linted).toEqual(['TokenStore.swift', 'Uploader.swift']);
  plantMarker();
  expect(lint().filter((f) => f.includes(MARKER)).map((f) => f.split(':')[0]).sort()).toEqual(linted);
});

describe('one staged file (the pre-commit case)', () => {
  const lintOne = () => lint({ paths: ['Uploader.swift'] });
  const entries = () => Object.keys(JSON.parse(fs.readFileSync(cacheFile, 'utf8')).entries).map((f) => path.basename(f)).sort();

  test('keeps the facts of the other files of its project, and a change to one of them still counts', () => {
    expect(lintOne()).toEqual([]);
    expect(entries()).toEqual(['Uploader+Finish.swift', 'Uploader.swift']);
    expect(lintOne()).toEqual([]);
    expectOtherFileFactsCount(lintOne);
  });

  test('keeps the cached results of the files it did not lint', () => {
    write('Refresher.swift', UPLOADER.replace(/Uploader/g, 'Refresher'));
    write('Refresher+Finish.swift', FINISH.replace(/Uploader/g, 'Refresher'));
    lint();
    plantMarker();
    lintOne();
    expect(lint().filter((f) => f.includes(MARKER))).toEqual([`Refresher.swift:1 marker ${MARKER}`]);
  });
});

test('--cache-location names the cache file, or a folder to keep it in', () => {
  lint({ cache: { version: '1', location: 'custom.json' } });
  expect(fs.existsSync(path.join(dir, 'custom.json'))).toBe(true);
  lint({ cache: { version: '1', location: 'caches/' } });
  expect(fs.existsSync(path.join(dir, 'caches/cache.json'))).toBe(true);
});

describe('the project facts', () => {
  const PACKAGE = `// swift-tools-version:5.9
import PackageDescription

let package = Package(name: "App", targets: [.target(name: "App")])
`;
  const REFRESH = `import BackgroundTasks

@MainActor
final class RefreshScheduler {
    func register() {
        BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.refresh", using: nil) { task in
            self.handle(task)
        }
    }
}
`;
  const severities = () => runLint({ cwd: dir, paths: ['.'], noConfig: false, cliRules: {}, reportUnusedDirectives: false, cache: { version: '1' } })
    .results.flatMap((r) => r.findings.map((f) => `${f.ruleId} ${f.severity}`));

  beforeEach(() => {
    fs.rmSync(path.join(dir, 'Uploader.swift'));
    fs.rmSync(path.join(dir, 'Uploader+Finish.swift'));
    fs.mkdirSync(path.join(dir, 'Sources/App'), { recursive: true });
    write('Package.swift', PACKAGE);
    write('Sources/App/Refresh.swift', REFRESH);
  });

  test('are reused while the project files are unchanged', () => {
    expect(severities()).toEqual(['bgtask-handler-main-actor warning']);
    // Plant Swift 6 in the remembered settings: a run that reuses them reports an error.
    const data = JSON.parse(fs.readFileSync(cacheFile, 'utf8'));
    for (const file of Object.keys(data.project.settings)) data.project.settings[file] = { swiftLanguageMode: 6 };
    for (const entry of Object.values<any>(data.entries)) delete entry.result;
    fs.writeFileSync(cacheFile, JSON.stringify(data));
    expect(severities()).toEqual(['bgtask-handler-main-actor error']);
  });

  test('a change to a project file (the Swift language mode) re-lints the files it applies to', () => {
    expect(severities()).toEqual(['bgtask-handler-main-actor warning']);
    write('Package.swift', PACKAGE.replace('swift-tools-version:5.9', 'swift-tools-version:6.0'));
    expect(severities()).toEqual(['bgtask-handler-main-actor error']);
  });
});

describe('project facts (Info.plist, entitlements)', () => {
  const TRACKER = `import CoreLocation

final class Tracker {
    let manager = CLLocationManager()

    func start() {
        manager.allowsBackgroundLocationUpdates = true
        manager.startUpdatingLocation()
    }
}
`;
  const plist = (modes: string[]) => `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
    <key>CFBundleIdentifier</key>
    <string>com.example.tracker</string>
    <key>UIBackgroundModes</key>
    <array>${modes.map((m) => `<string>${m}</string>`).join('')}</array>
</dict>
</plist>
`;

  beforeEach(() => {
    write('Tracker.swift', TRACKER);
    write('Info.plist', plist(['location']));
  });

  test('one staged file reuses the Info.plist facts the last run remembered, until a project file changes', () => {
    const staged = () => lint({ paths: ['Tracker.swift'] }).filter((f) => f.includes('location-background-mode-missing'));
    expect(staged()).toEqual([]);
    // Plant: the remembered Info.plist lost its location mode, and no result is cached. A run that reuses the remembered facts reports.
    const data = JSON.parse(fs.readFileSync(cacheFile, 'utf8'));
    expect(data.project.facts.targets.length).toBeGreaterThan(0);
    for (const facts of data.project.facts.targets) facts.infoPlist.value.UIBackgroundModes = ['fetch'];
    for (const entry of Object.values<any>(data.entries)) delete entry.result;
    fs.writeFileSync(cacheFile, JSON.stringify(data));
    expect(staged()).toEqual(['Tracker.swift:7 location-background-mode-missing']);
    // Any change to a project file it was read from: the project files are read again.
    write('Info.plist', `${plist(['location'])}\n`);
    expect(staged()).toEqual([]);
  });

  test('a folder run reuses the Info.plist results while the project files, the index and the rules are as they were', () => {
    const plistFindings = () => lint().filter((f) => f.startsWith('Info.plist'));
    expect(plistFindings()).toEqual([]);
    const plant = () => {
      const data = JSON.parse(fs.readFileSync(cacheFile, 'utf8'));
      const result = data.project.projectFiles.results.find((r: any) => r.file === 'Info.plist');
      result.findings.push({ ruleId: 'marker', severity: 'error', message: MARKER, file: 'Info.plist', range: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } }, related: [], suggestions: [], fingerprint: '' });
      fs.writeFileSync(cacheFile, JSON.stringify(data));
    };
    plant();
    expect(plistFindings()).toEqual([`Info.plist:1 marker ${MARKER}`]);
    // A source edit that changes the index (a method added): the Info.plist is checked again.
    write('Tracker.swift', TRACKER.replace('    func start() {', '    func stop() {}\n\n    func start() {'));
    expect(plistFindings()).toEqual([]);
    plant();
    // A config that changes a rule for it: the same.
    write('.bglintrc.json', JSON.stringify({ rules: { 'bgtask-plist-mismatch': 'error' } }));
    expect(plistFindings()).toEqual([]);
    plant();
    // A project file edit: the same.
    write('Info.plist', `${plist(['location'])}\n`);
    expect(plistFindings()).toEqual([]);
  });

  test('a malformed project file gets the same notice whether the project was read or remembered', () => {
    fs.mkdirSync(path.join(dir, 'Widget'));
    write('Widget/Info.plist', plist(['fetch']).replace('</array>', ''));
    const notices = () => runLint({ cwd: dir, paths: ['.'], noConfig: false, cliRules: {}, reportUnusedDirectives: false, cache: { version: '1.0.0' } }).notices;
    const read = notices();
    expect(read.map((n) => n.message)).toEqual([expect.stringMatching(/^Widget\/Info\.plist:\d+:\d+: .*; rules that need this file are skipped for its target$/)]);
    expect(notices()).toEqual(read);
    expect(notices()).toEqual(read);
  });

  test('an Info.plist edit re-lints the sources that read it, though no source changed', () => {
    expect(lint().filter((f) => f.includes('location-background-mode-missing'))).toEqual([]);
    plantMarker();
    write('Info.plist', plist(['fetch']));
    const findings = lint();
    expect(servedFromCache(findings.filter((f) => f.startsWith('Tracker.swift')))).toBe(false);
    expect(findings.filter((f) => f.includes('location-background-mode-missing'))).toEqual(['Tracker.swift:7 location-background-mode-missing']);
  });
});
