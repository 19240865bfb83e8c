/** The rule API: `meta` (docs, examples, messages, triggers) and `create(context)` reacting to the syntax view. */
import type { Language, NodeOfKind, Span, SyntaxKind, SyntaxNode, CallExpr } from '../syntax/ir';
import type { Fix, Severity } from '../types';
import type { ProjectIndex } from '../facts/lexical-index';
import type { ProjectCondition } from '../facts/project-conditions';
import type { IsolationSettings } from '../facts/isolation';
import type { BundleKind, PlistFacts, PlistDictValue, ProjectFacts } from '../facts/project';
import type { Range } from '../types';

/** The project files an example runs with: plist contents written as plain objects. */
export interface ExampleProject {
  /** The target's Info.plist (without it, rules that need one must stay silent). */
  infoPlist?: PlistDictValue;
  /** Keys Xcode generates from `INFOPLIST_KEY_*` build settings (arrays as space-separated lists). */
  generatedInfoPlistKeys?: Record<string, string>;
  entitlements?: PlistDictValue;
  /** What the target builds (default `app`); `library` for a framework's code. */
  bundle?: BundleKind;
  /** Other source files of the project (Swift, or Objective-C when they hold `@implementation`/`@interface`): indexed, not linted. */
  sources?: string[];
}

/** An example that needs project files: `{ code, project: { infoPlist: { UIBackgroundModes: ['fetch'] } } }`. */
export interface ExampleWithProject {
  code: string;
  project: ExampleProject;
}

export type RuleExample = string | ExampleWithProject;

export interface RuleExamples {
  /** Code with a `↓` where each finding must start; every example is run as a test. */
  invalid: RuleExample[];
  valid: RuleExample[];
}

/** The kinds of project file a rule can check on its own (`checkProjectFile`). */
export type ProjectFileKind = 'info-plist' | 'entitlements';

export interface OptionSpec {
  type: 'string[]' | 'boolean' | 'number' | 'string';
  default: unknown;
  description: string;
}

/** Something a device prints when a rule's mistake happens: a console line, a crash report field (`bglint explain`). */
export interface LogPattern {
  pattern: RegExp;
  /**
   * 3: names the rule first; 2: names it, after rules that score higher on the same text (another
   * rule is the likelier cause); 1: supports a rule one of its other patterns names, never names it alone.
   */
  weight: 1 | 2 | 3;
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
  /** The same symptom as the device prints it, for `bglint explain` (several wordings of one family). */
  logPatterns?: LogPattern[];
  /** What to write instead. */
  fix: string;
  references: string[];
  tags: string[];
  precision: 'very-high' | 'high' | 'medium' | 'low';
  securitySeverity?: number;
  messages: Record<string, string>;
  /** Per language; `entitlements`/`info-plist` examples are plist XML checked by `checkProjectFile`. */
  examples: Partial<Record<Language | ProjectFileKind, RuleExamples>>;
  /**
   * Strings a file must contain for this rule to find anything in it (the prefilter). The walk also
   * enters a function body only when its text holds some enabled rule's trigger: a listener that must
   * hear nodes inside other bodies has a trigger in them (code reached from a listener, through queries
   * or the call-summary layer, is always there, lowered when read).
   */
  triggers: string[];
  /**
   * Triggers (listed in `triggers` too) that count only when the project holds a fact
   * (`ProjectCondition`, read from the project index): a task call on a background session built in
   * another file can be a finding only when some file of the project builds a background session. Every
   * prefilter asks `countedTriggers` (core's engine/triggers.ts), which reads this.
   */
  triggersWhen?: { project: ProjectCondition; triggers: string[] }[];
  /**
   * Linted code holding one of `WHOLE_INDEX_WORDS` (core's facts/lexical-index.ts) asks this rule what no
   * name in the file bounds (the keychain rule's project-wide background reach map): with the rule enabled
   * for such a file, a run lexes every file of the project for it. Without, the index stays on demand.
   */
  needsWholeIndex?: boolean;
  options?: Record<string, OptionSpec>;
  /** Options whose string entries are API names the prefilter must also look for (`wrappers`). */
  optionTriggers?: string[];
  hasSuggestions?: boolean;
  fixable?: boolean;
}

export interface TargetSettings extends IsolationSettings {
  /** 6 when the target builds in Swift 6 language mode. */
  swiftLanguageMode?: number;
}

/** Another place in this file (`at`), or in another file such as the Info.plist (`file` + `range`). */
export type RelatedInput = { at: Span; message: string } | { file: string; range: Range; message: string };

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
  /** The target's Info.plist, entitlements and platforms; undefined when no project file is known. */
  readonly project?: ProjectFacts;
  /**
   * For each file of the project that declares launch code (`launchEntryFiles`), the background modes
   * under which iOS launches its app in the background: an SDK's code is reached from its sample app's
   * launch, judged by that app's Info.plist. Empty when unknown (examples, a single file).
   */
  readonly launchModesByFile: Readonly<Record<string, string[]>>;
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

export interface ProjectFileReport {
  /** A range in the project file (`plistLocation(plist, path).range`). */
  at: Range;
  messageId: string;
  data?: Record<string, string | number>;
  /** Overrides the configured severity, as in `ReportInput`. */
  severity?: Severity;
}

/** What `checkProjectFile` sees: one Info.plist or `.entitlements` file of the linted folders. */
export interface ProjectFileContext {
  readonly file: string;
  readonly kind: ProjectFileKind;
  readonly plist: PlistFacts;
  readonly options: Record<string, unknown>;
  /** The lexical index of every linted source file (what the code registers, declares…). */
  readonly index: ProjectIndex;
  report(input: ProjectFileReport): void;
}

export interface Rule {
  meta: RuleMeta;
  /** Listens to source files; rules about project files alone may leave it out. */
  create?(context: RuleContext): RuleListener;
  /** Runs once per Info.plist or `.entitlements` file in the linted folders. */
  checkProjectFile?(context: ProjectFileContext): void;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}

export type AnyNode = SyntaxNode;
