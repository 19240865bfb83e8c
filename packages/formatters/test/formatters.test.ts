import { formatterNames, loadFormatter, type Formatter } from '../src/index';
import { displayWidth } from '../src/width';
import { options, sampleReport } from './sample-report';

function formatter(name: string): Formatter {
  const loaded = loadFormatter(name);
  if (loaded === undefined) throw new Error(`no formatter ${name}`);
  return loaded;
}

describe('loadFormatter', () => {
  it('loads every listed format and nothing else', () => {
    expect(formatterNames).toEqual(['stylish', 'json', 'sarif', 'xcode', 'github']);
    for (const name of formatterNames) expect(typeof loadFormatter(name)).toBe('function');
    expect(loadFormatter('../index')).toBeUndefined();
    expect(loadFormatter('checkstyle')).toBeUndefined();
  });
});

describe('stylish', () => {
  const text = formatter('stylish')(sampleReport(), options());
  const lines = text.split('\n');

  it('prints a header per file and one aligned row per finding, without suppressed ones', () => {
    expect(lines[0]).toBe('Sources/App/Uploader.swift');
    expect(lines[1]).toBe(
      '  12:5   error    beginBackgroundTask(expirationHandler:) is never balanced by endBackgroundTask(_:) on every path.  background-task-not-ended',
    );
    expect(lines[2]).toMatch(/^ {2}30:22 {2}warning {2}Task identifier "com\.example\.refresh" is not listed .* {2}bgtask-identifier-not-registered$/);
    expect(lines[3]).toBe('');
    expect(lines[4]).toBe('Sources/Feature/Launch 🚀.swift');
    expect(text).not.toContain('DispatchQueue.main.sync from a background queue');
    expect(text).not.toContain('Clean.swift');
  });

  it('lines rule ids up in one column even when a message holds an emoji', () => {
    const rows = [lines[5], lines[6]];
    const ruleColumn = rows.map((row) => displayWidth(row.slice(0, row.lastIndexOf('  ') + 2)));
    expect(ruleColumn[0]).toBe(ruleColumn[1]);
    expect(rows[0]).toMatch(/^ {3}7:27 {2}warning {2}DispatchQueue\.main\.sync 🚦/);
    expect(rows[1]).toMatch(/^ {2}15:1 {3}note {5}No expiration handler here\./);
  });

  it('sums up the problems, then lists notices', () => {
    const summary = lines.indexOf('✖ 4 problems (1 error, 2 warnings, 1 note)');
    expect(summary).toBeGreaterThan(6);
    expect(lines[summary + 1]).toBe('');
    const notices = lines.indexOf('3 notices:');
    expect(notices).toBeGreaterThan(summary);
    expect(lines.slice(notices + 1, notices + 4)).toEqual([
      '  warning  unknown rule "old-rule" in .bglint.yml was ignored (config)',
      '  warning  Sources/App/Uploader.swift:40  could not read lines 40–42 (parse-error)',
      '  error    Sources/Feature/Launch 🚀.swift  rule expiration-handler-missing crashed: TypeError: node is undefined (rule-crash) [expiration-handler-missing]',
    ]);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('colors only when asked, and dims the notices', () => {
    expect(text).not.toContain('\u001b[');
    const colored = formatter('stylish')(sampleReport(), options({ color: true }));
    expect(colored).toContain('\u001b[31merror  \u001b[0m');
    expect(colored).toContain('\u001b[4mSources/App/Uploader.swift\u001b[0m');
    expect(colored).toContain('\u001b[2m  warning  unknown rule');
    expect(colored.replace(/\u001b\[[0-9;]*m/g, '')).toBe(text);
  });

  it('prints nothing for a clean run', () => {
    expect(formatter('stylish')({ root: '/x', rules: [], results: [], notices: [] }, options())).toBe('');
  });
});

describe('json', () => {
  const files = JSON.parse(formatter('json')(sampleReport(), options()));

  it('has one ESLint-style entry per file with counts', () => {
    const paths = files.map((file: { filePath: string }) => file.filePath);
    expect(paths).toEqual([
      '/work/app/Sources/App/Uploader.swift',
      '/work/app/Sources/Feature/Launch 🚀.swift',
      '/work/app/Sources/App/Clean.swift',
      '/work/app',
    ]);
    const [uploader, emoji] = files;
    expect(uploader).toMatchObject({ errorCount: 1, warningCount: 1, noteCount: 0, fixableErrorCount: 1, fixableWarningCount: 0 });
    expect(emoji).toMatchObject({ errorCount: 0, warningCount: 2, noteCount: 1 });
  });

  it('gives each message ESLint fields plus ranges, fingerprint, related locations and fixes', () => {
    const [error, warning] = files[0].messages;
    expect(error).toMatchObject({
      ruleId: 'background-task-not-ended',
      severity: 2,
      level: 'error',
      line: 12,
      column: 5,
      endLine: 12,
      endColumn: 58,
      fingerprint: 'a1b2c3d4e5f60718',
    });
    expect(error.related[1]).toEqual({
      filePath: '/work/app/Sources/App/AppDelegate.swift',
      line: 3,
      column: 1,
      endLine: 3,
      endColumn: 12,
      message: 'where the [upload] task is scheduled',
    });
    expect(error.fix.edits).toEqual([{ range: [412, 412], text: 'UIApplication.shared.endBackgroundTask(taskID)\n        ' }]);
    expect(error.suggestions[0].desc).toBe('Wrap the work in ProcessInfo.performExpiringActivity.');
    expect(warning.severity).toBe(1);
    expect(files[1].messages[1]).toMatchObject({ severity: 1, level: 'note' });
  });

  it('keeps suppressed findings apart, with their justification', () => {
    expect(files[0].messages).toHaveLength(2);
    expect(files[0].suppressedMessages).toHaveLength(1);
    expect(files[0].suppressedMessages[0].suppressions).toEqual([{ kind: 'directive', justification: 'Legacy path, tracked in #123' }]);
  });

  it('includes notices with their file, and run-wide ones under the root', () => {
    expect(files[0].notices).toEqual([
      { kind: 'parse-error', level: 'warning', message: 'could not read lines 40–42', line: 40, column: 1, endLine: 42, endColumn: 10 },
    ]);
    expect(files[1].notices[0]).toMatchObject({ kind: 'rule-crash', ruleId: 'expiration-handler-missing' });
    expect(files[3].notices[0]).toMatchObject({ kind: 'config', level: 'warning' });
  });
});
