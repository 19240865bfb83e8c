/**
 * Lints one file's text: prefilter, parse once, walk the syntax view once for every enabled rule,
 * then apply inline suppressions and fingerprints. Reads no files: callers pass text and facts.
 */
import type { CallExpr, Language, Span, SyntaxNode } from '../syntax/ir';
import type { Finding, FileResult, Notice, Range, Severity } from '../types';
import { childrenOf } from '../syntax/children';
import { pendingPartSpan } from '../syntax/deferred';
import { parseSwiftName } from '../syntax/api-names';
import { matchesSignature } from '../syntax/query';
import { parseSource } from '../source/parse';
import type { ParseCache } from '../source/parse';
import { ProjectIndex } from '../facts/lexical-index';
import { projectConditions } from '../facts/project-conditions';
import type { ProjectCondition } from '../facts/project-conditions';
import { applyDirectives, parseDirectives } from './suppressions';
import { lineAt, lineStartOffsets } from '../source/lines';
import type { Directive } from './suppressions';
import { assignFingerprints } from './fingerprint';
import { occurrences } from './words';
import type { RelatedInput, Rule, RuleContext, RuleListener, TargetSettings } from './rule';
import type { ProjectFacts } from '../facts/project';
import { mergeTargetFindings, type TargetFacet } from './targets';

export interface EnabledRule {
  rule: Rule;
  severity: Severity;
  options: Record<string, unknown>;
}

export interface LintInput {
  file: string;
  text: string;
  language: Language;
  rules: EnabledRule[];
  index?: ProjectIndex;
  target?: TargetSettings;
  /** The target's Info.plist and entitlements, when known. */
  project?: ProjectFacts;
  /** The file's other targets (a file compiled into an app and its extension): it is checked against each. */
  otherTargets?: TargetFacet[];
  /** Relaunching background modes of the targets of each file that declares launch code (`RuleContext.launchModesByFile`). */
  launchModesByFile?: Readonly<Record<string, string[]>>;
  /** Report directives that suppress nothing (`--report-unused-disable-directives`). */
  reportUnusedDirectives?: boolean;
  /** Skip the prefilter (used by the test that proves the prefilter loses nothing). */
  noPrefilter?: boolean;
  /** The buffer's previous tree, reused for an incremental parse (the language server's open files). */
  parseCache?: ParseCache;
  /** Lower and walk every function body (the soundness test compares this with the default). */
  eagerView?: boolean;
  /** Count every trigger whatever the project holds (`RuleMeta.triggersWhen`; the soundness test compares this with the default). */
  allTriggers?: boolean;
}

/**
 * Does the text hold a trigger that counts (`countedTriggers`) of some enabled rule? `project`: the
 * conditions the project holds (`projectConditions` of its index); undefined counts every trigger.
 */
export function passesPrefilter(text: string, rules: EnabledRule[], project?: ReadonlySet<ProjectCondition>): boolean {
  return rules.some((r) => countedTriggers(r, project).some((t) => text.includes(t)));
}

/**
 * The trigger strings that let a file through for this rule: its `triggers`, less those whose every
 * `triggersWhen` entry names a condition the project lacks, and the triggers its options add. Undefined
 * `project` counts every trigger. The one place the prefilter's strings are decided: the CLI's plan
 * (session's `passesTriggers`), `lintSource` in any thread, and the language server's per-buffer rule filter.
 */
export function countedTriggers(enabled: EnabledRule, project?: ReadonlySet<ProjectCondition>): string[] {
  const { triggers, triggersWhen } = enabled.rule.meta;
  const counted = !project || !triggersWhen?.length ? triggers : triggers.filter((t) => {
    const conditions = triggersWhen.filter((w) => w.triggers.includes(t));
    return conditions.length === 0 || conditions.some((w) => project.has(w.project));
  });
  const fromOptions = optionTriggers(enabled);
  return fromOptions.length ? [...counted, ...fromOptions] : counted;
}

/**
 * Trigger strings a rule's options add (`meta.optionTriggers` names string-list options whose
 * entries' last name part must occur: `wrappers: ["BackgroundTasks.begin"]` adds `begin`).
 */
