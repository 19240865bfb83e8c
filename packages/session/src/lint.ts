/**
 * The run: discover files, read each once (index + prefilter), resolve config and target per file,
 * lint, and gather one report. All file IO of a run happens here, at the edge.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ProjectIndex, WHOLE_INDEX_WORDS, asksWholeIndex, isIgnored, languageOf, outlineFile, passesPrefilter, projectConditions, rulesForFile } from '@bglint/core';
import type { ConfigLayer, EnabledRule, FileFacts, FileOutline, LexOptions, FileResult, LintReport, Notice, ProjectCondition, RuleSetting } from '@bglint/core';
import { allRules, ruleSets, ruleSummary } from '@bglint/rules';
import { LintCache, cacheFilePath, indexDigest, resultKey } from './cache';
import { Executor } from './executor';
import type { LintOptions } from './executor';
import type { Meanwhile } from './workers';
import { sourceFilesUnder } from './source-walk';
import { choicesOf, decodeSource, hashOf, lexSource, passesTriggers } from './file-jobs';
import type { LintOutcome, LintRequest, ScanOk } from './file-jobs';
import { ConfigFinder, TargetResolver, rulesFor } from './lint-context';
import { explicitFilesContext, selectForIndex } from './project-context';
import type { IndexCandidate } from './project-context';

export interface RunOptions {
  cwd: string;
  paths: string[];
  configFile?: string;
  noConfig: boolean;
  cliRules: Record<string, RuleSetting>;
  reportUnusedDirectives: boolean;
  stdin?: { text: string; filename: string };
  /** Lint every file, even those with none of the enabled rules' trigger strings (proves the prefilter sound). */
  noPrefilter?: boolean;
  /** Lower and walk every function body (proves the lazy syntax view sound; see core's syntax/deferred.ts). */
  eagerView?: boolean;
  /** Lex every file for the index, not only those the linted files can ask about (proves the on-demand index sound). */
  fullIndex?: boolean;
  /** Count every rule trigger whatever the project holds (`RuleMeta.triggersWhen`; proves the index-aware prefilter sound). */
  allTriggers?: boolean;
  /** `--cache`: where, and the bglint version that results are valid for. */
  cache?: { location?: string; version: string };
  jobs?: number;
  scanInProcessBelow?: number;
  lintInProcessBelow?: number;
}

export function discoverFiles(cwd: string, paths: string[]): string[] {
  const files = new Set<string>();
  for (const p of paths.length ? paths : ['.']) {
    const abs = path.resolve(cwd, p);
    const stat = fs.statSync(abs, { throwIfNoEntry: false });
    if (!stat) throw new UsageErrorForPath(`no such file or folder: ${p}`);
    if (stat.isFile()) {
      files.add(abs);
      continue;
    }
    const ig = gitignoreOf(abs);
    for (const rel of sourceFilesUnder(abs)) {
      if (!ig?.ignores(rel)) files.add(path.join(abs, rel));
    }
  }
  return [...files].sort();
}

export class UsageErrorForPath extends Error {}

/** The folder's .gitignore, if it has one (matching every path against an empty one cost 70 ms on 6,000 files). */
function gitignoreOf(dir: string) {
  const file = path.join(dir, '.gitignore');
  if (!fs.existsSync(file)) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('ignore') as typeof import('ignore'))().add(fs.readFileSync(file, 'utf8'));
}

export function configFor(options: RunOptions, file: string) {
  const finder = new ConfigFinder(options);
  const layers = finder.layersFor(path.resolve(options.cwd, file));
  return { layers, rules: rulesForFile((l) => path.relative(l.dir, path.resolve(options.cwd, file)), layers, ruleSets, options.cliRules) };
}

