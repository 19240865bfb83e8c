/**
 * SARIF 2.1.0 as GitHub code scanning reads it.
 *
 * Limits kept here (GitHub's "SARIF support for code scanning" and "results exceed limit" pages):
 * at most 25,000 results per run (`maxResults` may lower it), 10 tags per rule shown, 100
 * locations per result shown, and 10 MB for the gzip-compressed file. Past a limit the log keeps
 * the most important results (unsuppressed before suppressed, then error, warning, note, then
 * report order), drops the rest, and says how many it dropped in a tool execution notification.
 */
import { gzipSync } from 'node:zlib';
import type { FormatOptions } from './index';
import type { Finding, Fix, LintReport, Notice, Range, RuleSummary, Severity } from './core-types';
import {
  TOOL_INFORMATION_URI,
  TOOL_NAME,
  absolutePath,
  allNotices,
  countFindings,
  fileUri,
  folderUri,
  plural,
  repoRelativePath,
  severityRank,
} from './common';

export const GITHUB_MAX_RESULTS = 25_000;
export const GITHUB_MAX_GZIP_BYTES = 10 * 1000 * 1000;
const MAX_TAGS = 10;
const MAX_RELATED = 100;
const MAX_DESCRIPTION = 1024;
const MAX_RULE_NAME = 255;
const SRCROOT = '%SRCROOT%';
const FINGERPRINT_KEY = 'bglint/v1';
const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

type Json = Record<string, unknown>;

interface Context {
  report: LintReport;
  cwd: string;
  rules: RuleTable;
}

/** The driver's rules, with a bare descriptor added for any finding whose rule is not listed. */
class RuleTable {
  readonly descriptors: Json[];
  private readonly indexes = new Map<string, number>();

  constructor(rules: RuleSummary[]) {
    this.descriptors = rules.map(ruleDescriptor);
    rules.forEach((rule, index) => this.indexes.set(rule.id, index));
  }

  indexOf(ruleId: string): number {
    let index = this.indexes.get(ruleId);
    if (index === undefined) {
      index = this.descriptors.push(bareDescriptor(ruleId)) - 1;
      this.indexes.set(ruleId, index);
    }
    return index;
  }
}

