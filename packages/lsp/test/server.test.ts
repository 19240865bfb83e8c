/**
 * End to end: the built `bglint lsp --stdio`, spoken to over LSP as an editor would. Needs the
 * packages built (`pnpm test` builds them first).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient, tempProject, uriOf } from './lsp-client';

const UNBALANCED = 'func save() {\n  UIApplication.shared.beginBackgroundTask(withName: "save") {}\n  store.flush()\n}\n';
const BALANCED = 'func save() {\n  store.flush()\n}\n';
const EMOJI_LINE = '  let tag = "🚀漢字"; UIApplication.shared.beginBackgroundTask(withName: tag) {}';
const SUGGESTIONS = [
  '@main struct ExportApp: App {',
  '  init() {',
  '    BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.refresh", using: nil) { task in',
  '      Store.shared.refresh(task)',
  '    }',
  '  }',
  '  var body: some Scene { WindowGroup { ContentView() } }',
  '}',
  'func submitExport() throws {',
  '  let request = BGContinuedProcessingTaskRequest(identifier: "com.example.export", title: "Export", subtitle: "")',
  '  request.requiredResources = .gpu',
  '  try BGTaskScheduler.shared.submit(request)',
  '}',
  '',
].join('\n');

const codes = (diagnostics: Diagnostic[]) => diagnostics.map((d) => d.code);

let project: ReturnType<typeof tempProject>;
let client: LspClient | undefined;

beforeEach(() => {
  project = tempProject({ 'App/Sync.swift': UNBALANCED });
});

afterEach(() => {
  client?.kill();
  client = undefined;
  project.remove();
});

async function start(options: Partial<Parameters<typeof LspClient.start>[0]> = {}): Promise<LspClient> {
  client = await LspClient.start({ pull: false, root: project.root, ...options });
  return client;
}

describe('push client (no textDocument/diagnostic support)', () => {
  test('publishes the CLI findings with version, range, severity, code, docs link and source; exits 0 after shutdown', async () => {
    const c = await start();
    expect(c.initializeResult.capabilities.diagnosticProvider).toBeUndefined();
    const uri = c.open(project.file('App/Sync.swift'), UNBALANCED);
    const [diagnostic, ...rest] = await c.diagnosticsAt(uri, 1);
    expect(rest).toEqual([]);
    const column = UNBALANCED.split('\n')[1]!.indexOf('beginBackgroundTask');
    expect(diagnostic).toMatchObject({
      range: { start: { line: 1, character: column }, end: { line: 1, character: column + 'beginBackgroundTask'.length } },
      severity: 1,
      code: 'background-task-unbalanced',
      codeDescription: { href: expect.stringMatching(/docs\/rules\/background-task-unbalanced\.md$/) },
      source: 'bglint',
      message: expect.stringContaining('is discarded'),
    });
    expect(await c.stop()).toBe(0);
  });

  test('ranges count UTF-16 code units on a line with emoji and CJK', async () => {
    const c = await start();
    const text = `func tagged() {\n${EMOJI_LINE}\n}\n`;
    const uri = c.open(project.file('App/Sync.swift'), text);
    const [diagnostic] = await c.diagnosticsAt(uri, 1);
    const utf16 = EMOJI_LINE.indexOf('beginBackgroundTask');
    expect([...EMOJI_LINE.slice(0, utf16)].length).not.toBe(utf16); // the emoji makes code points differ
    expect(diagnostic!.range.start).toEqual({ line: 1, character: utf16 });
  });

  test('a change is linted from the unsaved text and published with its version', async () => {
    const c = await start();
    const uri = c.open(project.file('App/Sync.swift'), UNBALANCED);
    expect(codes(await c.diagnosticsAt(uri, 1))).toEqual(['background-task-unbalanced']);
    c.replaceAll(uri, 2, BALANCED);
    expect(await c.diagnosticsAt(uri, 2)).toEqual([]);
  });

  test('a version superseded before its debounce ends is never published', async () => {
    const c = await start();
    const uri = c.open(project.file('App/Sync.swift'), UNBALANCED);
    await c.diagnosticsAt(uri, 1);
    c.replaceAll(uri, 2, BALANCED);
    c.replaceAll(uri, 3, UNBALANCED);
    expect(codes(await c.diagnosticsAt(uri, 3))).toEqual(['background-task-unbalanced']);
    c.replaceAll(uri, 4, BALANCED);
    await c.diagnosticsAt(uri, 4);
    expect(c.published.all.filter((p) => p.uri === uri).map((p) => p.version)).toEqual([1, 3, 4]);
  });

  test('closing a document clears its diagnostics and drops its pending lint', async () => {
    const c = await start();
    const uri = c.open(project.file('App/Sync.swift'), UNBALANCED);
    await c.diagnosticsAt(uri, 1);
    c.replaceAll(uri, 2, `${UNBALANCED}\n${UNBALANCED.replace('save', 'load')}`);
    c.close(uri);
    // A later document's debounced lint fires after the closed one's would have.
    const other = c.open(project.file('App/Other.swift'), BALANCED);
    await c.diagnosticsAt(other, 1);
    c.replaceAll(other, 2, UNBALANCED);
    await c.diagnosticsAt(other, 2);
    const forClosed = c.published.all.filter((p) => p.uri === uri);
    expect(forClosed.map((p) => [p.version, p.diagnostics.length])).toEqual([[1, 1], [undefined, 0]]);
  });

  test('the rules setting from workspace/configuration applies from the first diagnostics on', async () => {
    const c = await start({ settings: { rules: { 'background-task-unbalanced': 'warn' } } });
    const uri = c.open(project.file('App/Sync.swift'), UNBALANCED);
    const diagnostics = await c.diagnosticsAt(uri, 1);
    expect(diagnostics.map((d) => [d.code, d.severity])).toEqual([['background-task-unbalanced', 2]]);
  });
});

describe('pull client (textDocument/diagnostic)', () => {
  test('answers pulls from the current text and pushes nothing for the document', async () => {
    const c = await start({ pull: true });
    expect(c.initializeResult.capabilities.diagnosticProvider).toMatchObject({ interFileDependencies: false });
    const uri = c.open(project.file('App/Sync.swift'), UNBALANCED);
    expect(codes(await c.pull(uri))).toEqual(['background-task-unbalanced']);
    c.replaceAll(uri, 2, BALANCED);
    expect(await c.pull(uri)).toEqual([]);
    expect(c.published.all.filter((p) => p.uri === uri)).toEqual([]);
    expect(await c.stop()).toBe(0);
  });

  test('with run: onSave, a pull shows what was linted at open or the last save', async () => {
    const c = await start({ pull: true, settings: { run: 'onSave' } });
    const uri = c.open(project.file('App/Sync.swift'), UNBALANCED);
    expect(codes(await c.pull(uri))).toEqual(['background-task-unbalanced']);
    c.replaceAll(uri, 2, BALANCED);
    expect(codes(await c.pull(uri))).toEqual(['background-task-unbalanced']);
    c.save(uri);
    await c.refreshes.next(() => true, 'workspace/diagnostic/refresh after the save');
    expect(await c.pull(uri)).toEqual([]);
  });

  test('a watched config change asks the client to pull again, and the pull follows the new config', async () => {
    const c = await start({ pull: true });
    const uri = c.open(project.file('App/Sync.swift'), UNBALANCED);
    expect((await c.pull(uri)).map((d) => d.severity)).toEqual([1]);
    await c.registrations.next((r) => r.method === 'workspace/didChangeWatchedFiles', 'watcher registration');
    fs.writeFileSync(project.file('.bglint.yml'), 'rules:\n  background-task-unbalanced: warn\n');
    c.watchedFilesChanged([{ file: project.file('.bglint.yml'), type: 1 }]);
    await c.refreshes.next(() => true, 'workspace/diagnostic/refresh');
    expect((await c.pull(uri)).map((d) => d.severity)).toEqual([2]);
  });
});

describe('code actions', () => {
  async function openWithSuggestions(c: LspClient) {
    const uri = c.open(project.file('App/Export.swift'), SUGGESTIONS);
    const diagnostics = await c.diagnosticsAt(uri, 1);
    expect(codes(diagnostics)).toEqual(['bgtask-handler-main-actor', 'continued-processing-gpu-unchecked']);
    return { uri, diagnostics };
  }

  async function actionsFor(c: LspClient, uri: string, diagnostic: Diagnostic) {
    return c.codeActions(uri, diagnostic.range, [diagnostic]);
  }

  test('each suggestion is a quick fix whose edit removes the finding', async () => {
    const c = await start();
    const { uri, diagnostics } = await openWithSuggestions(c);
    const [mainActor, gpu] = diagnostics;

    const useMain = (await actionsFor(c, uri, mainActor!))[0]!;
    expect(useMain).toMatchObject({ title: 'Run the launch handler on the main queue (`using: .main`)', kind: 'quickfix', isPreferred: true });
    const afterUseMain = c.applied(uri, useMain);
    expect(afterUseMain.split('\n')[2]).toBe('    BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.refresh", using: .main) { task in');
    c.replaceAll(uri, 2, afterUseMain);
    expect(codes(await c.diagnosticsAt(uri, 2))).toEqual(['continued-processing-gpu-unchecked']);

    const wrap = (await actionsFor(c, uri, { ...gpu!, range: (await c.diagnosticsAt(uri, 2))[0]!.range }))[0]!;
    const afterWrap = c.applied(uri, wrap);
    expect(afterWrap).toContain('if BGTaskScheduler.supportedResources.contains(.gpu) {');
    c.replaceAll(uri, 3, afterWrap);
    expect(await c.diagnosticsAt(uri, 3)).toEqual([]);
  });

  test('disable for this line inserts the directive with the line\'s indentation, and the finding goes', async () => {
    const c = await start();
    const { uri, diagnostics } = await openWithSuggestions(c);
    const actions = await actionsFor(c, uri, diagnostics[0]!);
    expect(actions.map((a) => a.title)).toEqual([
      'Run the launch handler on the main queue (`using: .main`)',
      'Disable bgtask-handler-main-actor for this line',
      'Disable bgtask-handler-main-actor for this file',
      'Show documentation for bgtask-handler-main-actor',
    ]);
    const after = c.applied(uri, actions[1]!);
    expect(after.split('\n').slice(2, 4)).toEqual([
      '    // bglint-disable-next-line bgtask-handler-main-actor -- ',
      '    BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.refresh", using: nil) { task in',
    ]);
    c.replaceAll(uri, 2, after);
    expect(codes(await c.diagnosticsAt(uri, 2))).toEqual(['continued-processing-gpu-unchecked']);
  });

  test('disable for this file puts the directive on the first line, and the finding goes', async () => {
    const c = await start();
    const { uri, diagnostics } = await openWithSuggestions(c);
    const action = (await actionsFor(c, uri, diagnostics[1]!)).find((a) => a.title === 'Disable continued-processing-gpu-unchecked for this file')!;
    const after = c.applied(uri, action);
    expect(after.split('\n')[0]).toBe('// bglint-disable continued-processing-gpu-unchecked -- ');
    c.replaceAll(uri, 2, after);
    expect(codes(await c.diagnosticsAt(uri, 2))).toEqual(['bgtask-handler-main-actor']);
  });

  test('show documentation opens the rule\'s page in the browser', async () => {
    const c = await start();
    const { uri, diagnostics } = await openWithSuggestions(c);
    const action = (await actionsFor(c, uri, diagnostics[0]!)).find((a) => a.title.startsWith('Show documentation'))!;
    await c.connection.sendRequest('workspace/executeCommand', action.command);
    const shown = await c.shownDocuments.next(() => true, 'window/showDocument');
    expect(shown).toEqual({ uri: diagnostics[0]!.codeDescription!.href, external: true });
  });

  test('source.fixAll.bglint applies the safe fix (as bglint --fix does) and the finding goes', async () => {
    const c = await start();
    const deferred = 'func start() {\n  task = UIApplication.shared.beginBackgroundTask(withName: "sync") {\n    DispatchQueue.main.async {\n      UIApplication.shared.endBackgroundTask(self.task)\n      self.task = .invalid\n    }\n  }\n}\n';
    const uri = c.open(project.file('App/Start.swift'), deferred);
    expect(codes(await c.diagnosticsAt(uri, 1))).toEqual(['background-task-deferred-end']);
    const everything = { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } };
    const [fixAll, ...others] = await c.codeActions(uri, everything, [], ['source.fixAll']);
    expect(others).toEqual([]);
    expect(fixAll).toMatchObject({ title: 'Fix all safe bglint problems', kind: 'source.fixAll.bglint' });
    const after = c.applied(uri, fixAll!);
    expect(after).not.toContain('DispatchQueue.main.async');
    expect(after).toContain('UIApplication.shared.endBackgroundTask(self.task)');
    c.replaceAll(uri, 2, after);
    expect(codes(await c.diagnosticsAt(uri, 2))).toEqual([]);
  });

  test('source.fixAll.bglint applies safe fixes only, so suggestions are not offered by it', async () => {
    const c = await start();
    const { uri } = await openWithSuggestions(c);
    const everything = { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } };
    expect(await c.codeActions(uri, everything, [], ['source.fixAll'])).toEqual([]);
  });
});

describe('configuration', () => {
  test('registers watchers dynamically; a config edit re-lints open documents; a broken config shows on the file and the last good one stays', async () => {
    const c = await start();
    const registration = await c.registrations.next((r) => r.method === 'workspace/didChangeWatchedFiles', 'watcher registration');
    const globs = (registration.registerOptions as { watchers: { globPattern: string }[] }).watchers.map((w) => w.globPattern);
    expect(globs).toEqual(expect.arrayContaining(['**/{.bglint.yml,.bglint.yaml,.bglint.json}', '**/*.entitlements', '**/project.pbxproj', '**/Package.swift']));
    const uri = c.open(project.file('App/Sync.swift'), UNBALANCED);
    expect((await c.diagnosticsAt(uri, 1)).map((d) => d.severity)).toEqual([1]);

    const config = project.file('.bglint.yml');
    const nextFor = (target: string) => {
      const after = c.published.all.length;
      return c.published.next((p) => p.uri === target, `diagnostics for ${target}`, after);
    };
    let relinted = nextFor(uri);
    fs.writeFileSync(config, 'rules:\n  background-task-unbalanced: warn\n');
    c.watchedFilesChanged([{ file: config, type: 1 }]);
    expect((await relinted).diagnostics.map((d) => d.severity)).toEqual([2]);

    const onConfig = nextFor(uriOf(config));
    relinted = nextFor(uri);
    fs.writeFileSync(config, 'rules:\n  background-task-unbalanced: warn\n  no-such-rule: error\n');
    c.watchedFilesChanged([{ file: config, type: 2 }]);
    const problem = (await onConfig).diagnostics;
    expect(problem).toMatchObject([{ range: { start: { line: 2 } }, severity: 1, source: 'bglint', message: expect.stringContaining('rules.no-such-rule: unknown rule id') }]);
    expect((await c.messages.next((m) => m.type === 1, 'an error message')).message).toContain('invalid configuration');
    expect((await relinted).diagnostics.map((d) => d.severity)).toEqual([2]); // the last good config

    const cleared = nextFor(uriOf(config));
    relinted = nextFor(uri);
    fs.rmSync(config);
    c.watchedFilesChanged([{ file: config, type: 3 }]);
    expect((await cleared).diagnostics).toEqual([]);
    expect((await relinted).diagnostics.map((d) => d.severity)).toEqual([1]);
  });
});

