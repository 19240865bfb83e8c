import { format } from '../src/xcode';
import { options, sampleReport } from './sample-report';

describe('xcode', () => {
  it('prints clang-style diagnostics with absolute paths, related notes and notices', () => {
    expect(format(sampleReport(), options({ cwd: '/somewhere/else' })).split('\n')).toEqual([
      '/work/app/Sources/App/Uploader.swift:12:5: error: beginBackgroundTask(expirationHandler:) is never balanced by endBackgroundTask(_:) on every path. [background-task-not-ended]',
      '/work/app/Sources/App/Uploader.swift:20:9: note: the expiration handler, which must end the task',
      '/work/app/Sources/App/AppDelegate.swift:3:1: note: where the [upload] task is scheduled',
      '/work/app/Sources/App/Uploader.swift:30:22: warning: Task identifier "com.example.refresh" is not listed in BGTaskSchedulerPermittedIdentifiers. [bgtask-identifier-not-registered]',
      '/work/app/Sources/Feature/Launch 🚀.swift:7:27: warning: DispatchQueue.main.sync 🚦 blocks until the main queue runs it. [main-sync-from-background]',
      '/work/app/Sources/Feature/Launch 🚀.swift:15:1: note: No expiration handler here. [expiration-handler-missing]',
      'warning: bglint: unknown rule "old-rule" in .bglint.yml was ignored (config)',
      '/work/app/Sources/App/Uploader.swift:40:1: warning: bglint: could not read lines 40–42 (parse-error)',
      '/work/app/Sources/Feature/Launch 🚀.swift:1:1: warning: bglint: rule expiration-handler-missing crashed: TypeError: node is undefined (rule-crash)',
      '',
    ]);
  });

  it('keeps a multi-line message on one line, since Xcode reads the log line by line', () => {
    const report = sampleReport();
    report.results[0].findings[0] = { ...report.results[0].findings[0], message: 'First line.\n  Second line.' };
    expect(format(report, options()).split('\n')[0]).toMatch(/:12:5: error: First line\. Second line\. \[background-task-not-ended\]$/);
  });
});