export function optionTriggers(enabled: EnabledRule): string[] {
  return (enabled.rule.meta.optionTriggers ?? []).flatMap((option) => {
    const values = enabled.options[option];
    return Array.isArray(values) ? values.map((v) => String(v).replace(/\(.*$/, '').split('.').pop()!) : [];
  });
}

/**
 * The rules a file's text can give findings: a rule finds nothing in a file without one of its counted
 * triggers (the prefilter's premise, per rule), so the others are not run; `--no-prefilter` runs them all.
 * `project`: the conditions the project holds (`countedTriggers`); undefined counts every trigger.
 */
export function rulesTriggeredBy(text: string, rules: EnabledRule[], project?: ReadonlySet<ProjectCondition>): EnabledRule[] {
  return rules.filter((enabled) => passesPrefilter(text, [enabled], project));
}

export function lintSource(given: LintInput): FileResult {
  const project = given.allTriggers ? undefined : projectConditions(given.index ?? new ProjectIndex());
  const input = given.noPrefilter ? given : { ...given, rules: rulesTriggeredBy(given.text, given.rules, project) };
  const { file, text, language } = input;
  if (!given.noPrefilter && input.rules.length === 0) {
    // Nothing can be reported here, so every directive is unused: no parse needed to say so.
    const notices = input.reportUnusedDirectives ? unusedDirectiveNotices(file, parseDirectives(text)) : [];
    return { file, findings: [], notices, skipped: true };
  }
  const parsed = parseSource(text, language, { cache: input.parseCache, eagerView: input.eagerView });
  if (!parsed.ok) {
    return { file, findings: [], notices: [{ kind: 'timeout', severity: 'warning', file, message: `${file}: parsing took longer than the time limit; the file was not analyzed.` }], skipped: false };
  }
  const notices: Notice[] = parsed.file.unreadable.map((span) => ({
    kind: 'parse-error',
    severity: 'note',
    file,
    range: { start: { line: span.startLine, column: 1 }, end: { line: span.endLine, column: 1 } },
    message: span.startLine === span.endLine
      ? `could not parse line ${span.startLine}; findings there may be missing`
      : `could not parse lines ${span.startLine}–${span.endLine}; findings there may be missing`,
  }));
  const lineStarts = lineStartOffsets(text);
  const facets: TargetFacet[] = [{ target: input.target ?? {}, project: input.project }, ...(input.otherTargets ?? [])];
  const crashed = new Set<string>();
  const onCrash = (ruleId: string, error: unknown) => {
    if (!crashed.has(ruleId)) notices.push(crashNotice(file, ruleId, error));
    crashed.add(ruleId);
  };
  // One index for every rule (an empty one without a project), as a run gives them.
  const index = input.index ?? new ProjectIndex();
  const perFacet = facets.map((facet) => {
    const sink: Finding[] = [];
    const facetInput = { ...input, index, ...facet };
    const active = input.rules.flatMap((enabled) => {
      const context = makeContext(facetInput, enabled, lineStarts, sink);
      try {
        return [{ enabled, listener: enabled.rule.create?.(context) ?? {} }];
      } catch (error) {
        onCrash(enabled.rule.meta.id, error);
        return [];
      }
    });
    const entered = input.eagerView ? () => true : bodiesWorthEntering(text, active);
    walk(parsed.file.syntax, active, entered, onCrash);
    return sink;
  });
  const findings = facets.length === 1 ? perFacet[0]! : mergeTargetFindings(perFacet, facets);
  // After the walk: a function body lowered on demand may have found nesting too deep.
  if (parsed.file.tooDeepAtLine) {
    notices.push({ kind: 'too-deep', severity: 'note', file, message: `code nested too deeply to analyze from line ${parsed.file.tooDeepAtLine}`, range: lineRange(parsed.file.tooDeepAtLine) });
  }

  findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column || a.ruleId.localeCompare(b.ruleId));
  const directives = parseDirectives(text);
  applyDirectives(findings, directives);
  if (input.reportUnusedDirectives) notices.push(...unusedDirectiveNotices(file, directives));
  assignFingerprints(findings, text.split('\n'));
  return { file, findings, notices, skipped: false, source: text };
}

