/**
 * Lints open documents from their unsaved text, once per version. Never throws: a lint that fails
 * keeps the document's last good result, and a rule that crashes keeps its own last findings.
 */
import type { Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { languageOf, ParseCache } from '@bglint/core';
import type { ConfigError, FileResult, Finding } from '@bglint/core';
import { toDiagnostics } from './convert';
import type { Folders } from './folders';
import { isPropertyList } from './watched-files';
import { URI } from './uri';

export interface LintedVersion {
  version: number;
  result: FileResult;
  diagnostics: Diagnostic[];
}

interface Entry extends LintedVersion {
  /** Results from before a config or project change are kept only as a fallback. */
  generation: number;
}

export interface DocumentLinterDeps {
  folders: Folders;
  onConfigError: (error: ConfigError) => void;
  log: (message: string) => void;
  docsUrl: (ruleId: string) => string;
}

export class DocumentLinter {
  private readonly entries = new Map<string, Entry>();
  /** Each open document's last tree, so an edit re-parses only what it touched. */
  private readonly trees = new Map<string, ParseCache>();
  private generation = 0;

  constructor(private readonly deps: DocumentLinterDeps) {}

  /** The result for the document's current version; undefined for a document bglint does not lint. */
  lint(document: TextDocument): LintedVersion | undefined {
    const previous = this.entries.get(document.uri);
    if (previous?.version === document.version && previous.generation === this.generation) return previous;
    const file = URI.toPath(document.uri);
    if (!file || !(languageOf(file) || isPropertyList(file))) return undefined;
    let result: FileResult;
    try {
      result = this.lintFile(file, document);
    } catch (error) {
      this.deps.log(`bglint could not lint ${file}; keeping its last result: ${(error as Error).stack ?? error}`);
      if (!previous) return undefined;
      result = { ...previous.result, findings: previous.result.findings.map(withoutEdits) };
    }
    result = keepCrashedRules(result, previous?.result);
    for (const notice of result.notices.filter((n) => n.kind === 'rule-crash' || n.kind === 'timeout')) this.deps.log(notice.message);
    const entry = { version: document.version, result, diagnostics: toDiagnostics(result, document.uri, this.deps.docsUrl), generation: this.generation };
    this.entries.set(document.uri, entry);
    return entry;
  }

  private lintFile(file: string, document: TextDocument): FileResult {
    return this.deps.folders.lint(file, document.getText(), this.treeOf(document.uri), this.deps.onConfigError) ?? ignored(file);
  }

  /** The last result for the document, of whatever version, unless configs or sources changed since. */
  last(uri: string): LintedVersion | undefined {
    const entry = this.entries.get(uri);
    return entry?.generation === this.generation ? entry : undefined;
  }

  forget(uri: string): void {
    this.entries.delete(uri);
    this.trees.delete(uri);
  }

  private treeOf(uri: string): ParseCache {
    let cache = this.trees.get(uri);
    if (!cache) this.trees.set(uri, (cache = new ParseCache()));
    return cache;
  }

  /** A file it depends on changed: lint it again (its last result stays the fallback). */
  invalidate(uri: string): void {
    const entry = this.entries.get(uri);
    if (entry) entry.generation = -1;
  }

  /** Configs or project files changed: every document must be linted again. */
  invalidateAll(): void {
    this.generation++;
  }
}

function ignored(file: string): FileResult {
  return { file, findings: [], notices: [], skipped: true };
}

/** A crashed rule's findings from the previous result, without edits (their offsets belong to old text). */
function keepCrashedRules(result: FileResult, previous: FileResult | undefined): FileResult {
  const crashed = new Set(result.notices.flatMap((n) => (n.kind === 'rule-crash' && n.ruleId ? [n.ruleId] : [])));
  if (crashed.size === 0 || !previous) return result;
  return {
    ...result,
    findings: [...result.findings.filter((f) => !crashed.has(f.ruleId)), ...previous.findings.filter((f) => crashed.has(f.ruleId)).map(withoutEdits)],
  };
}

function withoutEdits(finding: Finding): Finding {
  return { ...finding, fix: undefined, suggestions: [] };
}