/**
 * The other sources of the projects of explicitly given files (a pre-commit hook passes the staged
 * ones, an editor its buffer on stdin): the index may need their facts too (see project-context.ts).
 * With `--cache` they are scanned like linted files, so an unchanged file is not read again, nor lexed.
 * Without, each is read and outlined here, its text kept for lexing: scanning them would start the
 * workers for a run that lints one file (measured: 0.3–0.6 s more on home-assistant's 1,700 sources).
 * A context file that cannot be read adds nothing to the index; it is not linted, so no notice.
 */
function contextOfExplicitFiles(options: RunOptions, inputs: LintInput[], executor: Executor, cache: LintCache | undefined): Candidate[] {
  const explicit = options.stdin ? [path.resolve(options.cwd, options.stdin.filename)] : options.paths
    .map((p) => path.resolve(options.cwd, p))
    .filter((p) => fs.statSync(p, { throwIfNoEntry: false })?.isFile());
  if (explicit.length === 0) return [];
  const sources = (root: string) => discoverFiles(root, ['.']).filter((f) => languageOf(f) !== undefined);
  const files = explicitFilesContext(explicit, new Set(inputs.map((i) => i.file)), sources, options.cwd);
  if (cache) return scanFiles(files, executor, cache, []).map((scan) => ({ file: scan.file, outline: scan.outline, facts: scan.facts, factsHash: scan.factsHash, scan }));
  return files.flatMap((file) => {
    const text = readText(file);
    return text === undefined ? [] : [{ file, text, outline: outlineFile(text, languageOf(file)!) }];
  });
}

function readText(file: string): string | undefined {
  try {
    return decodeSource(fs.readFileSync(file));
  } catch {
    return undefined;
  }
}

export function runLint(options: RunOptions): LintReport {
  const executor = new Executor(options);
  const cache = options.cache ? LintCache.load(cacheFilePath(options.cwd, options.cache.location), options.cache.version) : undefined;
  try {
    return lintFiles(options, executor, cache);
  } finally {
    executor.close();
    cache?.save();
  }
}

/** A file to lint: scanned from disk, or given as text (stdin). */
interface LintInput extends IndexCandidate {
  scan?: ScanOk;
  text?: string;
  factsHash?: string;
}

function lintFiles(options: RunOptions, executor: Executor, cache: LintCache | undefined): LintReport {
  const notices: Notice[] = [];
  const files = options.stdin ? [] : discoverFiles(options.cwd, options.paths);
  const targets = new TargetResolver(options.cwd, options.paths, cache?.project);
  // While workers scan, this thread reads the Xcode projects first: planning needs them, and the workers would wait.
  const scans = scanFiles(files, executor, cache, notices, once(() => targets.prepare()));
  const inputs: LintInput[] = scans.map((scan) => ({ file: scan.file, outline: scan.outline, facts: scan.facts, factsHash: scan.factsHash, scan }));
  if (options.stdin) {
    const file = path.resolve(options.cwd, options.stdin.filename);
    inputs.push({ file, outline: outlineFile(options.stdin.text, languageOf(file) ?? 'swift'), text: options.stdin.text });
  }
  const candidates: Candidate[] = [...inputs, ...contextOfExplicitFiles(options, inputs, executor, cache)];
  const rulesOf = rulesPerFile(options);
  const lex = lexer(executor, cache, { reach: Boolean(options.fullIndex) || inputs.some((i) => asksReachMap(i, rulesOf)) });
  const project = options.allTriggers ? undefined : conditionsOf(candidates, lex);
  const slots = planFiles(inputs, options, targets, project, rulesOf);
  const linter = new PassLinter(options, inputs, executor, targets, cache);
  const index = lintInPasses(options, candidates, slots.filter(isRequest), lex, linter);
  const results: FileResult[] = [];
  for (const outcome of slots.map((s) => (isRequest(s) ? linter.outcomeOf(s) : { result: s }))) {
    if ('crash' in outcome) notices.push(outcome.crash);
    else results.push(outcome.result);
  }
  const finder = new ConfigFinder(options);
  if (!options.stdin) results.push(...targets.lintProjectFiles(index.index, index.digest, (file) => rulesFor(file, finder, options.cliRules)));
  notices.push(...targets.notices(options.cwd));
  if (cache) cache.project = targets.toMemo();
  return { results, notices, rules: allRules.map(ruleSummary), root: options.cwd };
}

