/**
 * Workspace folders and their linters. A file belongs to the deepest folder that holds it; a file
 * outside every folder is linted from its own folder (its nearest config still applies). Each
 * folder keeps the last linter whose config loaded, used while the config on disk is broken.
 */
import * as path from 'node:path';
import { ConfigError } from '@bglint/core';
import type { FileResult, ParseCache } from '@bglint/core';
import type { FolderLinter, LintHost } from './host';
import type { Settings } from './settings';

interface FolderState {
  current?: FolderLinter;
  lastGood?: FolderLinter;
}

export class Folders {
  private roots: string[] = [];
  private readonly states = new Map<string, FolderState>();

  /** `settingsFor(root)`: a folder's own `configFile` and `rules` settings (workspace/configuration by scope). */
  constructor(private readonly host: LintHost, private readonly settingsFor: (root: string) => Settings) {}

  get workspaceRoots(): readonly string[] {
    return this.roots;
  }

  setRoots(roots: string[]): void {
    this.roots = [...roots].sort((a, b) => b.length - a.length);
    this.states.clear();
  }

  /** Workspace folders added and removed while the server runs. */
  changeRoots(added: string[], removed: string[]): void {
    this.setRoots([...this.roots.filter((r) => !removed.includes(r)), ...added]);
  }

  /** Forget loaded configs and project files (they changed on disk); keep the last good ones. */
  reload(): void {
    for (const state of this.states.values()) state.current = undefined;
  }

  /** Lints with the file's folder linter; on a broken config reports it and lints with the last good one. */
  lint(file: string, text: string, parseCache: ParseCache, onConfigError: (error: ConfigError) => void): FileResult | undefined {
    const root = this.rootOf(file);
    const state = this.stateOf(root);
    try {
      state.current ??= this.open(root);
      const result = state.current.lint(file, text, parseCache);
      state.lastGood = state.current;
      return result;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      onConfigError(error);
      if (state.lastGood && state.lastGood !== state.current) return state.lastGood.lint(file, text, parseCache);
      throw error;
    }
  }

  private rootOf(file: string): string {
    return this.roots.find((root) => isInside(file, root)) ?? path.dirname(file);
  }

  private stateOf(root: string): FolderState {
    let state = this.states.get(root);
    if (!state) this.states.set(root, (state = {}));
    return state;
  }

  private open(root: string): FolderLinter {
    const { configFile, rules } = this.settingsFor(root);
    return this.host.openFolder(root, {
      configFile: configFile && path.resolve(root, configFile),
      rules,
      indexSources: this.roots.includes(root),
    });
  }
}

function isInside(file: string, folder: string): boolean {
  const rel = path.relative(folder, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