function unusedDirectiveNotices(file: string, directives: Directive[]): Notice[] {
  return directives.filter((d) => !d.used && d.kind !== 'enable').map((d) => ({
    kind: 'unused-directive', severity: 'warning', file, range: lineRange(d.line),
    message: `unused bglint-${d.kind} directive (no ${d.ruleIds.join(', ') || 'finding'} reported here)`,
  }));
}

function lineRange(line: number) {
  return { start: { line, column: 1 }, end: { line, column: 1 } };
}

/** The finding a rule's report makes: its message filled in, the configured severity unless the report overrides it. */
export function findingFrom(
  enabled: EnabledRule, file: string, report: { messageId: string; data?: Record<string, string | number>; severity?: Severity },
  range: Range, parts: Pick<Finding, 'related' | 'fix' | 'suggestions'>,
): Finding {
  const { meta } = enabled.rule;
  const template = meta.messages[report.messageId];
  if (template === undefined) throw new Error(`rule ${meta.id} has no message '${report.messageId}'`);
  const severity = report.severity && enabled.severity !== 'note' ? report.severity : enabled.severity;
  return { ruleId: meta.id, severity, message: fill(template, report.data ?? {}), file, range, ...parts, fingerprint: '' };
}

export function crashNotice(file: string, ruleId: string, error: unknown): Notice {
  const detail = error instanceof Error ? error.stack?.split('\n').slice(0, 3).join(' | ') ?? error.message : String(error);
  return { kind: 'rule-crash', severity: 'warning', file, ruleId, message: `rule ${ruleId} crashed on ${file} and was skipped for it: ${detail}` };
}

function makeContext(input: LintInput & { index: ProjectIndex }, enabled: EnabledRule, lineStarts: number[], sink: Finding[]): RuleContext {
  const position = (index: number) => {
    const line = lineAt(lineStarts, index);
    return { line, column: index - lineStarts[line - 1]! + 1 };
  };
  return {
    file: input.file,
    language: input.language,
    text: input.text,
    options: { ...defaultsOf(enabled.rule), ...enabled.options },
    index: input.index,
    target: input.target ?? {},
    project: input.project,
    launchModesByFile: input.launchModesByFile ?? {},
    report(r) {
      sink.push(findingFrom(enabled, input.file, r, r.at.range, {
        related: (r.related ?? []).map((rel) => relatedLocation(input.file, rel)),
        fix: r.fix,
        suggestions: r.suggest ?? [],
      }));
    },
    replace: (at: Span, text: string) => ({ range: { start: position(at.startIndex), end: position(at.endIndex) }, startIndex: at.startIndex, endIndex: at.endIndex, text }),
    insertAt: (index: number, text: string) => {
      const p = position(index);
      return { range: { start: p, end: p }, startIndex: index, endIndex: index, text };
    },
    lineOf: (index: number) => lineAt(lineStarts, index),
  };
}

function relatedLocation(file: string, related: RelatedInput) {
  return 'at' in related ? { file, range: related.at.range, message: related.message } : { file: related.file, range: related.range, message: related.message };
}

export function defaults(rule: Rule): Record<string, unknown> {
  return Object.fromEntries(Object.entries(rule.meta.options ?? {}).map(([k, spec]) => [k, spec.default]));
}

const DEFAULTS = new WeakMap<Rule, Record<string, unknown>>();

/** `defaults`, worked out once per rule (a context is made per rule and file). */
function defaultsOf(rule: Rule): Record<string, unknown> {
  let options = DEFAULTS.get(rule);
  if (!options) DEFAULTS.set(rule, (options = defaults(rule)));
  return options;
}

/** `{{name}}` placeholders filled from data. */
export function fill(template: string, data: Record<string, string | number>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, key: string) => String(data[key] ?? `{{${key}}}`));
}