describe('workspaces', () => {
  test('each workspace folder uses its own config, and a file outside every folder its nearest one', async () => {
    project.remove();
    project = tempProject({
      'A/.bglint.yml': 'rules:\n  background-task-unbalanced: warn\n',
      'B/.bglint.yml': 'rules:\n  background-task-unbalanced: note\n',
      'Elsewhere/.bglint.yml': 'rules:\n  background-task-unbalanced: off\n',
    });
    const c = await start({ folders: [project.file('A'), project.file('B')] });
    const severity = async (rel: string) => (await c.diagnosticsAt(c.open(project.file(rel), UNBALANCED), 1)).map((d) => d.severity);
    expect(await severity('A/Sync.swift')).toEqual([2]);
    expect(await severity('B/Sync.swift')).toEqual([3]);
    expect(await severity('Elsewhere/Sync.swift')).toEqual([]);
  });
});

describe('workspace folder settings', () => {
  test('each folder\'s own rules setting (workspace/configuration with its scopeUri) applies to its files', async () => {
    project.remove();
    project = tempProject({ 'A/Sync.swift': UNBALANCED, 'B/Sync.swift': UNBALANCED });
    const c = await start({ folders: [project.file('A'), project.file('B')], folderSettings: { [project.file('A')]: { rules: { 'background-task-unbalanced': 'warn' } } } });
    const severity = async (rel: string) => (await c.diagnosticsAt(c.open(project.file(rel), UNBALANCED), 1)).map((d) => d.severity);
    expect(await severity('A/Sync.swift')).toEqual([2]);
    expect(await severity('B/Sync.swift')).toEqual([1]);
  });
});

