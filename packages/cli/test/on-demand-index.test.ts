/**
 * The project index is built on demand: only the files the linted files can ask about are lexed
 * (session's project-context.ts `selectForIndex`). It must change nothing: with every rule enabled,
 * every fixture, a generated app and single files of them give the same findings and notices as
 * lexing every file. The outline that chooses the files must find every name the lexer indexes.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { keysOf, languageOf, lexFile, outlineFile } from '@bglint/core';
import type { RuleSetting } from '@bglint/core';
import { allRules } from '@bglint/rules';
import { runLint } from '@bglint/session';
import type { RunOptions } from '@bglint/session';
import { generatedApp, removeDir, repoRoot } from './generated-corpus';
import { scratchProject } from './scratch-project';

const everyRule: Record<string, RuleSetting> = Object.fromEntries(allRules.map((r) => [r.meta.id, { severity: 'warning', options: {} }]));
/** Rules whose linted code never needs the whole index (`WHOLE_INDEX_WORDS`: keychain calls) nor every caller of a method that ends tasks (task begins). */
const boundedRules: Record<string, RuleSetting> = Object.fromEntries(allRules.map((r) => [r.meta.id, { severity: ['bgtask-handler-main-actor', 'continued-processing-gpu-unchecked', 'discretionary-background-upload'].includes(r.meta.id) ? 'warning' : 'off', options: {} }]));
const FIXTURES = ['BackgroundTasksApp', 'LegacyObjCApp', 'CleanApp', 'TrailmixApp', 'project-model'];

function resultsByFile(options: RunOptions) {
  const report = runLint(options);
  return {
    results: Object.fromEntries(report.results.map((r) => [r.file, { findings: r.findings, notices: r.notices }])),
    notices: report.notices,
  };
}

function options(dir: string, fullIndex: boolean, extra: Partial<RunOptions> = {}): RunOptions {
  return { cwd: dir, paths: ['.'], noConfig: true, cliRules: everyRule, reportUnusedDirectives: false, fullIndex, jobs: 1, ...extra };
}

function expectSame(dir: string, extra: Partial<RunOptions> = {}) {
  const onDemand = resultsByFile(options(dir, false, extra));
  expect(onDemand).toEqual(resultsByFile(options(dir, true, extra)));
  return onDemand;
}

function sourcesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => languageOf(f) !== undefined)
    .map((f) => path.join(dir, f))
    .sort();
}

const findingsOf = (r: ReturnType<typeof resultsByFile>) => Object.values(r.results).flatMap((x) => x.findings);