/** A file the index may need: a linted file, or another source of a single file's project. */
type Candidate = LintInput;

/** Lexes a batch of candidates once each, keeping the facts on them and in the cache. */
interface Lexer {
  /** In the workers when there are any; the facts in order. */
  (batch: Candidate[]): FileFacts[];
  /** In this thread. */
  here(batch: Candidate[]): void;
}

function lexer(executor: Executor, cache: LintCache | undefined, options: LexOptions): Lexer {
  // Facts kept by the cache without what the reach map reads do not do for a run that asks the map.
  const known = (c: Candidate) => c.facts !== undefined && !(options.reach && c.facts.withoutReach);
  const keep = (c: Candidate, facts: FileFacts) => {
    c.facts = facts;
    if (!cache) return;
    c.factsHash = hashOf(JSON.stringify(facts));
    if (c.scan) {
      c.scan.facts = facts;
      c.scan.factsHash = c.factsHash;
      cache.rememberScan(c.scan);
    }
  };
  const here = (batch: Candidate[]) => {
    for (const c of batch) if (!known(c)) keep(c, lexSource(c.file, c.text, options));
  };
  const lex = (batch: Candidate[]) => {
    const fromDisk = batch.filter((c) => !known(c) && c.text === undefined);
    executor.lex(fromDisk.map((c) => c.file), options).forEach((facts, i) => keep(fromDisk[i]!, facts));
    here(batch);
    return batch.map((c) => c.facts!);
  };
  return Object.assign(lex, { here });
}

/**
 * Does a linted file ask the project-wide reach map: does it hold its words (rule triggers, which the scan
 * looked for), with a rule that reads the map enabled for it?
 */
function asksReachMap(input: LintInput, rulesOf: RulesOfFile): boolean {
  const holdsWords = input.scan ? input.scan.triggers.some((t) => WHOLE_INDEX_WORDS.includes(t)) : asksWholeIndex(input.text!);
  return holdsWords && rulesOf(input.file).some((r) => WHOLE_INDEX_RULES.has(r.rule.meta.id));
}

/** One step that runs `work`. */
function once(work: () => void): Meanwhile {
  let done = false;
  return () => {
    if (done) return false;
    done = true;
    work();
    return true;
  };
}

/** This thread's share while the workers lint: lexing `rest`, a few files a step (a reply waits one step at most). */
function lexingInSteps(rest: Candidate[], here: (batch: Candidate[]) => void): Meanwhile {
  const STEP = 4;
  let at = 0;
  return () => {
    if (at >= rest.length) return false;
    here(rest.slice(at, (at += STEP)));
    return true;
  };
}

/**
 * The project conditions some triggers depend on (`RuleMeta.triggersWhen`), known before any file is
 * chosen for linting: every file that can make one true is always indexed (`outline.everywhere`), so
 * the index of those files alone answers as the run's index will. They are lexed once; the index's selection reuses their facts.
 */
function conditionsOf(candidates: Candidate[], lex: (batch: Candidate[]) => FileFacts[]): Set<ProjectCondition> {
  const index = new ProjectIndex();
  for (const facts of lex(candidates.filter((c) => c.outline.everywhere))) index.addFacts(facts);
  return projectConditions(index);
}

/**
 * Lints the requests, each against the index it needs, and returns the run's index (every file's facts
 * when some linted code asks the project-wide reach map). Such code (`wide`) waits for every file's
 * facts: the workers lint the other files first, against the index chosen for them, while this thread
 * lexes the rest and then lints the wide files against the whole index. With `--cache`, every file is
 * linted against the whole index instead, as it was remembered: the files chosen for the others' index
 * depend on which facts the cache holds (it adds those it has to a task begin's), so a result keyed by
 * that index would miss in the next run.
 */
