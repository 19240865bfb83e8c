/**
 * The two things done to one file, as plain data in and out so the same code runs in-process and in
 * a worker thread: `scanFile` (read once: content hash, the file's outline for choosing what the project
 * index needs, which rule trigger strings occur), `lexFiles` (the lexical facts of the files chosen for
 * the index) and `lintFile` (parse and run the enabled rules against the merged index).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { WHOLE_INDEX_WORDS, countedTriggers, languageOf, lexFile, lintSource, optionTriggers, outlineFile, wordsIn } from '@bglint/core';
import type { EnabledRule, FileFacts, LexOptions, FileOutline, FileResult, Notice, ProjectCondition, ProjectFacts, ProjectIndex, Severity, TargetFacet, TargetSettings } from '@bglint/core';
import { allRules, rulesById } from '@bglint/rules';

export interface ScanOk {
  file: string;
  size: number;
  mtimeMs: number;
  /** sha1 of the bytes; only computed when the cache needs it. */
  hash?: string;
  /** What the file can add to the index (read by `selectForIndex`). */
  outline: FileOutline;
  /** The file's lexical facts and their sha1, once the index needed them (`lexFiles`; the cache keeps them). */
  facts?: FileFacts;
  factsHash?: string;
  /** The trigger strings of any rule that occur in the text (the prefilter, independent of config), and the words that ask the reach map. */
  triggers: string[];
}

export type ScanResult = ScanOk | { file: string; error: string };

/** Every rule's trigger strings, and the words that ask the reach map (the lexer's options depend on them). */
const ALL_TRIGGERS = [...new Set([...allRules.flatMap((r) => r.meta.triggers), ...WHOLE_INDEX_WORDS])];

export function scanFile(file: string, withHash: boolean): ScanResult {
  let buffer: Buffer;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
    buffer = fs.readFileSync(file);
  } catch (error) {
    return { file, error: String((error as NodeJS.ErrnoException).code ?? error) };
  }
  const text = decodeSource(buffer);
  return {
    file,
    size: stat.size,
    mtimeMs: stat.mtimeMs,
    hash: withHash ? hashOf(buffer) : undefined,
    outline: outlineFile(text, languageOf(file) ?? 'swift'),
    triggers: wordsIn(text, ALL_TRIGGERS),
  };
}

/**
 * A file's lexical facts for the index, read from disk or from `text`; an unreadable file adds nothing.
 * `lex`: `lexFacts` in a worker, whose facts are copied on their way to the main thread.
 */
export function lexSource(file: string, text: string | undefined, options: LexOptions, lex: typeof lexFile = lexFile): FileFacts {
  const language = languageOf(file) ?? 'swift';
  if (text !== undefined) return lex(file, text, language, options);
  try {
    return lex(file, decodeSource(fs.readFileSync(file)), language, options);
  } catch {
    return { file, types: [], mainActorGlobals: [], registeredTaskIds: [], unresolvedTaskRegistrations: 0, apiUses: [] };
  }
}

export function decodeSource(buffer: Buffer): string {
  return buffer.toString('utf8').replace(/^\uFEFF/, '');
}

export function hashOf(data: Buffer | string): string {
  return createHash('sha1').update(data).digest('hex');
}

/**
 * Does a trigger that counts (`countedTriggers`: `project` holds the project conditions, undefined
 * counts all) of any enabled rule occur in the file? Same answer as `passesPrefilter` on the text.
 */
export function passesTriggers(found: string[], rules: EnabledRule[], project?: ReadonlySet<ProjectCondition>): boolean {
  // Triggers from options (a named wrapper) were not looked for by the scan: such files are parsed.
  return rules.some((r) => optionTriggers(r).length > 0 || countedTriggers(r, project).some((t) => found.includes(t)));
}

/** An enabled rule as data (rule objects hold functions and cannot cross to a worker). */
export interface RuleChoice {
  id: string;
  severity: Severity;
  options: Record<string, unknown>;
}

export interface LintRequest {
  file: string;
  /** The path results show (relative to the run's folder). */
  relative: string;
  rules: RuleChoice[];
  target: TargetSettings;
  /** The target's project facts (plain data, so it crosses to a worker). */
  project?: ProjectFacts;
  /** The file's other targets, each checked too (absent when the file has one target). */
  otherTargets?: TargetFacet[];
  /** The run's `TargetResolver.launchModesByFile` (set once the index is built). */
  launchModesByFile?: Record<string, string[]>;
  reportUnusedDirectives: boolean;
  noPrefilter: boolean;
  eagerView?: boolean;
  /** Count every trigger whatever the project holds (`RunOptions.allTriggers`). */
  allTriggers?: boolean;
  /** The text, when the caller has it (stdin); otherwise the file is read here. */
  text?: string;
}

export function choicesOf(rules: EnabledRule[]): RuleChoice[] {
  return rules.map((r) => ({ id: r.rule.meta.id, severity: r.severity, options: r.options }));
}

export type LintOutcome = { result: FileResult } | { crash: Notice };

/** Lints one file; a file that cannot be read or analyzed becomes a notice for the run. */
export function lintFile(request: LintRequest, index: ProjectIndex): LintOutcome {
  const { relative } = request;
  try {
    const text = request.text ?? decodeSource(fs.readFileSync(request.file));
    const result = lintSource({
      file: relative, text, language: languageOf(request.file) ?? 'swift', index, target: request.target, project: request.project, otherTargets: request.otherTargets,
      launchModesByFile: request.launchModesByFile,
      rules: request.rules.map((c) => ({ rule: rulesById.get(c.id)!, severity: c.severity, options: c.options })),
      reportUnusedDirectives: request.reportUnusedDirectives, noPrefilter: request.noPrefilter, eagerView: request.eagerView, allTriggers: request.allTriggers,
    });
    return { result };
  } catch (error) {
    return { crash: { kind: 'rule-crash', severity: 'warning', file: relative, message: `${relative} could not be analyzed: ${(error as Error).message}` } };
  }
}
