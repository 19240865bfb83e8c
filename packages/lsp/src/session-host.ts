/**
 * The `LintHost` of `bglint lsp`: the lint session's own config lookup, target resolution, project
 * index and engine (the rest of packages/lsp knows nothing of files on disk beyond what this host tells it).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, ProjectIndex, languageOf, lintProjectFile, lintSource, parseRuleSetting, plistFacts } from '@bglint/core';
import type { EnabledRule, FileResult, RuleSetting } from '@bglint/core';
import { rulesById } from '@bglint/rules';
import { readPlist } from '@bglint/project';
import { ConfigFinder, TargetResolver, discoverFiles, loadLayer, rulesFor } from '@bglint/session';
import type { FolderLinter, FolderOptions, LintHost } from './host';

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
  return {
    lint(file, text, parseCache) {
      const rules = rulesFor(file, finder, settingRules);
      if (!rules) return undefined;
      const language = languageOf(file);
      if (!language) return lintPropertyList(file, text, rules, index());
      return lintSource({
        file, text, language, rules, index: index(), target: targets.settingsFor(file), project: targets.projectFor(file),
        otherTargets: targets.otherTargetsFor(file), parseCache,
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
 * A folder's cross-file index over the sources on disk. The index cannot forget a file, so a change
 * re-reads that one file and rebuilds the index from the texts in memory, lazily, at the next lint.
 */
class SourceIndex {
  private texts: Map<string, string> | undefined;
  private index: ProjectIndex | undefined;

  constructor(private readonly root: string) {}

  current(): ProjectIndex {
    this.texts ??= new Map(discoverFiles(this.root, ['.']).flatMap((file) => withText(file)));
    if (!this.index) {
      this.index = new ProjectIndex();
      for (const [file, text] of this.texts) this.index.addFile(file, text, languageOf(file)!);
    }
    return this.index;
  }

  fileChanged(file: string): void {
    if (!this.texts || path.relative(this.root, file).startsWith('..')) return;
    this.texts.delete(file);
    for (const [f, text] of withText(file)) this.texts.set(f, text);
    this.index = undefined;
  }
}

/** The file and its text, or nothing when it cannot be read (gone, or unreadable: linting it says why). */
function withText(file: string): [string, string][] {
  try {
    return [[file, fs.readFileSync(file, 'utf8')]];
  } catch {
    return [];
  }
}
