/**
 * The `LintHost` of `bglint lsp`: the lint session's own config lookup, target resolution, project
 * index and engine (the rest of packages/lsp knows nothing of files on disk beyond what this host tells it).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, ProjectIndex, languageOf, lexFile, lintProjectFile, lintSource, parseRuleSetting, plistFacts } from '@bglint/core';
import type { EnabledRule, FileFacts, FileResult, RuleSetting } from '@bglint/core';
import { rulesById } from '@bglint/rules';
import { readPlist } from '@bglint/project';
import { ConfigFinder, TargetResolver, discoverFiles, loadLayer, rulesFor } from '@bglint/session';
import type { FactsChange, FolderLinter, FolderOptions, LintHost } from './host';

export function createSessionHost(): LintHost {
  // The lexical index depends on sources only, so it outlives config reloads.
  const indexes = new Map<string, SourceIndex>();
  const indexOf = (root: string) => {
    let index = indexes.get(root);
    if (!index) indexes.set(root, (index = new SourceIndex(root)));
    return index.current();
  };
  return {
    openFolder: (root, options) => openFolder(root, options, () => (options.indexSources ? indexOf(root) : new ProjectIndex())),
    sourceChanged(file) {
      for (const index of indexes.values()) index.fileChanged(file);
    },
    bufferChanged(file, text) {
      const changes = [...indexes.values()].map((index) => index.bufferChanged(file, text));
      return { types: [...new Set(changes.flatMap((c) => c.types))], all: changes.some((c) => c.all) };
    },
    checkConfigFile(file) {
      try {
        loadLayer(file);
        return undefined;
      } catch (error) {
        if (error instanceof ConfigError) return error;
        throw error;
      }
    },
  };
}

function openFolder(root: string, options: FolderOptions, index: () => ProjectIndex): FolderLinter {
  const finder = new ConfigFinder({ cwd: root, configFile: options.configFile, noConfig: false });
  const targets = new TargetResolver(root, ['.']);
  const settingRules = ruleSettings(options.rules);
  // Kept until the index gains facts: asked on every keystroke, it changes only with the project's types.
  let launchModes: { index: ProjectIndex; revision: number; byFile: Record<string, string[]> } | undefined;
  const launchModesByFile = (current: ProjectIndex) => {
    if (launchModes?.index !== current || launchModes.revision !== current.revision) {
      launchModes = { index: current, revision: current.revision, byFile: targets.launchModesByFile(current) };
    }
    return launchModes.byFile;
  };
  return {
    lint(file, text, parseCache) {
      const rules = rulesFor(file, finder, settingRules);
      if (!rules) return undefined;
      const language = languageOf(file);
      if (!language) return lintPropertyList(file, text, rules, index());
      // lintSource runs only the rules whose triggers the buffer holds: without that, one trigger of any
      // rule made every rule run, and the session tracker lowered every body on every keystroke.
      return lintSource({
        file, text, language, rules, index: index(), target: targets.settingsFor(file), project: targets.projectFor(file),
        otherTargets: targets.otherTargetsFor(file), launchModesByFile: launchModesByFile(index()), parseCache,
      });
    },
  };
}

/** An open Info.plist or entitlements file: what does not parse, else the rules that check project files. */
function lintPropertyList(file: string, text: string, rules: EnabledRule[], index: ProjectIndex): FileResult {
  const plist = readPlist(text, file);
  if (!plist.ok) {
    const at = { line: plist.error.line ?? 1, column: plist.error.column ?? 1 };
    return { file, findings: [], notices: [{ kind: 'project-file', severity: 'error', file, range: { start: at, end: at }, message: plist.error.message }], skipped: false };
  }
  const kind = /Info\.plist$/.test(file) ? 'info-plist' : 'entitlements';
  return lintProjectFile({ file, kind, plist: plistFacts(plist, file), text, rules: rules.filter((r) => r.rule.checkProjectFile), index });
}

/** The `rules` setting, validated as a config file's `rules` would be. */
function ruleSettings(raw: Record<string, unknown>): Record<string, RuleSetting> {
  const out: Record<string, RuleSetting> = {};
  for (const [id, value] of Object.entries(raw)) {
    const rule = rulesById.get(id);
    if (!rule) throw new ConfigError('bglint.rules (editor settings)', id, 'unknown rule id (run bglint --list-rules)');
    out[id] = parseRuleSetting(value, 'bglint.rules (editor settings)', id, rule);
  }
  return out;
}

/**
 * A folder's cross-file index over its sources: the text on disk, or the open buffer's unsaved text
 * (what the editor shows is what the other files are linted against). Each file's lexical facts are
 * kept, so a change re-lexes that one file; the index is merged again from the facts, lazily, at the
 * next lint, and only when the file's facts changed.
 */
class SourceIndex {
  private texts: Map<string, string> | undefined;
  private readonly buffers = new Map<string, string>();
  private readonly facts = new Map<string, FileFacts>();
  private index: ProjectIndex | undefined;

  constructor(private readonly root: string) {}

  current(): ProjectIndex {
    this.texts ??= new Map(discoverFiles(this.root, ['.']).flatMap((file) => withText(file)));
    if (!this.index) {
      this.index = new ProjectIndex();
      const files = new Set([...this.texts.keys(), ...this.buffers.keys()]);
      for (const file of [...files].sort()) this.index.addFacts(this.factsOf(file)!);
    }
    return this.index;
  }

  fileChanged(file: string): void {
    if (!this.texts || !this.holds(file)) return;
    this.texts.delete(file);
    for (const [f, text] of withText(file)) this.texts.set(f, text);
    this.factsChanged(file);
  }

  /**
   * An open buffer's text (undefined once closed: the disk's again). Returns what other files' findings
   * may now differ by: the types the file declared or extended before or after, `all` when facts that
   * are not a type's changed (globals, task registrations), or nothing when its facts are the same.
   */
  bufferChanged(file: string, text: string | undefined): FactsChange {
    if (!this.holds(file) || this.buffers.get(file) === text) return NO_CHANGE;
    if (text === undefined) this.buffers.delete(file);
    else this.buffers.set(file, text);
    const change = this.factsChanged(file);
    return this.texts ? change : NO_CHANGE; // nothing was linted against the index yet

  }

  private factsChanged(file: string): FactsChange {
    const before = this.facts.get(file);
    this.facts.delete(file);
    const after = this.factsOf(file);
    if (JSON.stringify(before) === JSON.stringify(after)) return NO_CHANGE;
    this.index = undefined;
    const types = new Set([...(before?.types ?? []), ...(after?.types ?? [])].map((t) => t.name));
    const others = (facts: FileFacts | undefined) => JSON.stringify(facts ? { ...facts, types: [] } : undefined);
    return { types: [...types], all: others(before) !== others(after) };
  }

  private factsOf(file: string): FileFacts | undefined {
    let facts = this.facts.get(file);
    const text = this.buffers.get(file) ?? this.texts?.get(file);
    const language = languageOf(file);
    if (!facts && text !== undefined && language) this.facts.set(file, (facts = lexFile(file, text, language)));
    return facts;
  }

  private holds(file: string): boolean {
    return languageOf(file) !== undefined && !path.relative(this.root, file).startsWith('..');
  }
}

const NO_CHANGE: FactsChange = { types: [], all: false };

/** The file and its text, or nothing when it cannot be read (gone, or unreadable: linting it says why). */
function withText(file: string): [string, string][] {
  try {
    return [[file, fs.readFileSync(file, 'utf8')]];
  } catch {
    return [];
  }
}
