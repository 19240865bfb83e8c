/** A hand-built report with what users meet: two files, related locations, a fix, a suppressed
 * finding, an emoji line, a parse notice, a crashed rule and a run-wide notice. */
import type { Finding, LintReport, Range, RuleSummary } from '../src/core-types';
import type { FormatOptions } from '../src/index';

export const ROOT = '/work/app';
export const UPLOADER = 'Sources/App/Uploader.swift';
export const EMOJI_FILE = 'Sources/Feature/Launch 🚀.swift';

export function range(line: number, column: number, endLine: number, endColumn: number): Range {
  return { start: { line, column }, end: { line: endLine, column: endColumn } };
}

export function rule(id: string, severity: RuleSummary['severity'], extra: Partial<RuleSummary> = {}): RuleSummary {
  return {
    id,
    severity,
    summary: `Summary of ${id}.`,
    why: `Why ${id} matters.`,
    fix: `How to fix ${id}.`,
    tags: ['background', 'reliability'],
    precision: 'high',
    docsUrl: `https://bglint.dev/rules/${id}`,
    markdown: `# ${id}\n\nWhy ${id} matters.`,
    ...extra,
  };
}

export function finding(ruleId: string, severity: Finding['severity'], file: string, at: Range, extra: Partial<Finding> = {}): Finding {
  return {
    ruleId,
    severity,
    message: `Message of ${ruleId}.`,
    file,
    range: at,
    related: [],
    suggestions: [],
    fingerprint: `${ruleId}:${file}:0`,
    ...extra,
  };
}

export const taskNotEnded = finding('background-task-not-ended', 'error', UPLOADER, range(12, 5, 12, 58), {
  message: 'beginBackgroundTask(expirationHandler:) is never balanced by endBackgroundTask(_:) on every path.',
  related: [
    { file: UPLOADER, range: range(20, 9, 20, 30), message: 'the expiration handler, which must end the task' },
    { file: 'Sources/App/AppDelegate.swift', range: range(3, 1, 3, 12), message: 'where the [upload] task is scheduled' },
  ],
  fix: {
    description: 'End the background task in the expiration handler.',
    edits: [{ range: range(20, 9, 20, 9), startIndex: 412, endIndex: 412, text: 'UIApplication.shared.endBackgroundTask(taskID)\n        ' }],
  },
  suggestions: [
    {
      description: 'Wrap the work in ProcessInfo.performExpiringActivity.',
      edits: [{ range: range(12, 5, 12, 58), startIndex: 210, endIndex: 263, text: 'ProcessInfo.processInfo.performExpiringActivity(withReason: "upload") { expired in }' }],
    },
  ],
  fingerprint: 'a1b2c3d4e5f60718',
});

export const unregisteredIdentifier = finding('bgtask-identifier-not-registered', 'warning', UPLOADER, range(30, 22, 30, 48), {
  message: 'Task identifier "com.example.refresh" is not listed in BGTaskSchedulerPermittedIdentifiers.',
  fingerprint: '0f1e2d3c4b5a6978',
});

export const suppressedSync = finding('main-sync-from-background', 'warning', UPLOADER, range(44, 9, 44, 33), {
  message: 'DispatchQueue.main.sync from a background queue can deadlock.',
  suppression: { kind: 'inSource', justification: 'Legacy path, tracked in #123', line: 43 },
  fingerprint: '99aa88bb77cc66dd',
});

/** On the line `let title = "🚀 Launch"; DispatchQueue.main.sync { }`: columns count UTF-16 code units. */
export const emojiLineSync = finding('main-sync-from-background', 'warning', EMOJI_FILE, range(7, 27, 7, 52), {
  message: 'DispatchQueue.main.sync 🚦 blocks until the main queue runs it.',
  fingerprint: '1234abcd5678ef90',
});

export const expirationNote = finding('expiration-handler-missing', 'note', EMOJI_FILE, range(15, 1, 16, 4), {
  message: 'No expiration handler here.',
  fingerprint: 'feedface00000001',
});

export const sampleRules: RuleSummary[] = [
  rule('background-task-not-ended', 'error', { tags: ['background', 'reliability', 'security'], securitySeverity: 5, symptom: 'The app is killed in the background.' }),
  rule('bgtask-identifier-not-registered', 'warning'),
  rule('main-sync-from-background', 'warning', { precision: 'very-high' }),
  rule('expiration-handler-missing', 'note', { precision: 'medium' }),
];

export function sampleReport(): LintReport {
  return {
    root: ROOT,
    rules: sampleRules,
    results: [
      {
        file: UPLOADER,
        findings: [taskNotEnded, unregisteredIdentifier, suppressedSync],
        notices: [{ kind: 'parse-error', severity: 'warning', message: 'could not read lines 40–42', range: range(40, 1, 42, 10) }],
        skipped: false,
      },
      {
        file: EMOJI_FILE,
        findings: [emojiLineSync, expirationNote],
        notices: [
          {
            kind: 'rule-crash',
            severity: 'error',
            message: 'rule expiration-handler-missing crashed: TypeError: node is undefined',
            ruleId: 'expiration-handler-missing',
          },
        ],
        skipped: false,
      },
      { file: 'Sources/App/Clean.swift', findings: [], notices: [], skipped: true },
    ],
    notices: [{ kind: 'config', severity: 'warning', message: 'unknown rule "old-rule" in .bglint.yml was ignored' }],
  };
}

export function options(extra: Partial<FormatOptions> = {}): FormatOptions {
  return { cwd: ROOT, color: false, toolVersion: '0.1.0', ...extra };
}