describe('the on-demand index', () => {
  const generated = generatedApp(120, 5);
  afterAll(() => removeDir(generated));

  test.each(FIXTURES)('changes no finding in fixtures/%s', (name) => {
    expectSame(path.join(repoRoot, 'fixtures', name));
  });

  test('changes no finding in a generated app, in this thread and in workers', () => {
    const inProcess = expectSame(generated);
    expect(findingsOf(inProcess).length).toBeGreaterThan(10);
    expectSame(generated, { jobs: 2, scanInProcessBelow: 0, lintInProcessBelow: 0 });
  });

  test('changes no finding with every file parsed', () => {
    expectSame(path.join(repoRoot, 'fixtures/BackgroundTasksApp'), { noPrefilter: true });
  });

  test.each(FIXTURES)('changes no finding for each file of fixtures/%s linted on its own', (name) => {
    const dir = path.join(repoRoot, 'fixtures', name);
    for (const file of sourcesUnder(dir)) expectSame(dir, { paths: [path.relative(dir, file)] });
  });

  test('changes no finding for single files of a generated app', () => {
    for (const file of sourcesUnder(generated).filter((_, i) => i % 15 === 0)) expectSame(generated, { paths: [path.relative(generated, file)] });
  });

  test('changes no finding for text on stdin', () => {
    const dir = path.join(repoRoot, 'fixtures/BackgroundTasksApp');
    for (const file of sourcesUnder(dir)) {
      const stdin = { text: fs.readFileSync(file, 'utf8'), filename: path.relative(dir, file) };
      expectSame(dir, { paths: [], stdin });
    }
  });

  test('follows supertypes declared in files the linted file does not name', () => {
    // Uploader names BaseUploader only; the task is ended in RootUploader, BaseUploader's supertype in a third file.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bglint-index-chain-'));
    try {
      fs.writeFileSync(path.join(dir, 'Uploader.swift'), [
        'import UIKit', '', 'final class Uploader: BaseUploader {', '    func start() {',
        '        task = UIApplication.shared.beginBackgroundTask(withName: "upload") { self.done() }', '        upload()', '    }', '}', '',
      ].join('\n'));
      fs.writeFileSync(path.join(dir, 'BaseUploader.swift'), ['import UIKit', '', 'class BaseUploader: RootUploader {', '    func upload() {}', '}', ''].join('\n'));
      fs.writeFileSync(path.join(dir, 'RootUploader.swift'), [
        'import UIKit', '', 'class RootUploader {', '    var task = UIBackgroundTaskIdentifier.invalid', '',
        '    func done() {', '        UIApplication.shared.endBackgroundTask(task)', '        task = .invalid', '    }', '}', '',
      ].join('\n'));
      const full = resultsByFile(options(dir, true));
      const unbalanced = (r: ReturnType<typeof resultsByFile>) => findingsOf(r).filter((f) => f.ruleId === 'background-task-unbalanced');
      expect(unbalanced(full)).toEqual([]);
      // Without RootUploader's facts the rule says the task is never ended: the case needs the supertype's file.
      const rootless = fs.mkdtempSync(path.join(os.tmpdir(), 'bglint-index-chain-'));
      fs.cpSync(dir, rootless, { recursive: true });
      fs.rmSync(path.join(rootless, 'RootUploader.swift'));
      const withoutRoot = resultsByFile(options(rootless, true));
      removeDir(rootless);
      expect(unbalanced(withoutRoot).length).toBeGreaterThan(0);
      expectSame(dir);
      expectSame(dir, { paths: ['Uploader.swift'] });
    } finally {
      removeDir(dir);
    }
  });

  test('a linted task begin lexes the files that call a method ending tasks, not every file', () => {
    // GeofenceMonitor's handler ends the task through endTracking(); whether anything else calls it decides the
    // finding, and the caller (AppFlow) declares nothing the begin's file names. Settings.swift calls nothing of it.
    const begins = [
      'import UIKit', '', 'final class GeofenceMonitor {', '    var backgroundTask: UIBackgroundTaskIdentifier = .invalid', '',
      '    func didEnter() {', '        backgroundTask = UIApplication.shared.beginBackgroundTask { [weak self] in', '            self?.endTracking()', '        }',
      '        post()', '    }', '', '    func post() {}', '', '    func endTracking() {', '        UIApplication.shared.endBackgroundTask(backgroundTask)',
      '        backgroundTask = .invalid', '    }', '}', '',
    ].join('\n');
    const caller = ['final class AppFlow {', '    let monitor: GeofenceMonitor? = nil', '    func posted() { monitor?.endTracking() }', '}', ''].join('\n');
    const unrelated = ['final class Settings {', '    var name = "geofence"', '    func reset() { name = "" }', '}', ''].join('\n');
    const root = scratchProject({ 'GeofenceMonitor.swift': begins, 'AppFlow.swift': caller, 'Settings.swift': unrelated });
    const one = { paths: ['GeofenceMonitor.swift'] };
    expect(findingsOf(expectSame(root, one))).toEqual([]);
    const cache = { location: path.join(root, 'cache.json'), version: 'test' };
    runLint(options(root, false, { ...one, cache }));
    const lexed = Object.entries(JSON.parse(fs.readFileSync(cache.location, 'utf8')).entries as Record<string, { scan: { facts?: unknown } }>)
      .filter(([, e]) => e.scan.facts).map(([file]) => path.basename(file)).sort();
    expect(lexed).toEqual(['AppFlow.swift', 'GeofenceMonitor.swift']);
    // Without the caller, the task is ended only by its expiration handler: the caller's file is what makes it clean.
    fs.rmSync(path.join(root, 'AppFlow.swift'));
    expect(findingsOf(expectSame(root, one)).map((f) => f.ruleId)).toEqual(['background-task-unbalanced']);
  });

  test('a linted keychain call is linted against every file, the other files against theirs, in this thread and in workers', () => {
    // The item is read from a background fetch in a file that neither the keychain file nor any other linted file
    // names: only the whole index links them. The other linted files are linted while the rest is lexed.
    const app = generatedApp(120, 5);
    try {
      fs.writeFileSync(path.join(app, 'TokenStore.swift'), [
        'import Foundation', '', 'final class TokenStore {', '    static let shared = TokenStore()', '    func save(_ token: Data) {',
        '        let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecValueData as String: token]',
        '        SecItemAdd(query as CFDictionary, nil)', '    }', '    func token() -> Data? {',
        '        let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecReturnData as String: true]',
        '        var result: AnyObject?', '        SecItemCopyMatching(query as CFDictionary, &result)', '        return result as? Data', '    }', '}', '',
      ].join('\n'));
      fs.writeFileSync(path.join(app, 'FetchDelegate.swift'), [
        'import UIKit', '', 'final class FetchDelegate: UIResponder, UIApplicationDelegate {',
        '    func application(_ application: UIApplication, performFetchWithCompletionHandler completionHandler: @escaping (UIBackgroundFetchResult) -> Void) {',
        '        completionHandler(TokenStore.shared.token() == nil ? .failed : .newData)', '    }', '}', '',
      ].join('\n'));
      const cliRules = { ...boundedRules, 'keychain-background-accessibility': { severity: 'warning', options: {} } as RuleSetting };
      for (const extra of [{}, { jobs: 2, scanInProcessBelow: 0, lintInProcessBelow: 0 }]) {
        const found = findingsOf(expectSame(app, { cliRules, ...extra }));
        expect(found.filter((f) => f.ruleId === 'keychain-background-accessibility').map((f) => [path.basename(f.file), f.range.start.line])).toEqual([['TokenStore.swift', 7]]);
        expect(found.length).toBeGreaterThan(1);
      }
    } finally {
      removeDir(app);
    }
  });

  test('a linted keychain call asks for every file only with a rule enabled that reads the reach map', () => {
    // macos-keychain-data-protection triggers on the same calls but judges the query alone: with it and not
    // keychain-background-accessibility, the keychain file is linted against the index it names.
    const app = generatedApp(120, 5);
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bglint-index-cache-'));
    try {
      fs.writeFileSync(path.join(app, 'TokenStore.swift'), [
        'import Foundation', '', 'final class TokenStore {', '    func save(_ token: Data) {',
        '        let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "api", kSecValueData as String: token]',
        '        SecItemAdd(query as CFDictionary, nil)', '    }', '}', '',
      ].join('\n'));
      const on = (...ids: string[]) => ({ ...boundedRules, ...Object.fromEntries(ids.map((id) => [id, { severity: 'warning', options: {} } as RuleSetting])) });
      const lexedWith = (cliRules: Record<string, RuleSetting>) => {
        const cache = { location: path.join(cacheDir, `${Object.keys(cliRules).filter((id) => cliRules[id]!.severity !== 'off').length}.json`), version: 'test' };
        const report = runLint(options(app, false, { cache, cliRules }));
        expect(report.results.find((r) => r.file.endsWith('TokenStore.swift'))?.skipped).toBeFalsy();
        const entries = Object.values(JSON.parse(fs.readFileSync(cache.location, 'utf8')).entries) as { scan: { facts?: { withoutReach?: true } } }[];
        return { all: entries.length, lexed: entries.filter((e) => e.scan.facts).length, withReach: entries.filter((e) => e.scan.facts && !e.scan.facts.withoutReach).length };
      };
      const bounded = lexedWith(on('macos-keychain-data-protection'));
      expect(bounded.lexed).toBeLessThan(bounded.all);
      expect(bounded.withReach).toBe(0);
      const whole = lexedWith(on('macos-keychain-data-protection', 'keychain-background-accessibility'));
      expect(whole).toEqual({ all: whole.all, lexed: whole.all, withReach: whole.all });
      expectSame(app, { cliRules: on('macos-keychain-data-protection') });
    } finally {
      removeDir(app);
      removeDir(cacheDir);
    }
  });

  test('the outline finds every name the lexer indexes a file under', () => {
    const files = [...FIXTURES.flatMap((name) => sourcesUnder(path.join(repoRoot, 'fixtures', name))), ...sourcesUnder(generated)];
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      const language = languageOf(file)!;
      const declared = new Set(outlineFile(text, language).declares);
      expect({ file, missing: keysOf(lexFile(file, text, language)).filter((k) => !declared.has(k)) }).toEqual({ file, missing: [] });
    }
  });

  test('lexes fewer files than there are', () => {
    // Counted through the facts the cache keeps: a file's facts are there only if it was lexed.
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bglint-index-cache-'));
    try {
      const cache = { location: path.join(cacheDir, 'cache.json'), version: 'test' };
      // With every rule on, 86 of the 120 generated files hold some trigger (background-session-unsupported-task
      // triggers on every `data(from:` / `dataTaskWith…`), and the files they name reach the rest: all are lexed.
      // A linted keychain call asks for the whole index (`WHOLE_INDEX_WORDS`), a task begin for the callers of every method that ends tasks. With rules that
      // never do, the linted files are a minority, as in real apps, and the index must stay smaller.
      runLint(options(generated, false, { cache, cliRules: boundedRules }));
      const entries = Object.values(JSON.parse(fs.readFileSync(cache.location, 'utf8')).entries) as { scan: { facts?: unknown } }[];
      const lexed = entries.filter((e) => e.scan.facts).length;
      expect(lexed).toBeGreaterThan(0);
      expect(lexed).toBeLessThan(entries.length);
    } finally {
      removeDir(cacheDir);
    }
  });
});

