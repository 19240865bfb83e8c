/** The rule API: `meta` (docs, examples, messages, triggers) and `create(context)` reacting to the syntax view. */
import type { Language, NodeOfKind, Span, SyntaxKind, SyntaxNode, CallExpr } from '../syntax/ir';
import type { Fix, Severity } from '../types';
import type { ProjectIndex } from '../facts/lexical-index';
import type { IsolationSettings } from '../facts/isolation';

export interface RuleExamples {
  /** Code with a `↓` where each finding must start; every example is run as a test. */
  invalid: string[];
  valid: string[];
}

export interface OptionSpec {
  type: 'string[]' | 'boolean' | 'number' | 'string';
  default: unknown;
  description: string;
}

export interface RuleMeta {
  id: string;
  severity: Severity;
  since: string;
  summary: string;
  /** Why this is a problem: the platform fact. */
  why: string;
  /** What the user sees at run time (a crash, a log line). */
  symptom?: string;
  /** What to write instead. */
  fix: string;
  references: string[];
  tags: string[];
  precision: 'very-high' | 'high' | 'medium' | 'low';
  securitySeverity?: number;
  messages: Record<string, string>;
  examples: Partial<Record<Language, RuleExamples>>;
  /** Strings a file must contain for this rule to find anything in it (the prefilter). */
  triggers: string[];
  options?: Record<string, OptionSpec>;
  hasSuggestions?: boolean;
  fixable?: boolean;
}

export interface TargetSettings extends IsolationSettings {
  /** 6 when the target builds in Swift 6 language mode. */
  swiftLanguageMode?: number;
}

export interface RelatedInput {
  at: Span;
  message: string;
}

export interface ReportInput {
  /** Where the finding is: a node or a span (`call.nameSpan` to point at the API name). */
  at: Span;
  messageId: string;
  data?: Record<string, string | number>;
  related?: RelatedInput[];
  fix?: Fix;
  suggest?: Fix[];
  /** Overrides the configured severity (e.g. error in Swift 6 mode, warning otherwise). */
  severity?: Severity;
}

export interface RuleContext {
  readonly file: string;
  readonly language: Language;
  readonly text: string;
  readonly options: Record<string, unknown>;
  readonly index: ProjectIndex;
  readonly target: TargetSettings;
  report(input: ReportInput): void;
  /** An edit replacing the text from `at.startIndex` to `at.endIndex` with `text`. */
  replace(at: Span, text: string): Fix['edits'][number];
  /** An edit inserting `text` at offset `index`. */
  insertAt(index: number, text: string): Fix['edits'][number];
  lineOf(index: number): number;
}

type Handler<K extends SyntaxKind> = (node: NodeOfKind<K>) => void;

/**
 * Handlers keyed by view node kind (`call`, `assign`, `closure`, `function`…), `kind:exit`, or
 * `call:<swift signature>` to receive only calls of that API, in either language.
 */
export type RuleListener = { [K in SyntaxKind]?: Handler<K> } & { [K in SyntaxKind as `${K}:exit`]?: Handler<K> } & {
  [signature: `call:${string}`]: ((node: CallExpr) => void) | undefined;
} & { 'file:end'?: () => void };

export interface Rule {
  meta: RuleMeta;
  create(context: RuleContext): RuleListener;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}

export type AnyNode = SyntaxNode;