function lintInPasses(options: RunOptions, candidates: Candidate[], requests: LintRequest[], lex: Lexer, linter: PassLinter): DigestedIndex {
  const { chosen, wide } = chooseForIndex(options, candidates, requests, lex);
  // The files only wide code needs. The run's index: the chosen files', with the rest's lexed when there
  // is wide code (what is left of them: nothing once this thread's steps have lexed them all).
  const rest = wide.size ? candidates.filter((c) => !chosen.has(c)) : [];
  let whole: DigestedIndex | undefined;
  const wholeIndex = () => {
    if (!whole) {
      lex(rest).forEach((facts, i) => chosen.set(rest[i]!, facts));
      whole = linter.indexOf(candidates, chosen);
    }
    return whole;
  };
  if (wide.size && !options.cache) {
    const meanwhile = inTurn(lexingInSteps(rest, lex.here), lintingInSteps(requests.filter((r) => wide.has(r)), wholeIndex, linter));
    // Code that does not ask the reach map is linted without its facts: workers get a third less to copy.
    linter.lint(requests.filter((r) => !wide.has(r)), linter.indexOf(candidates, chosen), { meanwhile, reach: false });
    // The workers' copy of that index is most of their memory.
    linter.releaseIndex(meanwhile);
  }
  const index = wholeIndex();
  linter.lint(requests.filter((r) => !linter.hasLinted(r)), index);
  return index;
}

/** `first`'s steps, then `then`'s. */
function inTurn(first: Meanwhile, then: Meanwhile): Meanwhile {
  let firstDone = false;
  return () => {
    if (!firstDone && first()) return true;
    firstDone = true;
    return then();
  };
}

/**
 * This thread's share once it has lexed the rest: the requests that need the whole index (`index`), one a
 * step, while the workers lint the others. They are few (the corpus apps: 13 of 268 files).
 */
function lintingInSteps(requests: LintRequest[], index: () => DigestedIndex, linter: PassLinter): Meanwhile {
  let at = 0;
  return () => {
    if (at >= requests.length) return false;
    linter.lintHere([requests[at++]!], index());
    return true;
  };
}

/**
 * The files lexed for the linted files' index: those they can ask about (`selectForIndex`), or every
 * file with `fullIndex`, with their facts; and `wide`, the linted files that ask the project-wide reach
 * map (`asksWholeIndex`), which need every file (empty when every file is chosen already).
 */
function chooseForIndex(
  options: RunOptions, candidates: Candidate[], requests: LintRequest[], lex: Lexer,
): { chosen: Map<Candidate, FileFacts>; wide: Set<LintRequest> } {
  if (options.fullIndex) {
    const facts = lex(candidates);
    return { chosen: new Map(candidates.map((c, i) => [c, facts[i]!])), wide: new Set() };
  }
  const lintedFiles = new Set(requests.map((r) => r.file));
  const wide = new Set<LintRequest>();
  const texts = function* () {
    for (const r of requests) {
      const text = r.text ?? readText(r.file);
      if (text === undefined) continue;
      if (asksWholeIndex(text) && r.rules.some((c) => WHOLE_INDEX_RULES.has(c.id))) wide.add(r);
      yield text;
    }
  };
  const chosen = selectForIndex(candidates, new Set(candidates.filter((c) => lintedFiles.has(c.file))), texts, lex, (c) => c.text ?? readText(c.file));
  return { chosen, wide: chosen.size < candidates.length ? wide : new Set() };
}

