/** Plain result data shared by the engine, the formatters and the language server. */

export type Severity = 'error' | 'warning' | 'note';
export type SeveritySetting = Severity | 'off';

/** 1-based line and column; columns count UTF-16 code units (SARIF's default). */
export interface Position {
  line: number;
  column: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A place in a file other than the finding's own (where the task began, where the check belongs). */
export interface RelatedLocation {
  file: string;
  range: Range;
  message: string;
}

export interface TextEdit {
  range: Range;
  /** Offsets into the file's text (UTF-16 code units), so edits apply without re-deriving lines. */
  startIndex: number;
  endIndex: number;
  text: string;
}

export interface Fix {
  description: string;
  edits: TextEdit[];
}

export interface Suppression {
  kind: 'inSource';
  justification?: string;
  /** The line of the directive that suppresses this finding. */
  line: number;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  file: string;
  range: Range;
  related: RelatedLocation[];
  /** A safe fix that `--fix` may apply. */
  fix?: Fix;
  /** Edits offered to a person (code actions), never applied by `--fix`. */
  suggestions: Fix[];
  /** Stable across unrelated edits above the finding: hashes the rule, the file and the line's text. */
  fingerprint: string;
  suppression?: Suppression;
  baselineState?: 'new' | 'unchanged';
  /** For a file compiled into several targets: the targets the finding holds for, when not all of them. */
  targets?: string[];
}

/** Not a rule finding: something the run could not do (unparsed lines, unreadable file, crashed rule). */
export interface Notice {
  kind: 'parse-error' | 'unreadable-file' | 'rule-crash' | 'timeout' | 'config' | 'too-deep' | 'unused-directive' | 'project-file' | 'fix-failed';
  severity: Severity;
  message: string;
  file?: string;
  range?: Range;
  ruleId?: string;
}

export interface FileResult {
  file: string;
  findings: Finding[];
  notices: Notice[];
  /** True when the prefilter found none of the enabled rules' trigger strings. */
  skipped: boolean;
  /** The text that was linted (kept for fixes and fingerprints; dropped by formatters). */
  source?: string;
  /** `--fix-dry-run`: the text with the fixes applied (ESLint's `output`), when any applied. */
  output?: string;
}

export interface RuleSummary {
  id: string;
  severity: Severity;
  summary: string;
  why: string;
  fix: string;
  symptom?: string;
  tags: string[];
  precision: 'very-high' | 'high' | 'medium' | 'low';
  securitySeverity?: number;
  docsUrl: string;
  markdown: string;
}

export interface LintReport {
  results: FileResult[];
  notices: Notice[];
  rules: RuleSummary[];
  /** The folder that paths in results are relative to. */
  root: string;
}
