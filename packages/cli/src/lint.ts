/**
 * The run: discover files, read each once (index + prefilter), resolve config and target per file,
 * lint, and gather one report. All file IO of a run happens here, at the edge.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fg from 'fast-glob';
import ignore from 'ignore';
import {
  CONFIG_FILE_NAMES, ConfigError, ProjectIndex, isIgnored, languageOf, lintSource, parseConfig, passesPrefilter, rulesForFile,
} from '@bglint/core';
import type { ConfigLayer, EnabledRule, FileResult, LintReport, Notice, ProjectFacts, ProjectFactsBuilder, RuleSetting, TargetSettings } from '@bglint/core';
import { allRules, ruleSets, rulesById, ruleSummary } from '@bglint/rules';
import { explicitFilesContext } from './project-context';
import type { SourceText } from './project-context';
import { lintProjectFiles, projectFactsBuilder, projectFileNotices } from './project-files';


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

/** Config layers from the outermost applicable config file down to the file's folder. */
class ConfigFinder {
  private readonly byDir = new Map<string, ConfigLayer[]>();
  private readonly single?: ConfigLayer[];

  constructor(private readonly options: RunOptions) {
    if (options.noConfig) this.single = [];
    else if (options.configFile) {
      const file = path.resolve(options.cwd, options.configFile);
      this.single = [loadLayer(file)];
    }
  }

  layersFor(file: string): ConfigLayer[] {
    return this.single ?? this.forDir(path.dirname(file));
  }

  private forDir(dir: string): ConfigLayer[] {
    const cached = this.byDir.get(dir);
    if (cached) return cached;
    const own = CONFIG_FILE_NAMES.map((n) => path.join(dir, n)).find((f) => fs.existsSync(f));
    const layer = own ? loadLayer(own) : undefined;
    const parent = path.dirname(dir);
    const outer = layer?.root || parent === dir ? [] : this.forDir(parent);
    const layers = layer ? [...outer, layer] : outer;
    this.byDir.set(dir, layers);
    return layers;
  }
}

function loadLayer(file: string): ConfigLayer {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(file, '', 'cannot be read');
  }
  return parseConfig(text, file, path.dirname(file), rulesById);
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
    const layers = finder.layersFor(file);
    const relativeTo = (l: ConfigLayer) => path.relative(l.dir, file);
    if (isIgnored(file, layers, relativeTo)) continue;
    const rules = rulesForFile(relativeTo, layers, ruleSets, options.cliRules);
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
  if (!options.stdin) results.push(...targets.lintProjectFiles(index, (file) => {
    const layers = finder.layersFor(file);
    const relativeTo = (l: ConfigLayer) => path.relative(l.dir, file);
    return isIgnored(file, layers, relativeTo) ? undefined : rulesForFile(relativeTo, layers, ruleSets, options.cliRules);
  }));
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

/** Swift language mode and default isolation per source file, from the project files (loaded lazily). */
class TargetResolver {
  private model: import('@bglint/project').ProjectModel | undefined;
  private loaded = false;
  private readonly facts: ProjectFactsBuilder;
  /** The folders being linted (files given one by one bring no project files of their own). */
  private readonly folders: string[];

  constructor(private readonly cwd: string, private readonly paths: string[]) {
    this.facts = projectFactsBuilder(cwd);
    this.folders = (paths.length ? paths : ['.']).map((p) => path.resolve(cwd, p)).filter((p) => fs.statSync(p, { throwIfNoEntry: false })?.isDirectory());
  }

  settingsFor(file: string): TargetSettings {
    const target = this.load()?.targetFor(file);
    if (!target) return {};
    return {
      swiftLanguageMode: target.swiftLanguageMode === undefined ? undefined : Number(target.swiftLanguageMode),
      defaultIsolation: target.defaultIsolation === 'MainActor' ? 'MainActor' : target.defaultIsolation === undefined ? undefined : 'nonisolated',
    };
  }

  /** Malformed or unreadable project files, at their line. */
  notices(cwd: string): Notice[] {
    return projectFileNotices(this.model, cwd);
  }

  /** The Info.plist and entitlements of the file's target, for rules; undefined outside every target. */
  projectFor(file: string): ProjectFacts | undefined {
    const target = this.load()?.targetFor(file);
    return target ? this.facts.factsFor(target) : undefined;
  }

  /** Info.plist and entitlements files in the linted folders, checked by the rules that read them. */
  lintProjectFiles(index: ProjectIndex, rulesFor: (file: string) => EnabledRule[] | undefined): FileResult[] {
    const model = this.load();
    return model && this.folders.length ? lintProjectFiles(model, this.cwd, this.folders, rulesFor, index) : [];
  }

  private load() {
    if (this.loaded) return this.model;
    this.loaded = true;
    const root = path.resolve(this.cwd, this.paths.find((p) => fs.statSync(path.resolve(this.cwd, p), { throwIfNoEntry: false })?.isDirectory()) ?? '.');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { resolveProject } = require('@bglint/project') as typeof import('@bglint/project');
    this.model = resolveProject(root);
    return this.model;
  }
}