/** Scans every file (reusing the cache's scan of files whose size and time are unchanged), in path order. */
function scanFiles(files: string[], executor: Executor, cache: LintCache | undefined, notices: Notice[], meanwhile?: Meanwhile): ScanOk[] {
  const remembered = files.map((f) => cache?.scanOf(f, fs.statSync(f, { throwIfNoEntry: false })));
  const fresh = new Map(executor.scan(files.filter((_, i) => !remembered[i]), cache !== undefined, meanwhile).map((s) => [s.file, s]));
  return files.flatMap((file, i) => {
    const scan = remembered[i] ?? fresh.get(file)!;
    if ('error' in scan) {
      notices.push({ kind: 'unreadable-file', severity: 'warning', file, message: `cannot read ${file}: ${scan.error}` });
      return [];
    }
    if (!remembered[i]) cache?.rememberScan(scan);
    return [scan];
  });
}

type Slot = FileResult | LintRequest;
const isRequest = (slot: Slot): slot is LintRequest => 'rules' in slot;

/**
 * Per file, in order: left out (ignored), a result already (no trigger string that counts in this
 * project: `project` holds its conditions, undefined counts every trigger), or a request to lint.
 */
function planFiles(
  inputs: LintInput[], options: RunOptions, targets: TargetResolver, project: ReadonlySet<ProjectCondition> | undefined, rulesOf: RulesOfFile,
): Slot[] {
  return inputs.flatMap((input): Slot[] => {
    if (rulesOf.isIgnored(input.file)) return [];
    const rules = rulesOf(input.file);
    const relative = path.relative(options.cwd, input.file) || path.basename(input.file);
    const passes = input.scan ? passesTriggers(input.scan.triggers, rules, project) : passesPrefilter(input.text!, rules, project);
    // Unused-directive reports need every file's directives, so that option sends every file to lintSource.
    if (!passes && !options.noPrefilter && !options.reportUnusedDirectives) return [{ file: relative, findings: [], notices: [], skipped: true }];
    return [{
      file: input.file, relative, rules: choicesOf(rules), target: targets.settingsFor(input.file), project: targets.projectFor(input.file),
      otherTargets: targets.otherTargetsFor(input.file), text: input.text,
      reportUnusedDirectives: options.reportUnusedDirectives, noPrefilter: Boolean(options.noPrefilter), eagerView: options.eagerView,
      ...(options.allTriggers ? { allTriggers: true } : {}),
    }];
  });
}

/** The rules enabled for a file by its config, and whether the config ignores it. */
interface RulesOfFile {
  (file: string): EnabledRule[];
  isIgnored(file: string): boolean;
}

/** `rulesForFile`, worked out once per config when no layer has path overrides (the usual case). */
function rulesPerFile(options: RunOptions): RulesOfFile {
  const finder = new ConfigFinder(options);
  const known = new WeakMap<ConfigLayer[], EnabledRule[]>();
  const relativeTo = (file: string) => (l: ConfigLayer) => path.relative(l.dir, file);
  const rulesOf = (file: string): EnabledRule[] => {
    const layers = finder.layersFor(file);
    if (layers.some((l) => l.overrides.length > 0)) return rulesForFile(relativeTo(file), layers, ruleSets, options.cliRules);
    let rules = known.get(layers);
    if (!rules) known.set(layers, (rules = rulesForFile(relativeTo(file), layers, ruleSets, options.cliRules)));
    return rules;
  };
  return Object.assign(rulesOf, { isIgnored: (file: string) => isIgnored(file, finder.layersFor(file), relativeTo(file)) });
}

/** The rules that read the project-wide reach map (`RuleMeta.needsWholeIndex`). */
const WHOLE_INDEX_RULES = new Set(allRules.filter((r) => r.meta.needsWholeIndex).map((r) => r.meta.id));

/** A project index, with the digest of the facts merged into it (for the cache's result keys). */
interface DigestedIndex {
  index: ProjectIndex;
  digest: string;
}

/** Lints requests in passes, each against its index: cached outcomes from the cache, the rest linted. */
class PassLinter {
  private readonly outcomes = new Map<LintRequest, LintOutcome>();
  private readonly hashes: Map<string, string | undefined>;
  private readonly launchModes = new WeakMap<ProjectIndex, Record<string, string[]>>();

