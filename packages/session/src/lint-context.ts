/**
 * What a file is linted with, found from the files around it: the config layers that apply to it
 * (and so its rules) and its target's settings and project facts from the project files. Shared by
 * the CLI run and the language server, so both resolve config and targets the same way.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFIG_FILE_NAMES, ConfigError, backgroundLaunchModes, isIgnored, launchEntryFiles, parseConfig, processInfoPlist, rulesForFile } from '@bglint/core';
import type { ConfigLayer, EnabledRule, FileResult, Notice, ProjectFacts, ProjectFactsBuilder, ProjectIndex, RuleSetting, TargetFacet, TargetSettings } from '@bglint/core';
import { ruleSets, rulesById } from '@bglint/rules';
import { choicesOf, hashOf } from './file-jobs';
import { lintProjectFiles, projectFactsBuilder, projectFileNotices, projectFileRules, projectFilesToLint } from './project-files';
import { memoHolds, recordingFileSystem } from './project-memo';
import type { ProjectFactsMemo, ProjectFilesMemo, ProjectMemo } from './project-memo';

/** Which config files to use: found upward from each file, one given file, or none. */
export interface ConfigChoice {
  cwd: string;
  configFile?: string;
  noConfig: boolean;
}

/** Config layers from the outermost applicable config file down to the file's folder. */
export class ConfigFinder {
  private readonly byDir = new Map<string, ConfigLayer[]>();
  private readonly single?: ConfigLayer[];

  constructor(private readonly options: ConfigChoice) {
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

/** Reads and validates one config file; throws ConfigError naming the file and the bad key. */
export function loadLayer(file: string): ConfigLayer {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(file, '', 'cannot be read');
  }
  return parseConfig(text, file, path.dirname(file), rulesById);
}

/** The rules enabled for a file, or undefined when its config ignores it. */
export function rulesFor(file: string, finder: ConfigFinder, extraRules: Record<string, RuleSetting>): EnabledRule[] | undefined {
  const layers = finder.layersFor(file);
  const relativeTo = (l: ConfigLayer) => path.relative(l.dir, file);
  if (isIgnored(file, layers, relativeTo)) return undefined;
  return rulesForFile(relativeTo, layers, ruleSets, extraRules);
}

/**
 * Per source file, from the project files (loaded lazily): Swift language mode and default isolation,
 * and the target's Info.plist and entitlements. With `--cache`, the settings of the last run are reused
 * while the project files they were read from are unchanged.
 */
export class TargetResolver {
  private model: import('@bglint/project').ProjectModel | undefined;
  private loaded = false;
  private readonly root: string;
  private recording?: ReturnType<typeof recordingFileSystem>;
  private readonly settings: Record<string, TargetSettings> = {};
  /** This run's Info.plist and entitlements results, for the memo. */
  private projectFiles?: ProjectFilesMemo;
  /** Files whose project facts were asked (`projectFor`, `otherTargetsFor`): the memo keeps theirs. */
  private readonly askedFacts = new Set<string>();
  private readonly facts: ProjectFactsBuilder;
  /** The folders being linted (files given one by one bring no project files of their own). */
  private readonly folders: string[];

  constructor(private readonly cwd: string, paths: string[], private readonly memo?: ProjectMemo) {
    this.facts = projectFactsBuilder(cwd);
    this.folders = (paths.length ? paths : ['.']).map((p) => path.resolve(cwd, p)).filter((p) => fs.statSync(p, { throwIfNoEntry: false })?.isDirectory());
    this.root = path.resolve(cwd, paths.find((p) => fs.statSync(path.resolve(cwd, p), { throwIfNoEntry: false })?.isDirectory()) ?? '.');
    if (!memoHolds(memo, this.root)) this.memo = undefined;
  }

  settingsFor(file: string): TargetSettings {
    if (this.settings[file]) return this.settings[file];
    const known = this.loaded ? undefined : this.memo?.settings[file];
    this.settings[file] = known ?? this.resolve(file);
    return this.settings[file];
  }

  /** Reads the Xcode projects now in a run over folders, which always needs them (`lintProjectFiles`). */
  prepare(): void {
    if (this.folders.length > 0) this.load();
  }

  /** Malformed or unreadable project files, at their line (from the last run's memo when nothing was loaded). */
  notices(cwd: string): Notice[] {
    return projectFileNotices(this.loaded || !this.memo ? this.model?.errors ?? [] : this.memo.errors, cwd);
  }

  /** The Info.plist and entitlements of the file's target, for rules; undefined outside every target. */
  projectFor(file: string): ProjectFacts | undefined {
    this.askedFacts.add(file);
    const known = this.rememberedFacts(file);
    if (known) return known.project;
    const target = this.load()?.targetFor(file);
    return target ? this.facts.factsFor(target) : undefined;
  }

  /**
   * The file's other targets (after the one `settingsFor`/`projectFor` describe), each with its settings
   * and facts; test targets only when nothing else compiles the file. Undefined for a file of one target.
   */
  otherTargetsFor(file: string): TargetFacet[] | undefined {
    this.askedFacts.add(file);
    const known = this.rememberedFacts(file);
    if (known) return known.others;
    const all = this.load()?.targetsFor(file) ?? [];
    const others = all.slice(1).filter((t) => !/test/i.test(t.productType ?? ''));
    if (others.length === 0) return undefined;
    return others.map((t) => ({ target: settingsOf(t), project: this.facts.factsFor(t) }));
  }