describe('project files', () => {
  test('an open entitlements file gets the project-file rules\' findings from its unsaved text', async () => {
    const c = await start();
    const entitlements = (extra: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0">\n<dict>\n\t<key>com.apple.security.app-sandbox</key>\n\t<true/>\n${extra}</dict>\n</plist>\n`;
    const uri = c.open(project.file('App/App.entitlements'), entitlements(''));
    expect(await c.diagnosticsAt(uri, 1)).toEqual([]);
    c.replaceAll(uri, 2, entitlements('\t<key>com.apple.security.temporary-exception.apple-events</key>\n\t<array><string>com.apple.finder</string></array>\n'));
    const diagnostics = await c.diagnosticsAt(uri, 2);
    expect(diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character])).toEqual([['temporary-exception-entitlement', 5, 1]]);
  });

  test('an open Info.plist that does not parse gets an error at the broken line, gone once fixed', async () => {
    const c = await start();
    const plist = '<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0">\n<dict>\n  <key>UIBackgroundModes</key>\n  <array><string>fetch</string>\n</dict>\n</plist>\n';
    const uri = c.open(project.file('App/Info.plist'), plist);
    const [problem, ...rest] = await c.diagnosticsAt(uri, 1);
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ severity: 1, source: 'bglint', range: { start: { line: 5 } } });
    c.replaceAll(uri, 2, plist.replace('<string>fetch</string>', '<string>fetch</string></array>'));
    expect(await c.diagnosticsAt(uri, 2)).toEqual([]);
  });
});

