/**
 * The run: discover files, read each once (index + prefilter), resolve config and target per file,
 * lint, and gather one report. All file IO of a run happens here, at the edge.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fg from 'fast-glob';
import ignore from 'ignore';
import { ProjectIndex, languageOf, lintSource, passesPrefilter, rulesForFile } from '@bglint/core';
import type { FileResult, LintReport, Notice, RuleSetting } from '@bglint/core';
import { allRules, ruleSets, ruleSummary } from '@bglint/rules';
import { explicitFilesContext } from './project-context';
import type { SourceText } from './project-context';
import { ConfigFinder, TargetResolver, rulesFor } from './lint-context';


export interface RunOptions {
  cwd: string;
  paths: string[];
  configFile?: string;
  noConfig: boolean;
  cliRules: Record<string, RuleSetting>;
  reportUnusedDirectives: boolean;
  stdin?: { text: string; filename: string };
}

const SOURCE_GLOB = '**/*.{swift,m,mm,h}';
const ALWAYS_IGNORED = ['**/node_modules/**', '**/.git/**', '**/Pods/**', '**/Carthage/**', '**/.build/**', '**/DerivedData/**'];

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
    for (const rel of fg.sync(SOURCE_GLOB, { cwd: abs, ignore: ALWAYS_IGNORED, dot: false, followSymbolicLinks: false })) {
      if (!ig.ignores(rel)) files.add(path.join(abs, rel));
    }
  }
  return [...files].sort();
}

export class UsageErrorForPath extends Error {}

function gitignoreOf(dir: string) {
  const ig = ignore();
  const file = path.join(dir, '.gitignore');
  if (fs.existsSync(file)) ig.add(fs.readFileSync(file, 'utf8'));
  return ig;
}

export function configFor(options: RunOptions, file: string) {
  const finder = new ConfigFinder(options);
  const layers = finder.layersFor(path.resolve(options.cwd, file));
  return { layers, rules: rulesForFile((l) => path.relative(l.dir, path.resolve(options.cwd, file)), layers, ruleSets, options.cliRules) };
}

/** Other sources of the project when single files are linted (pre-commit, stdin from an editor). */
function contextOfExplicitFiles(options: RunOptions, linted: SourceText[]): SourceText[] {
  const explicit = options.stdin ? [path.resolve(options.cwd, options.stdin.filename)] : options.paths
    .map((p) => path.resolve(options.cwd, p))
    .filter((p) => fs.statSync(p, { throwIfNoEntry: false })?.isFile());
  const sources = (root: string) => discoverFiles(root, ['.']).filter((f) => languageOf(f) !== undefined);
  return explicitFilesContext(explicit, linted, sources, (file) => readSource(file, []));
}

export function runLint(options: RunOptions): LintReport {
  const finder = new ConfigFinder(options);
  const notices: Notice[] = [];
  const index = new ProjectIndex();
  const inputs: { file: string; text: string }[] = [];
  const files = options.stdin ? [] : discoverFiles(options.cwd, options.paths);
  for (const file of files) {
    const text = readSource(file, notices);
    if (text === undefined) continue;
    const language = languageOf(file)!;
    index.addFile(file, text, language);
    inputs.push({ file, text });
  }
  if (options.stdin) {
    const file = path.resolve(options.cwd, options.stdin.filename);
    index.addFile(file, options.stdin.text, languageOf(file) ?? 'swift');
    inputs.push({ file, text: options.stdin.text });
  }
  for (const context of contextOfExplicitFiles(options, inputs)) index.addFile(context.file, context.text, languageOf(context.file)!);
  const targets = new TargetResolver(options.cwd, options.paths);
  const results: FileResult[] = [];
  for (const { file, text } of inputs) {
    const rules = rulesFor(file, finder, options.cliRules);
    if (!rules) continue;
    const relative = path.relative(options.cwd, file) || path.basename(file);
    if (!passesPrefilter(text, rules) && !options.reportUnusedDirectives) {
      results.push({ file: relative, findings: [], notices: [], skipped: true });
      continue;
    }
    try {
      results.push(lintSource({
        file: relative, text, language: languageOf(file) ?? 'swift', rules, index,
        target: targets.settingsFor(file), project: targets.projectFor(file), reportUnusedDirectives: options.reportUnusedDirectives,
      }));
    } catch (error) {
      notices.push({ kind: 'rule-crash', severity: 'warning', file: relative, message: `${relative} could not be analyzed: ${(error as Error).message}` });
    }
  }
  if (!options.stdin) results.push(...targets.lintProjectFiles(index, (file) => rulesFor(file, finder, options.cliRules)));
  notices.push(...targets.notices(options.cwd));
  return { results, notices, rules: allRules.map(ruleSummary), root: options.cwd };
}

function readSource(file: string, notices: Notice[]): string | undefined {
  try {
    const buffer = fs.readFileSync(file);
    return buffer.toString('utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    notices.push({ kind: 'unreadable-file', severity: 'warning', file, message: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? error}` });
    return undefined;
  }
}