  /**
   * For each file of the index that declares launch code, the background modes under which iOS launches
   * its targets' apps (`RuleContext.launchModesByFile`); files outside every target are left out.
   */
  launchModesByFile(index: ProjectIndex): Record<string, string[]> {
    const byFile: Record<string, string[]> = {};
    for (const file of launchEntryFiles(index)) {
      const projects = [this.projectFor(file), ...(this.otherTargetsFor(file) ?? []).map((t) => t.project)].filter((p) => p !== undefined);
      if (projects.length) byFile[file] = [...new Set(projects.flatMap((p) => backgroundLaunchModes(processInfoPlist(p), index)))];
    }
    return byFile;
  }

  /**
   * Info.plist and entitlements files in the linted folders, checked by the rules that read them; the last
   * run's results while nothing they depend on changed (`ProjectFilesMemo`): the project files, the index
   * (`indexDigest`), the rules. Only `--cache` runs have a memo and a digest.
   */
  lintProjectFiles(index: ProjectIndex, indexDigest: string, rulesFor: (file: string) => EnabledRule[] | undefined): FileResult[] {
    if (this.folders.length === 0) return [];
    const remembered = this.loaded ? undefined : this.memo?.projectFiles;
    if (remembered && remembered.key === this.projectFilesKey(remembered.files, indexDigest, rulesFor)) {
      this.projectFiles = remembered;
      return remembered.results;
    }
    const model = this.load();
    if (!model) return [];
    const files = projectFilesToLint(model, this.folders).map((d) => d.document.file);
    const results = lintProjectFiles(model, this.cwd, this.folders, rulesFor, index);
    this.projectFiles = { key: this.projectFilesKey(files, indexDigest, rulesFor), files, results };
    return results;
  }

  private projectFilesKey(files: string[], indexDigest: string, rulesFor: (file: string) => EnabledRule[] | undefined): string {
    const rules = files.map((file) => choicesOf(projectFileRules(rulesFor, file)));
    return hashOf(JSON.stringify({ cwd: this.cwd, folders: this.folders, indexDigest, files, rules }));
  }

  /** What to remember for the next run (undefined when nothing was asked, so the old memo stays). */
  toMemo(): ProjectMemo | undefined {
    if (!this.loaded) return this.memo;
    return {
      root: this.root, reads: this.recording!.reads, lists: this.recording!.lists, settings: this.settings, facts: this.factsMemo(),
      ...(this.projectFiles ? { projectFiles: this.projectFiles } : {}),
      errors: (this.model?.errors ?? []).map(({ file, message, line, column }) => ({ file, message, line, column })),
    };
  }

  /** The project facts the last run's memo holds for the file, while nothing was loaded in this run. */
  private rememberedFacts(file: string): { project?: ProjectFacts; others?: TargetFacet[] } | undefined {
    const memo = this.loaded ? undefined : this.memo?.facts;
    const entry = memo?.cwd === this.cwd ? memo.byFile[file] : undefined;
    if (!memo || !entry) return undefined;
    const facts = (id: number | null) => (id === null ? undefined : memo.targets[id]);
    return { project: facts(entry.project), others: entry.others?.map((o) => ({ target: o.target, project: facts(o.project) })) };
  }

  /** The facts of the files asked in this run, from the loaded project files (a target's facts are one object). */
  private factsMemo(): ProjectFactsMemo {
    const memo: ProjectFactsMemo = { cwd: this.cwd, targets: [], byFile: {} };
    const ids = new Map<ProjectFacts, number>();
    const id = (facts: ProjectFacts | undefined) => {
      if (!facts) return null;
      if (!ids.has(facts)) ids.set(facts, memo.targets.push(facts) - 1);
      return ids.get(facts)!;
    };
    for (const file of this.askedFacts) {
      const others = this.otherTargetsFor(file)?.map((o) => ({ target: o.target, project: id(o.project) }));
      memo.byFile[file] = { project: id(this.projectFor(file)), ...(others ? { others } : {}) };
    }
    return memo;
  }

  private resolve(file: string): TargetSettings {
    const target = this.load()?.targetFor(file);
    return target ? settingsOf(target) : {};
  }

  private load() {
    if (this.loaded) return this.model;
    this.loaded = true;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { resolveProject, nodeFileSystem } = require('@bglint/project') as typeof import('@bglint/project');
    this.recording = recordingFileSystem(nodeFileSystem);
    this.model = resolveProject(this.root, { fs: this.recording.fs });
    return this.model;
  }
}

/** What rules read of a target's build settings. */
function settingsOf(target: import('@bglint/project').TargetFacts): TargetSettings {
  return {
    swiftLanguageMode: target.swiftLanguageMode === undefined ? undefined : Number(target.swiftLanguageMode),
    defaultIsolation: target.defaultIsolation === 'MainActor' ? 'MainActor' : target.defaultIsolation === undefined ? undefined : 'nonisolated',
  };
}