describe('project-aware', () => {
  const REGISTER = 'extension AppModel {\n  func registerTasks() {\n    BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.refresh", using: nil) { task in\n      self.count += 1\n      task.setTaskCompleted(success: true)\n    }\n  }\n}\n';

  test('a type made @MainActor in another file (changed on disk) changes the open file\'s findings', async () => {
    fs.writeFileSync(project.file('App/Model.swift'), 'final class AppModel {\n  var count = 0\n}\n');
    const c = await start();
    const uri = c.open(project.file('App/Register.swift'), REGISTER);
    expect(await c.diagnosticsAt(uri, 1)).toEqual([]);
    const after = c.published.all.length;
    fs.writeFileSync(project.file('App/Model.swift'), '@MainActor final class AppModel {\n  var count = 0\n}\n');
    c.watchedFilesChanged([{ file: project.file('App/Model.swift'), type: 2 }]);
    const relinted = await c.published.next((p) => p.uri === uri && p.diagnostics.length > 0, 'diagnostics after the index changed', after);
    expect(relinted.diagnostics.map((d) => [d.code, d.range.start.line])).toEqual([['bgtask-handler-main-actor', 2]]);
    expect(relinted.diagnostics[0]!.message).toContain('AppModel is declared @MainActor');
  });

  /** A begins a task whose expiration handler calls `finish()`; B, an extension of the same type, may end it there. */
  // The work and the expiration handler both end the task through `finish`, declared in B.
  const BEGINS = 'import UIKit\n\nfinal class Sync {\n  var task = UIBackgroundTaskIdentifier.invalid\n  func start() {\n    task = UIApplication.shared.beginBackgroundTask(withName: "sync") { [weak self] in self?.finish() }\n    client.sync { [weak self] in self?.finish() }\n  }\n}\n';
  const ENDS = 'import UIKit\n\nextension Sync {\n  func finish() {\n    UIApplication.shared.endBackgroundTask(task)\n  }\n}\n';
  const FORGETS = ENDS.replace('UIApplication.shared.endBackgroundTask(task)', 'print(task)');
  const unbalancedLines = (diagnostics: Diagnostic[]) => diagnostics.map((d) => [d.code, d.range.start.line]);

  function publishedFor(c: LspClient, uri: string, findings: number, what: string): Promise<Diagnostic[]> {
    return c.published.next((p) => p.uri === uri && p.diagnostics.length === findings, what, c.published.all.length).then((p) => p.diagnostics);
  }

  test('unsaved edits in another open file that ends the task add and remove the open file\'s finding', async () => {
    fs.writeFileSync(project.file('App/Sync+Finish.swift'), ENDS);
    const c = await start({ settings: { debounceMs: 0 } });
    const a = c.open(project.file('App/Begin.swift'), BEGINS);
    expect(await c.diagnosticsAt(a, 1)).toEqual([]);
    const b = c.open(project.file('App/Sync+Finish.swift'), ENDS);
    await c.diagnosticsAt(b, 1);
    let relinted = publishedFor(c, a, 1, 'A\'s finding once B no longer ends the task');
    c.replaceAll(b, 2, FORGETS);
    expect(unbalancedLines(await relinted)).toEqual([['background-task-unbalanced', 5]]);
    relinted = publishedFor(c, a, 0, 'A without findings once B ends the task again');
    c.replaceAll(b, 3, ENDS);
    expect(await relinted).toEqual([]);
    c.replaceAll(b, 4, FORGETS);
    await publishedFor(c, a, 1, 'A\'s finding again');
    relinted = publishedFor(c, a, 0, 'A without findings once B is closed unsaved (the disk ends the task)');
    c.close(b);
    expect(await relinted).toEqual([]);
  });

  test('the same file changed on disk while closed: the open file\'s finding follows', async () => {
    fs.writeFileSync(project.file('App/Sync+Finish.swift'), ENDS);
    const c = await start();
    const a = c.open(project.file('App/Begin.swift'), BEGINS);
    expect(await c.diagnosticsAt(a, 1)).toEqual([]);
    let relinted = publishedFor(c, a, 1, 'A\'s finding once B on disk no longer ends the task');
    fs.writeFileSync(project.file('App/Sync+Finish.swift'), FORGETS);
    c.watchedFilesChanged([{ file: project.file('App/Sync+Finish.swift'), type: 2 }]);
    expect(unbalancedLines(await relinted)).toEqual([['background-task-unbalanced', 5]]);
    relinted = publishedFor(c, a, 0, 'A without findings once B on disk ends it again');
    fs.writeFileSync(project.file('App/Sync+Finish.swift'), ENDS);
    c.watchedFilesChanged([{ file: project.file('App/Sync+Finish.swift'), type: 2 }]);
    expect(await relinted).toEqual([]);
  });

  test('a background session built in another open file makes task calls count: unsaved edits add and remove the finding', async () => {
    // A's only triggers are task calls (`triggersWhen`): they count once some file of the project builds a background session.
    const TASKS = 'import Foundation\n\nfinal class SyncController {\n  private let transfers: Transfers\n  init(transfers: Transfers) { self.transfers = transfers }\n  func upload(_ data: Data, _ request: URLRequest) {\n    transfers.session.uploadTask(with: request, from: data).resume()\n  }\n}\n';
    const BACKGROUND = 'import Foundation\n\nfinal class Transfers: NSObject {\n  lazy var session: URLSession = {\n    let config = URLSessionConfiguration.background(withIdentifier: "com.example.transfers")\n    return URLSession(configuration: config, delegate: self, delegateQueue: nil)\n  }()\n}\n';
    const DEFAULT = BACKGROUND.replace('.background(withIdentifier: "com.example.transfers")', '.default');
    fs.writeFileSync(project.file('App/Transfers.swift'), DEFAULT);
    const c = await start({ settings: { debounceMs: 0 } });
    const a = c.open(project.file('App/SyncController.swift'), TASKS);
    expect(await c.diagnosticsAt(a, 1)).toEqual([]);
    const b = c.open(project.file('App/Transfers.swift'), DEFAULT);
    await c.diagnosticsAt(b, 1);
    let relinted = publishedFor(c, a, 1, 'A\'s finding once B builds a background session');
    c.replaceAll(b, 2, BACKGROUND);
    expect((await relinted).map((d) => [d.code, d.range.start.line])).toEqual([['background-session-unsupported-task', 6]]);
    relinted = publishedFor(c, a, 0, 'A without findings once B builds a default session again');
    c.replaceAll(b, 3, DEFAULT);
    expect(await relinted).toEqual([]);
  });

  test('pull client: linting an unsaved edit in B asks for a refresh, and A pulled again has the finding', async () => {
    fs.writeFileSync(project.file('App/Sync+Finish.swift'), ENDS);
    const c = await start({ pull: true });
    const a = c.open(project.file('App/Begin.swift'), BEGINS);
    const b = c.open(project.file('App/Sync+Finish.swift'), ENDS);
    expect(await c.pull(a)).toEqual([]);
    expect(await c.pull(b)).toEqual([]);
    const after = c.refreshes.all.length;
    c.replaceAll(b, 2, FORGETS);
    expect(await c.pull(b)).toEqual([]); // the editor pulls the edited document, as it does after each change
    await c.refreshes.next(() => true, 'workspace/diagnostic/refresh after the edit in B', after);
    expect(unbalancedLines(await c.pull(a))).toEqual([['background-task-unbalanced', 5]]);
  });
});

