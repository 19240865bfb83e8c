/**
 * What the server needs from the linter, given to it by the CLI: the CLI's own config lookup, target
 * resolution, project index and engine, so the editor and the command line can never disagree.
 */
import type { ConfigError, FileResult, ParseCache } from '@bglint/core';

/** Lints the files of one workspace folder (or the folder of a file outside every workspace folder). */
export interface FolderLinter {
  /**
   * Lints one source, Info.plist or entitlements file's (unsaved) text, with the CLI's rules.
   * Undefined when the config ignores the file; throws ConfigError
   * when a config file that applies to it is broken. `parseCache` holds the buffer's previous tree.
   */
  lint(file: string, text: string, parseCache?: ParseCache): FileResult | undefined;
}

export interface FolderOptions {
  /** A config file that replaces the lookup upward from each file (the `configFile` setting). */
  configFile?: string;
  /** Rule settings on top of the config files (the `rules` setting), as a config file spells them. */
  rules: Record<string, unknown>;
  /** Index the folder's sources for cross-file facts (false for a lone file outside every folder). */
  indexSources: boolean;
}

export interface LintHost {
  /** Throws ConfigError when the `configFile` or `rules` settings are invalid. */
  openFolder(root: string, options: FolderOptions): FolderLinter;
  /** The error in one config file, or undefined when it is valid. */
  checkConfigFile(file: string): ConfigError | undefined;
  /** A source file changed on disk (saved, or a branch switched): update the cross-file index. */
  sourceChanged(file: string): void;
  /** An open buffer's unsaved text (undefined when closed): the index reads it instead of the disk. */
  bufferChanged(file: string, text: string | undefined): FactsChange;
}

/** What a file's change changed in the cross-file index, so the other open files it affects are linted again. */
export interface FactsChange {
  /** Types the file declares or extends (before or after the change) whose facts may differ. */
  types: string[];
  /** Facts that are not a type's changed (globals, task registrations): every open file may be affected. */
  all: boolean;
}