  constructor(
    private readonly options: RunOptions, inputs: LintInput[], private readonly executor: Executor,
    private readonly targets: TargetResolver, private readonly cache: LintCache | undefined,
  ) {
    this.hashes = new Map(inputs.map((i) => [i.file, i.scan?.hash]));
  }

  /** The chosen facts merged in path order (then the other files of single files' projects). */
  indexOf(candidates: Candidate[], chosen: ReadonlyMap<Candidate, FileFacts>): DigestedIndex {
    const index = new ProjectIndex();
    const hashes: string[] = [];
    for (const c of candidates) {
      const facts = chosen.get(c);
      if (!facts) continue;
      index.addFacts(facts);
      if (this.cache) hashes.push(c.factsHash ?? hashOf(JSON.stringify(facts)));
    }
    return { index, digest: this.cache ? indexDigest(hashes) : '' };
  }

  lint(requests: LintRequest[], index: DigestedIndex, options: LintOptions = {}): void {
    this.lintWith(requests, index, (toLint) => this.executor.lint(toLint, index.index, options));
  }

  /** In this thread, whatever the run's size (a step of this thread's work while the workers lint). */
  lintHere(requests: LintRequest[], index: DigestedIndex): void {
    this.lintWith(requests, index, (toLint) => this.executor.lintHere(toLint, index.index));
  }

  private lintWith(requests: LintRequest[], { index, digest }: DigestedIndex, lint: (toLint: LintRequest[]) => LintOutcome[]): void {
    if (requests.length === 0) return;
    const launchModesByFile = this.launchModesOf(index);
    for (const request of requests) request.launchModesByFile = launchModesByFile;
    const keys = new Map(requests.map((r) => [r, this.cache ? this.keyOf(r, digest) : '']));
    const toLint: LintRequest[] = [];
    for (const r of requests) {
      const cached = withSource(this.cache?.resultOf(r.file, keys.get(r)!), r);
      if (cached) this.outcomes.set(r, cached);
      else toLint.push(r);
    }
    lint(toLint).forEach((outcome, i) => {
      this.outcomes.set(toLint[i]!, outcome);
      this.cache?.rememberResult(toLint[i]!.file, keys.get(toLint[i]!)!, outcome);
    });
  }

  /** Worked out once per index: a request at a time is linted against the whole index. */
  private launchModesOf(index: ProjectIndex): Record<string, string[]> {
    let modes = this.launchModes.get(index);
    if (!modes) this.launchModes.set(index, (modes = this.targets.launchModesByFile(index)));
    return modes;
  }

  /** The workers' copy of the last index is not needed any more. */
  releaseIndex(meanwhile?: Meanwhile): void {
    this.executor.releaseIndex(meanwhile);
  }

  hasLinted(request: LintRequest): boolean {
    return this.outcomes.has(request);
  }

  outcomeOf(request: LintRequest): LintOutcome {
    return this.outcomes.get(request)!;
  }

  private keyOf(r: LintRequest, digest: string): string {
    return resultKey({
      contentHash: r.text === undefined ? this.hashes.get(r.file)! : hashOf(r.text), relative: r.relative, rules: r.rules, target: r.target, project: r.project, otherTargets: r.otherTargets, launchModesByFile: r.launchModesByFile,
      reportUnusedDirectives: r.reportUnusedDirectives, noPrefilter: r.noPrefilter, indexDigest: digest, version: this.options.cache!.version,
    });
  }
}

/** A cached result with findings gets its text back (fixes apply to it); the file is unchanged since it was linted. */
function withSource(outcome: LintOutcome | undefined, request: LintRequest): LintOutcome | undefined {
  if (!outcome || !('result' in outcome) || outcome.result.findings.length === 0) return outcome;
  return { result: { ...outcome.result, source: request.text ?? decodeSource(fs.readFileSync(request.file)) } };
}