describe('settings', () => {
  test('an unknown rule in the rules setting is shown as an error message naming the setting', async () => {
    const c = await start({ settings: { rules: { 'no-such-rule': 'warn' } } });
    c.open(project.file('App/Sync.swift'), UNBALANCED);
    const message = await c.messages.next((m) => m.type === 1, 'an error message');
    expect(message.message).toContain('bglint.rules (editor settings): no-such-rule: unknown rule id');
    expect(c.published.all.filter((p) => !p.uri.endsWith('.swift'))).toEqual([]);
  });
});

describe('never goes dark', () => {
  test('a crashing rule is logged, keeps its last findings, and the server keeps serving', async () => {
    const c = await start({ preload: path.join(__dirname, 'crash-rule.preload.js') });
    const uri = c.open(project.file('App/Sync.swift'), UNBALANCED);
    const before = await c.diagnosticsAt(uri, 1);
    expect(codes(before)).toEqual(['background-task-unbalanced']);

    c.replaceAll(uri, 2, `// CRASH_BGLINT\n${UNBALANCED}`);
    expect(codes(await c.diagnosticsAt(uri, 2))).toEqual(['background-task-unbalanced']);
    expect((await c.logs.next((l) => l.message.includes('deliberate crash'), 'a crash log')).message).toContain('rule background-task-unbalanced crashed');

    c.replaceAll(uri, 3, BALANCED);
    expect(await c.diagnosticsAt(uri, 3)).toEqual([]);
    expect(await c.stop()).toBe(0);
  });

  test('10,000-deep nesting is reported as a notice, the findings around it still shown, and the server keeps serving', async () => {
    const c = await start();
    const deep = `let total = ${'('.repeat(10_000)}1${')'.repeat(10_000)}\n`;
    const uri = c.open(project.file('App/Sync.swift'), `${UNBALANCED}${deep}`);
    const diagnostics = await c.diagnosticsAt(uri, 1);
    expect(diagnostics.map((d) => d.code ?? d.message)).toEqual(['background-task-unbalanced', 'code nested too deeply to analyze from line 5']);
    expect(diagnostics[1]).toMatchObject({ severity: 3, range: { start: { line: 4 } } });
    c.replaceAll(uri, 2, BALANCED);
    expect(await c.diagnosticsAt(uri, 2)).toEqual([]);
  });

  test('a file that does not parse gets an information diagnostic on the unreadable lines', async () => {
    const c = await start();
    const text = `${UNBALANCED}func broken( {\n  let = = =\n`;
    const uri = c.open(project.file('App/Sync.swift'), text);
    const diagnostics = await c.diagnosticsAt(uri, 1);
    const notice = diagnostics.find((d) => d.code === undefined);
    expect(notice).toMatchObject({ severity: 3, source: 'bglint', message: expect.stringMatching(/could not parse line/) });
    expect(notice!.range.start.line).toBeLessThanOrEqual(4); // covers `func broken( {` (0-based line 4)
    expect(notice!.range.end.line).toBeGreaterThan(4);
  });
});