interface ActiveRule {
  enabled: EnabledRule;
  listener: RuleListener;
}

type Dispatch = { ruleId: string; run: (node: SyntaxNode) => void; crashed: { value: boolean } };

/**
 * Which not-yet-lowered function bodies the walk enters: those whose text holds a trigger string of a
 * rule that listens to nodes (a rule that only hears the file finds what it needs itself, and gains
 * nothing from the walk entering bodies). Listeners never fire inside the others, which stay unlowered
 * unless a rule reads them (packages/cli/test/lazy-view.test.ts proves the findings equal).
 */
function bodiesWorthEntering(text: string, active: ActiveRule[]): (body: Span) => boolean {
  const words = new Set<string>();
  const listensToNodes = ({ listener }: ActiveRule) => Object.entries(listener).some(([key, handler]) => handler && key !== 'file' && key !== 'file:end');
  for (const { enabled } of active.filter(listensToNodes)) {
    for (const trigger of [...enabled.rule.meta.triggers, ...optionTriggers(enabled)]) {
      // An empty trigger is in every text: that rule hears every body.
      if (trigger === '') return () => true;
      words.add(trigger);
    }
  }
  const at = occurrences(text, words);
  return (body) => {
    let low = 0;
    let high = at.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (at[mid]! < body.startIndex) low = mid + 1;
      else high = mid;
    }
    return low < at.length && at[low]! < body.endIndex;
  };
}

/** One iterative walk of the file for all rules; a rule that throws is dropped for this file only. */
function walk(root: SyntaxNode, active: ActiveRule[], entered: (body: Span) => boolean, onCrash: (ruleId: string, error: unknown) => void): void {
  const enter = new Map<string, Dispatch[]>();
  const exit = new Map<string, Dispatch[]>();
  const callsByBase = new Map<string, { signature: string; dispatch: Dispatch }[]>();
  const endHandlers: Dispatch[] = [];
  for (const { enabled, listener } of active) {
    const crashed = { value: false };
    const ruleId = enabled.rule.meta.id;
    for (const [key, handler] of Object.entries(listener)) {
      if (!handler) continue;
      const dispatch: Dispatch = { ruleId, run: handler as (node: SyntaxNode) => void, crashed };
      if (key === 'file:end') endHandlers.push(dispatch);
      else if (key.startsWith('call:')) {
        const signature = key.slice(5);
        const base = parseSwiftName(signature).base;
        callsByBase.set(base, [...(callsByBase.get(base) ?? []), { signature, dispatch }]);
      } else if (key.endsWith(':exit')) exit.set(key.slice(0, -5), [...(exit.get(key.slice(0, -5)) ?? []), dispatch]);
      else enter.set(key, [...(enter.get(key) ?? []), dispatch]);
    }
  }
  const run = (list: Dispatch[] | undefined, node: SyntaxNode) => {
    for (const d of list ?? []) {
      if (d.crashed.value) continue;
      try {
        d.run(node);
      } catch (error) {
        d.crashed.value = true;
        onCrash(d.ruleId, error);
      }
    }
  };
  const stack: { node: SyntaxNode; exiting: boolean }[] = [{ node: root, exiting: false }];
  while (stack.length > 0) {
    const { node, exiting } = stack.pop()!;
    if (exiting) {
      run(exit.get(node.kind), node);
      continue;
    }
    run(enter.get(node.kind), node);
    if (node.kind === 'call') {
      const subscribers = callsByBase.get(node.baseName);
      // A rule listening to several signatures hears a call once, even if it matches more than one.
      if (subscribers) run([...new Set(subscribers.filter((s) => matchesSignature(node as CallExpr, s.signature)).map((s) => s.dispatch.run))].map((fn) => subscribers.find((s) => s.dispatch.run === fn)!.dispatch), node);
    }
    stack.push({ node, exiting: true });
    const pending = pendingPartSpan(node);
    if (pending && !entered(pending)) continue;
    const kids = childrenOf(node);
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i]!, exiting: false });
  }
  for (const d of endHandlers) run([d], root);
}
