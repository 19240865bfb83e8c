/**
 * `bglint lsp`: the language server, given the CLI's own config lookup, target resolution, project
 * index and engine (packages/lsp knows nothing of files on disk beyond what this host tells it).
 */
import * as fs from 'node:fs';
import { ConfigError, ProjectIndex, languageOf, lintSource, parseRuleSetting } from '@bglint/core';
import type { RuleSetting } from '@bglint/core';
import { rulesById } from '@bglint/rules';
import { startServer } from '@bglint/lsp';
import { readPlist } from '@bglint/project';
import type { FolderLinter, FolderOptions, LintHost } from '@bglint/lsp';
import { discoverFiles } from './lint';
import { ConfigFinder, TargetResolver, loadLayer, rulesFor } from './project-context';

export function startLanguageServer(): void {
  startServer(createHost());
}

function createHost(): LintHost {
  // The lexical index depends on sources only, so it outlives config reloads.
  const indexes = new Map<string, ProjectIndex>();
  const indexOf = (root: string) => {
    let index = indexes.get(root);
    if (!index) indexes.set(root, (index = indexSources(root)));
    return index;
  };
  return {
    openFolder: (root, options) => openFolder(root, options, () => (options.indexSources ? indexOf(root) : new ProjectIndex())),
    checkPropertyList(file, text) {
      const plist = readPlist(text, file);
      if (plist.ok) return [];
      const at = { line: plist.error.line ?? 1, column: plist.error.column ?? 1 };
      return [{ kind: 'project-file', severity: 'error', file, range: { start: at, end: at }, message: plist.error.message }];
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
      return lintSource({ file, text, language: languageOf(file) ?? 'swift', rules, index: index(), target: targets.settingsFor(file), parseCache });
    },
  };
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

function indexSources(root: string): ProjectIndex {
  const index = new ProjectIndex();
  for (const file of discoverFiles(root, ['.'])) {
    try {
      index.addFile(file, fs.readFileSync(file, 'utf8'), languageOf(file)!);
    } catch {
      // Unreadable files are simply not indexed; linting them reports why.
    }
  }
  return index;
}