function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}\u2026`;
}

function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== '')
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}

const problemSeverity: Record<Severity, string> = { error: 'error', warning: 'warning', note: 'recommendation' };

function ruleHelpText(rule: RuleSummary): string {
  const parts = [rule.summary, rule.why, `How to fix: ${rule.fix}`];
  if (rule.symptom !== undefined) parts.splice(1, 0, `Symptom: ${rule.symptom}`);
  return `${parts.join('\n\n')}\n\nDocumentation: ${rule.docsUrl}`;
}

function ruleDescriptor(rule: RuleSummary): Json {
  return {
    id: rule.id,
    name: clip(pascalCase(rule.id), MAX_RULE_NAME),
    shortDescription: { text: clip(rule.summary, MAX_DESCRIPTION) },
    fullDescription: { text: clip(rule.why, MAX_DESCRIPTION) },
    help: { text: ruleHelpText(rule), markdown: rule.markdown },
    helpUri: rule.docsUrl,
    defaultConfiguration: { level: rule.severity },
    properties: {
      tags: rule.tags.slice(0, MAX_TAGS),
      precision: rule.precision,
      'problem.severity': problemSeverity[rule.severity],
      ...(rule.securitySeverity === undefined ? {} : { 'security-severity': rule.securitySeverity.toFixed(1) }),
    },
  };
}

function bareDescriptor(ruleId: string): Json {
  const text = `Findings of the rule ${ruleId}.`;
  return {
    id: ruleId,
    name: clip(pascalCase(ruleId), MAX_RULE_NAME),
    shortDescription: { text },
    fullDescription: { text },
    help: { text, markdown: text },
  };
}

/** SARIF reads `[text](id)` in a message as a link, so literal brackets are escaped. */
function escapeMessage(text: string): string {
  return text.replace(/([[\]])/g, '\\$1');
}

function region(range: Range): Json {
  return {
    startLine: range.start.line,
    startColumn: range.start.column,
    endLine: range.end.line,
    endColumn: range.end.column,
  };
}

function artifactLocation(file: string, context: Context): Json {
  const relative = repoRelativePath(file, context.report.root, context.cwd);
  if (relative === undefined) return { uri: fileUri(absolutePath(file, context.report.root)) };
  return { uri: relative.split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

function physicalLocation(file: string, range: Range | undefined, context: Context): Json {
  return {
    artifactLocation: artifactLocation(file, context),
    ...(range === undefined ? {} : { region: region(range) }),
  };
}

/** The finding's message, with each related location linked so GitHub shows it as a link. */
function resultMessage(finding: Finding): string {
  const text = escapeMessage(finding.message);
  const links = finding.related.slice(0, MAX_RELATED).map((related, index) => `[${escapeMessage(related.message)}](${index + 1})`);
  return links.length === 0 ? text : `${text} See ${links.join(', ')}.`;
}

function sarifFix(fix: Fix, file: string, context: Context): Json {
  return {
    description: { text: fix.description },
    artifactChanges: [
      {
        artifactLocation: artifactLocation(file, context),
        replacements: fix.edits.map((edit) => ({
          deletedRegion: region(edit.range),
          ...(edit.text === '' ? {} : { insertedContent: { text: edit.text } }),
        })),
      },
    ],
  };
}

function sarifResult(finding: Finding, context: Context): Json {
  const related = finding.related.slice(0, MAX_RELATED);
  return {
    ruleId: finding.ruleId,
    ruleIndex: context.rules.indexOf(finding.ruleId),
    level: finding.severity,
    message: { text: resultMessage(finding) },
    locations: [{ physicalLocation: physicalLocation(finding.file, finding.range, context) }],
    ...(related.length === 0
      ? {}
      : {
          relatedLocations: related.map((location, index) => ({
            id: index + 1,
            physicalLocation: physicalLocation(location.file, location.range, context),
            message: { text: escapeMessage(location.message) },
          })),
        }),
    partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
    ...(finding.fix === undefined ? {} : { fixes: [sarifFix(finding.fix, finding.file, context)] }),
    ...(finding.suppression === undefined
      ? {}
      : {
          suppressions: [
            {
              kind: 'inSource',
              ...(finding.suppression.justification === undefined ? {} : { justification: finding.suppression.justification }),
            },
          ],
        }),
    ...(finding.baselineState === undefined ? {} : { baselineState: finding.baselineState }),
  };
}

function notification(notice: Notice, context: Context): Json {
  return {
    level: notice.severity,
    message: { text: notice.message },
    descriptor: { id: notice.kind },
    ...(notice.file === undefined ? {} : { locations: [{ physicalLocation: physicalLocation(notice.file, notice.range, context) }] }),
    ...(notice.ruleId === undefined ? {} : { associatedRule: { id: notice.ruleId } }),
  };
}

/** Orders findings by what matters most and keeps the first `limit`, in their original order. */
export function selectResults(findings: Finding[], limit: number): { kept: Finding[]; dropped: Finding[] } {
  if (findings.length <= limit) return { kept: findings, dropped: [] };
  const order = findings.map((finding, index) => ({ finding, index }));
  order.sort(
    (a, b) =>
      Number(a.finding.suppression !== undefined) - Number(b.finding.suppression !== undefined) ||
      severityRank(b.finding.severity) - severityRank(a.finding.severity) ||
      a.index - b.index,
  );
  const keptIndexes = new Set(order.slice(0, limit).map((entry) => entry.index));
  return {
    kept: findings.filter((_finding, index) => keptIndexes.has(index)),
    dropped: findings.filter((_finding, index) => !keptIndexes.has(index)),
  };
}

function truncationNotice(total: number, dropped: Finding[], why: string): Json {
  const counts = countFindings(dropped);
  const parts = [plural(counts.errors, 'error'), plural(counts.warnings, 'warning'), plural(counts.notes, 'note')];
  return {
    level: 'warning',
    message: {
      text:
        `${TOOL_NAME} found ${total} results; ${why}, so this log leaves out ${dropped.length} ` +
        `of lowest severity (${parts.join(', ')}). Run ${TOOL_NAME} with --format json to see them all.`,
    },
    descriptor: { id: 'results-truncated' },
  };
}

function automationId(category: string): string {
  return category.endsWith('/') ? category : `${category}/`;
}

function buildLog(report: LintReport, options: FormatOptions, findings: Finding[], extraNotifications: Json[]): Json {
  const context: Context = { report, cwd: options.cwd, rules: new RuleTable(report.rules) };
  const results = findings.map((finding) => sarifResult(finding, context));
  const notices = allNotices(report);
  const failed = notices.some((notice) => notice.kind === 'config' && notice.severity === 'error' && notice.file === undefined);
  const driver: Json = {
    name: TOOL_NAME,
    version: options.toolVersion,
    ...(SEMVER.test(options.toolVersion) ? { semanticVersion: options.toolVersion } : {}),
    informationUri: TOOL_INFORMATION_URI,
    rules: context.rules.descriptors,
  };
  const run: Json = {
    tool: { driver },
    ...(options.sarifCategory === undefined ? {} : { automationDetails: { id: automationId(options.sarifCategory) } }),
    originalUriBaseIds: { [SRCROOT]: { uri: folderUri(options.cwd) } },
    invocations: [
      {
        executionSuccessful: !failed,
        toolExecutionNotifications: [...notices.map((notice) => notification(notice, context)), ...extraNotifications],
      },
    ],
    results,
    columnKind: 'utf16CodeUnits',
  };
  return { $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0', runs: [run] };
}

function serialize(log: Json): string {
  return `${JSON.stringify(log, null, 2)}\n`;
}

function tooLarge(text: string, maxGzipBytes: number): number | undefined {
  if (Buffer.byteLength(text) <= maxGzipBytes) return undefined;
  const compressed = gzipSync(text).length;
  return compressed > maxGzipBytes ? compressed : undefined;
}

/** `format` with GitHub's limits as parameters, so tests can reach them with small reports. */
export function formatWithin(report: LintReport, options: FormatOptions, maxGzipBytes: number): string {
  const all = report.results.flatMap((result) => result.findings);
  let limit = Math.min(options.maxResults ?? GITHUB_MAX_RESULTS, GITHUB_MAX_RESULTS);
  let why = `GitHub code scanning accepts at most ${limit} per run`;
  for (;;) {
    const { kept, dropped } = selectResults(all, limit);
    const extra = dropped.length === 0 ? [] : [truncationNotice(all.length, dropped, why)];
    const text = serialize(buildLog(report, options, kept, extra));
    const compressed = tooLarge(text, maxGzipBytes);
    if (compressed === undefined || kept.length === 0) return text;
    limit = Math.floor((kept.length * maxGzipBytes * 0.9) / compressed);
    why = `GitHub code scanning accepts SARIF files of at most ${maxGzipBytes / 1e6} MB compressed`;
  }
}

export function format(report: LintReport, options: FormatOptions): string {
  return formatWithin(report, options, GITHUB_MAX_GZIP_BYTES);
}
