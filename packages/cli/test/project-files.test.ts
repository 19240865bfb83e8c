/**
 * Project files through the whole CLI: findings relate the plist key a user must edit, project-file
 * findings obey config and inline directives, and a malformed plist is a notice naming its line.
 */
import * as fs from 'fs';
import * as path from 'path';
import { run } from '@bglint/cli';
import { scratchProject } from './scratch-project';

const repoRoot = path.resolve(__dirname, '../../..');

interface JsonLocation { filePath: string; line: number; column: number; message: string }
interface JsonMessage extends JsonLocation { ruleId: string | null; related?: JsonLocation[] }
interface JsonNotice { kind: string; message: string; line?: number }
interface JsonFile { filePath: string; messages: JsonMessage[]; suppressedMessages: JsonMessage[]; notices: JsonNotice[] }

function lintJson(args: string[], cwd = repoRoot): JsonFile[] {
  let out = '';
  const io = { cwd, stdout: (t: string) => { out += t; }, stderr: () => {}, readStdin: () => '', isTTY: false, env: {} };
  run(['--format', 'json', ...args], io);
  return JSON.parse(out) as JsonFile[];
}

function messagesIn(files: JsonFile[], suffix: string): JsonMessage[] {
  return files.find((f) => f.filePath.endsWith(suffix))?.messages ?? [];
}

const plist = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0">\n<dict>\n${body}\n</dict>\n</plist>\n`;

describe('project rules through the CLI (fixtures/TrailmixApp)', () => {
  const files = lintJson(['--no-config', 'fixtures/TrailmixApp']);
  const app = path.join(repoRoot, 'fixtures/TrailmixApp/Trailmix');

  /** The 1-based line of the first line containing `text` in a fixture file. */
  const lineOf = (file: string, text: string) => fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;

  it('relates a code finding to the Info.plist key to edit', () => {
    const [finding] = messagesIn(files, 'Trailmix/RunTracker.swift');
    expect(finding).toMatchObject({ ruleId: 'location-background-mode-missing', line: 12 });
    const infoPlist = path.join(app, 'Info.plist');
    expect(finding!.related).toEqual([expect.objectContaining({ filePath: infoPlist, line: lineOf(infoPlist, '<key>UIBackgroundModes</key>') })]);
  });

  it('reports a permitted identifier nothing registers at its line in the Info.plist, as a warning', () => {
    const infoPlist = path.join(app, 'Info.plist');
    const findings = messagesIn(files, 'Trailmix/Info.plist');
    expect(findings.map((f) => [f.ruleId, f.line])).toEqual([['bgtask-plist-mismatch', lineOf(infoPlist, 'weekly-report')]]);
    expect(findings[0]).toMatchObject({ severity: 1 });
  });

  it('accepts an identifier listed as $(PRODUCT_BUNDLE_IDENTIFIER).refresh and reports the unlisted one', () => {
    const registered = messagesIn(files, 'Trailmix/BackgroundScheduler.swift').map((m) => m.message);
    expect(registered.some((m) => m.includes('com.example.trailmix.refresh'))).toBe(false);
    expect(registered.some((m) => m.includes('com.example.trailmix.health-sync'))).toBe(true);
  });

  it('uses the extension\'s own binary Info.plist, not the app\'s', () => {
    const [finding] = messagesIn(files, 'TrailmixWidget/WidgetLocation.swift');
    expect(finding!.message).toContain('TrailmixWidget/Info.plist');
    expect(finding!.related).toEqual([expect.objectContaining({ filePath: path.join(repoRoot, 'fixtures/TrailmixApp/TrailmixWidget/Info.plist'), line: 1 })]);
  });

  it('points at the entitlement key line for entitlement-only findings, and skips keys that grant nothing', () => {
    const findings = messagesIn(files, 'TrailmixMac/TrailmixMac.entitlements');
    expect(findings.map((f) => [f.ruleId, f.line, f.column])).toEqual([['temporary-exception-entitlement', 9, 2]]);
    expect(findings[0]!.message).toContain('com.apple.security.scripting-targets');
  });

  it('says nothing about a Swift package or a framework target, which run with the Info.plist of the app linking them', () => {
    expect(messagesIn(files, 'Sources/TrailKit/LocationFeed.swift')).toEqual([]);
    expect(messagesIn(files, 'TrailmixCore/WorkoutRecorder.swift')).toEqual([]);
    expect(fs.readFileSync(path.join(repoRoot, 'fixtures/TrailmixApp/TrailmixCore/WorkoutRecorder.swift'), 'utf8')).toContain('allowsBackgroundLocationUpdates = true');
  });
});

describe('project files and configuration', () => {
  const entitlements = plist('\t<key>com.apple.security.temporary-exception.mach-lookup.global-name</key>\n\t<array>\n\t\t<string>com.example.helper</string>\n\t</array>');

  it('turns an entitlement rule off through the config like any rule', () => {
    const dir = scratchProject({ 'App/App.entitlements': entitlements, 'App/main.swift': 'print("hi")\n' });
    expect(messagesIn(lintJson(['--no-config', dir]), 'App.entitlements')).toHaveLength(1);
    expect(messagesIn(lintJson(['--no-config', '--rule', 'temporary-exception-entitlement: off', dir]), 'App.entitlements')).toEqual([]);
  });

  it('honours a bglint-disable-next-line comment in the plist', () => {
    const suppressed = plist('\t<!-- bglint-disable-next-line temporary-exception-entitlement -->\n\t<key>com.apple.security.temporary-exception.sbpl</key>\n\t<string>(allow mach-lookup)</string>');
    const dir = scratchProject({ 'App/App.entitlements': suppressed });
    const file = lintJson(['--no-config', dir]).find((f) => f.filePath.endsWith('App.entitlements'));
    expect(file?.messages ?? []).toEqual([]);
    expect(file?.suppressedMessages.map((m) => m.ruleId)).toEqual(['temporary-exception-entitlement']);
  });

  it('reports a malformed Info.plist as a notice at its line and skips the rules that need it', () => {
    const dir = scratchProject({
      'App/Info.plist': '<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0">\n<dict>\n\t<key>UIBackgroundModes</key>\n\t<array>\n\t\t<string>fetch</string>\n</dict>\n</plist>\n',
      'App/Tracker.swift': 'func start() {\n  manager.allowsBackgroundLocationUpdates = true\n}\n',
    });
    const files = lintJson(['--no-config', dir]);
    expect(messagesIn(files, 'Tracker.swift')).toEqual([]);
    const notices = files.flatMap((f) => f.notices).filter((n) => n.kind === 'project-file');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.message).toMatch(/App\/Info\.plist:\d+(:\d+)?: /);
    expect(notices[0]!.line).toBeGreaterThan(1);
  });

  it('uses the nearest Info.plist when there is no Xcode project', () => {
    const dir = scratchProject({
      'App/Info.plist': plist('\t<key>UIBackgroundModes</key>\n\t<array>\n\t\t<string>fetch</string>\n\t</array>'),
      'App/Sources/Tracker.swift': 'func start() {\n  manager.allowsBackgroundLocationUpdates = true\n}\n',
    });
    const [finding] = messagesIn(lintJson(['--no-config', dir]), 'Tracker.swift');
    expect(finding).toMatchObject({ ruleId: 'location-background-mode-missing', line: 2 });
    expect(finding!.related![0]).toMatchObject({ filePath: path.join(dir, 'App/Info.plist'), line: 4 });
  });
});