/**
 * Triggers that count only when the project holds a fact (`RuleMeta.triggersWhen`: a task call needs a
 * background session built somewhere, a connection delegate a Mach-service listener) must change no
 * finding either: every run compared with `allTriggers` (every trigger counts), every rule enabled.
 */
describe('index-aware triggers', () => {
  const generated = generatedApp(120, 5);
  // The same app with no background session anywhere (and no Mach-service listener: the generator makes none).
  const sessionless = generatedApp(120, 5);
  for (const file of sourcesUnder(sessionless)) {
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.replace(/background\(withIdentifier/g, 'custom(withIdentifier').replace(/backgroundSessionConfiguration/g, 'customSessionConfiguration'));
  }
  afterAll(() => {
    removeDir(generated);
    removeDir(sessionless);
  });

  /**
   * Findings and notices equal with and without index-aware triggers (but for what a parse says of a
   * file the index-aware run skips: it never parses it); the results of both runs.
   */
  function expectSameAsAllTriggers(dir: string, extra: Partial<RunOptions> = {}) {
    const aware = runLint(options(dir, false, extra));
    const all = runLint(options(dir, false, { ...extra, allTriggers: true }));
    const skipped = new Set(aware.results.filter((r) => r.skipped).map((r) => r.file));
    const PARSE_NOTICES = ['parse-error', 'too-deep', 'timeout'];
    const compared = (report: typeof aware) => ({
      results: Object.fromEntries(report.results.map((r) => [r.file, {
        findings: r.findings, notices: skipped.has(r.file) ? r.notices.filter((n) => !PARSE_NOTICES.includes(n.kind)) : r.notices,
      }])),
      notices: report.notices,
    });
    expect(compared(aware)).toEqual(compared(all));
    return { aware, all };
  }
  const parsed = (report: ReturnType<typeof runLint>) => report.results.filter((r) => !r.skipped).length;

  test.each(FIXTURES)('change no finding in fixtures/%s', (name) => {
    expectSameAsAllTriggers(path.join(repoRoot, 'fixtures', name));
  });

  test.each(FIXTURES)('change no finding for each file of fixtures/%s linted on its own', (name) => {
    const dir = path.join(repoRoot, 'fixtures', name);
    for (const file of sourcesUnder(dir)) expectSameAsAllTriggers(dir, { paths: [path.relative(dir, file)] });
  });

  test('change no finding in a generated app with background sessions, in this thread and in workers', () => {
    const { aware, all } = expectSameAsAllTriggers(generated);
    // The app builds background sessions (lazy properties): task calls count, the same files are parsed
    // (the same app without them parses fewer, below).
    expect(parsed(aware)).toBe(parsed(all));
    expectSameAsAllTriggers(generated, { jobs: 2, scanInProcessBelow: 0, lintInProcessBelow: 0 });
  });

  test('skip files whose only triggers are task calls in an app without a background session, in this thread and in workers', () => {
    const { aware, all } = expectSameAsAllTriggers(sessionless);
    expect(parsed(aware)).toBeLessThan(parsed(all));
    expectSameAsAllTriggers(sessionless, { jobs: 2, scanInProcessBelow: 0, lintInProcessBelow: 0 });
    // Every file parsed finds the same too.
    expect(findingsOf(resultsByFile(options(sessionless, false, { noPrefilter: true })))).toEqual(findingsOf(resultsByFile(options(sessionless, false))));
  });

  test('count a task call when a session built in another file is in the project, for the folder, a file on its own and stdin', () => {
    const transfers = [
      'import Foundation', '', 'final class Transfers: NSObject {', '    lazy var session: URLSession = {',
      '        let config = URLSessionConfiguration.background(withIdentifier: "com.example.transfers")',
      '        return URLSession(configuration: config, delegate: self, delegateQueue: nil)', '    }()', '}', '',
    ].join('\n');
    const sync = [
      'import Foundation', '', 'final class SyncController {', '    private let transfers: Transfers', '    init(transfers: Transfers) { self.transfers = transfers }',
      '    func upload(_ data: Data, _ request: URLRequest) {', '        transfers.session.uploadTask(with: request, from: data).resume()', '    }', '}', '',
    ].join('\n');
    const withSession = scratchProject({ 'Package.swift': '// swift-tools-version:5.9\n', 'Transfers.swift': transfers, 'SyncController.swift': sync });
    const sessionRule = (report: ReturnType<typeof runLint>) => report.results.flatMap((r) => r.findings).filter((f) => f.ruleId === 'background-session-unsupported-task');
    for (const extra of [{}, { paths: ['SyncController.swift'] }, { paths: [], stdin: { text: sync, filename: 'SyncController.swift' } }]) {
      const { aware } = expectSameAsAllTriggers(withSession, extra);
      expect(sessionRule(aware).map((f) => [f.file, f.range.start.line])).toEqual([['SyncController.swift', 7]]);
    }
    // The session's file gone: nothing can be found, and the task call alone lets the file through no more.
    const without = scratchProject({ 'Package.swift': '// swift-tools-version:5.9\n', 'SyncController.swift': sync });
    for (const extra of [{}, { paths: ['SyncController.swift'] }, { paths: [], stdin: { text: sync, filename: 'SyncController.swift' } }]) {
      const { aware, all } = expectSameAsAllTriggers(without, extra);
      expect(aware.results.find((r) => r.file === 'SyncController.swift')?.skipped).toBe(true);
      expect(all.results.find((r) => r.file === 'SyncController.swift')?.skipped).toBe(false);
    }
  });
});
