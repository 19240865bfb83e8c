/**
 * The command line as a user meets it: exit codes, config errors, stdin, --max-warnings, --quiet,
 * --print-config, unused directives, --fix, baselines, fingerprints and SARIF on the fixtures.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { run } from '@bglint/cli';
import { scratchProject } from './scratch-project';
import { validateSarif } from '../../formatters/test/sarif-validator';

const repoRoot = path.resolve(__dirname, '../../..');

interface Outcome {
  exitCode: number;
  stdout: string;
  stderr: string;
}

async function bglint(args: string[], options: { cwd?: string; stdin?: string } = {}): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  const exitCode = await run(args, {
    cwd: options.cwd ?? repoRoot,
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    readStdin: () => options.stdin ?? '',
    isTTY: false,
    env: {},
  });
  return { exitCode, stdout, stderr };
}

const LEAK = `import UIKit

final class Saver {
  func save() {
    UIApplication.shared.beginBackgroundTask(withName: "save") {}
    store.flush()
  }
}
`;

const DISCRETIONARY = `import Foundation

final class PhotoUploader {
  private lazy var session: URLSession = {
    let configuration = URLSessionConfiguration.background(withIdentifier: "com.example.upload")
    configuration.isDiscretionary = true
    return URLSession(configuration: configuration, delegate: nil, delegateQueue: nil)
  }()

  func upload(_ file: URL, to request: URLRequest) {
    session.uploadTask(with: request, fromFile: file).resume()
  }
}
`;

const DEFERRED_END = `import UIKit

final class Importer {
  private var task: UIBackgroundTaskIdentifier = .invalid

  func start() {
    task = UIApplication.shared.beginBackgroundTask(withName: "import") {
      DispatchQueue.main.async {
        UIApplication.shared.endBackgroundTask(self.task)
        self.task = .invalid
      }
    }
    work { UIApplication.shared.endBackgroundTask(self.task) }
  }
}
`;

describe('exit codes', () => {
  it('is 1 with errors, 0 on a clean project', async () => {
    expect((await bglint(['fixtures/BackgroundTasksApp'])).exitCode).toBe(1);
    expect((await bglint(['fixtures/CleanApp'])).exitCode).toBe(0);
  });

  it('is 2 for an unknown option or a missing path, with the reason on stderr', async () => {
    const unknown = await bglint(['--frobnicate']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('unknown option --frobnicate');
    const missing = await bglint(['no/such/folder']);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('no such file or folder: no/such/folder');
  });

  it('--max-warnings turns too many warnings into exit 1', async () => {
    const dir = scratchProject({ 'PhotoUploader.swift': DISCRETIONARY });
    expect((await bglint(['.'], { cwd: dir })).exitCode).toBe(0);
    expect((await bglint(['--max-warnings', '1', '.'], { cwd: dir })).exitCode).toBe(0);
    expect((await bglint(['--max-warnings', '0', '.'], { cwd: dir })).exitCode).toBe(1);
  });

  it('--quiet reports errors only', async () => {
    const dir = scratchProject({ 'PhotoUploader.swift': DISCRETIONARY, 'Saver.swift': LEAK });
    const quiet = await bglint(['--quiet', '--format', 'json', '.'], { cwd: dir });
    const rules = JSON.parse(quiet.stdout).flatMap((f: { messages: { ruleId: string }[] }) => f.messages.map((m) => m.ruleId));
    expect(rules).toEqual(['background-task-unbalanced']);
  });
});

describe('configuration errors', () => {
  it('names the file and the key, and exits 2', async () => {
    const dir = scratchProject({ '.bglint.yml': 'rules:\n  background-task-unbalanced: loud\n', 'Saver.swift': LEAK });
    const outcome = await bglint(['.'], { cwd: dir });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stderr).toContain(path.join(dir, '.bglint.yml'));
    expect(outcome.stderr).toContain('rules.background-task-unbalanced');
  });

  it('rejects an unknown rule id and YAML that does not parse', async () => {
    const unknownRule = scratchProject({ '.bglint.yml': 'rules:\n  no-such-rule: error\n', 'Saver.swift': LEAK });
    const first = await bglint(['.'], { cwd: unknownRule });
    expect(first.exitCode).toBe(2);
    expect(first.stderr).toContain('no-such-rule');
    const broken = scratchProject({ '.bglint.yml': 'rules: [unclosed\n', 'Saver.swift': LEAK });
    const second = await bglint(['.'], { cwd: broken });
    expect(second.exitCode).toBe(2);
    expect(second.stderr).toContain('.bglint.yml');
  });

  it('--print-config shows the rules that apply to a file, after overrides', async () => {
    const dir = scratchProject({
      '.bglint.yml': 'extends: [recommended]\noverrides:\n  - files: ["Legacy/**"]\n    rules: { background-task-unbalanced: warn }\n',
      'Legacy/Old.swift': LEAK,
    });
    const outcome = await bglint(['--print-config', 'Legacy/Old.swift'], { cwd: dir });
    expect(outcome.exitCode).toBe(0);
    const printed = JSON.parse(outcome.stdout);
    expect(printed.files).toEqual([path.join(dir, '.bglint.yml')]);
    expect(printed.rules['background-task-unbalanced'][0]).toBe('warning');
    expect(printed.rules['background-task-deferred-end'][0]).toBe('error');
  });
});

describe('stdin', () => {
  it('lints piped text under the given file name and language', async () => {
    const outcome = await bglint(['--stdin', '--stdin-filename', 'Sources/Saver.swift', '--format', 'json'], { stdin: LEAK });
    expect(outcome.exitCode).toBe(1);
    const [file] = JSON.parse(outcome.stdout);
    expect(file.filePath).toBe(path.join(repoRoot, 'Sources/Saver.swift'));
    expect(file.messages.map((m: { ruleId: string; line: number }) => [m.ruleId, m.line])).toEqual([['background-task-unbalanced', 5]]);
  });
});

describe('linting single files (pre-commit, an editor\'s stdin)', () => {
  // The work and the expiration handler both end the task through `finish`, declared in another file.
  const uploader = 'import UIKit\n\nfinal class Uploader {\n  var task: UIBackgroundTaskIdentifier = .invalid\n\n  func start() {\n    task = UIApplication.shared.beginBackgroundTask { [weak self] in self?.finish() }\n    client.upload { [weak self] in self?.finish() }\n  }\n}\n';
  const finish = 'import UIKit\n\nextension Uploader {\n  func finish() {\n    UIApplication.shared.endBackgroundTask(task)\n    task = .invalid\n  }\n}\n';
  const appDelegate = 'import BackgroundTasks\n\nfinal class AppDelegate: BaseAppDelegate {\n  func registerTasks() {\n    BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.refresh", using: nil) { task in self.refresh(task) }\n  }\n}\n';
  const base = 'import UIKit\n\nclass BaseAppDelegate: CoreResponder {}\n';
  const core = 'import UIKit\n\nclass CoreResponder: UIResponder {}\n';

  it('still sees how other files of the project end a stored task', async () => {
    const dir = scratchProject({ 'Package.swift': '// swift-tools-version:5.9\n', 'Sources/App/Uploader.swift': uploader, 'Sources/App/Uploader+Finish.swift': finish });
    expect((await bglint(['Sources/App/Uploader.swift'], { cwd: dir })).exitCode).toBe(0);
    const piped = await bglint(['--stdin', '--stdin-filename', 'Sources/App/Uploader.swift'], { cwd: dir, stdin: uploader });
    expect(piped.stdout).toBe('');
    expect(piped.exitCode).toBe(0);
    fs.rmSync(path.join(dir, 'Sources/App/Uploader+Finish.swift'));
    expect((await bglint(['Sources/App/Uploader.swift'], { cwd: dir })).stdout).toContain('The expiration handler never ends the task');
  });

  it('follows supertypes declared in other files to find main-actor isolation', async () => {
    const dir = scratchProject({ 'Package.swift': '// swift-tools-version:5.9\n', 'Sources/App/AppDelegate.swift': appDelegate, 'Sources/App/Base.swift': base, 'Sources/Core/CoreResponder.swift': core });
    const outcome = await bglint(['--format', 'json', 'Sources/App/AppDelegate.swift'], { cwd: dir });
    const messages = JSON.parse(outcome.stdout).flatMap((f: { messages: { ruleId: string; message: string }[] }) => f.messages);
    expect(messages.map((m: { ruleId: string }) => m.ruleId)).toEqual(['bgtask-handler-main-actor']);
    expect(messages[0].message).toContain('CoreResponder');
  });
});

describe('inline directives', () => {
  it('--report-unused-disable-directives reports a directive that suppresses nothing', async () => {
    const dir = scratchProject({ 'Clean.swift': '// bglint-disable-next-line background-task-unbalanced -- stale\nlet x = 1\n' });
    const plain = await bglint(['--format', 'json', '.'], { cwd: dir });
    expect(JSON.stringify(JSON.parse(plain.stdout))).not.toContain('unused');
    const strict = await bglint(['--report-unused-disable-directives', '--format', 'json', '.'], { cwd: dir });
    expect(strict.stdout).toMatch(/unused/i);
    expect(strict.stdout).toContain('background-task-unbalanced');
  });
});

describe('--fix', () => {
  it('unwraps a main-queue dispatch in the expiration handler, writes the file whole, and reports what remains', async () => {
    const dir = scratchProject({ 'Importer.swift': DEFERRED_END, 'Saver.swift': LEAK });
    const outcome = await bglint(['--fix', '--format', 'json', '.'], { cwd: dir });
    expect(fs.readFileSync(path.join(dir, 'Importer.swift'), 'utf8')).toBe(DEFERRED_END.replace(
      '      DispatchQueue.main.async {\n        UIApplication.shared.endBackgroundTask(self.task)\n        self.task = .invalid\n      }\n',
      '      UIApplication.shared.endBackgroundTask(self.task)\n      self.task = .invalid\n',
    ));
    expect(fs.readFileSync(path.join(dir, 'Saver.swift'), 'utf8')).toBe(LEAK);
    expect(fs.readdirSync(dir).sort()).toEqual(['Importer.swift', 'Saver.swift']);
    const remaining = JSON.parse(outcome.stdout).flatMap((f: { messages: { ruleId: string }[] }) => f.messages.map((m) => m.ruleId));
    expect(remaining).toEqual(['background-task-unbalanced']);
    expect(outcome.exitCode).toBe(1);
  });

  it('--fix-dry-run writes nothing and puts the fixed text in the JSON output', async () => {
    const dir = scratchProject({ 'Importer.swift': DEFERRED_END });
    const outcome = await bglint(['--fix-dry-run', '--format', 'json', '.'], { cwd: dir });
    expect(fs.readFileSync(path.join(dir, 'Importer.swift'), 'utf8')).toBe(DEFERRED_END);
    const [file] = JSON.parse(outcome.stdout);
    expect(file.output).not.toContain('DispatchQueue.main.async');
    expect(file.messages).toEqual([]);
    expect(outcome.exitCode).toBe(0);
  });

  it('refuses --fix on piped-in code', async () => {
    const outcome = await bglint(['--fix', '--stdin'], { stdin: DEFERRED_END });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stderr).toContain('--fix-dry-run');
  });
});

describe('baselines and fingerprints', () => {
  it('a baseline hides the recorded findings, even after they move, and reports new ones', async () => {
    const dir = scratchProject({ 'Saver.swift': LEAK });
    expect((await bglint(['--write-baseline', 'baseline.json', '.'], { cwd: dir })).exitCode).toBe(1);
    fs.writeFileSync(path.join(dir, 'Saver.swift'), `// a new comment\n\n${LEAK}`);
    const moved = await bglint(['--baseline', 'baseline.json', '--format', 'json', '.'], { cwd: dir });
    expect(moved.exitCode).toBe(0);
    expect(JSON.parse(moved.stdout).flatMap((f: { messages: unknown[] }) => f.messages)).toEqual([]);

    fs.writeFileSync(path.join(dir, 'Other.swift'), LEAK.replace('Saver', 'Other'));
    const added = await bglint(['--baseline', 'baseline.json', '--format', 'json', '.'], { cwd: dir });
    expect(added.exitCode).toBe(1);
    const files = JSON.parse(added.stdout).filter((f: { messages: unknown[] }) => f.messages.length > 0);
    expect(files.map((f: { filePath: string }) => path.basename(f.filePath))).toEqual(['Other.swift']);
  });

  it('SARIF partialFingerprints survive edits above the finding', async () => {
    const dir = scratchProject({ 'Saver.swift': LEAK });
    const fingerprints = async () => {
      const sarif = JSON.parse((await bglint(['--format', 'sarif', '.'], { cwd: dir })).stdout);
      return sarif.runs[0].results.map((r: { partialFingerprints: unknown; locations: { physicalLocation: { region: { startLine: number } } }[] }) => ({
        fingerprints: r.partialFingerprints,
        line: r.locations[0]!.physicalLocation.region.startLine,
      }));
    };
    const before = await fingerprints();
    fs.writeFileSync(path.join(dir, 'Saver.swift'), `// Copyright 2026\n// Licensed under MIT\n\n${LEAK}`);
    const after = await fingerprints();
    expect(before).toHaveLength(1);
    expect(after[0].line).toBe(before[0].line + 3);
    expect(after[0].fingerprints).toEqual(before[0].fingerprints);
  });
});

describe('SARIF on every fixture', () => {
  it.each(['BackgroundTasksApp', 'LegacyObjCApp', 'CleanApp'])('%s: the Multitool with GitHub rules reports no error and no warning', async (name) => {
    const outcome = await bglint(['--format', 'sarif', '--sarif-category', `bglint/${name}`, `fixtures/${name}`]);
    const { errors, warnings } = validateSarif(outcome.stdout);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
  });
});
