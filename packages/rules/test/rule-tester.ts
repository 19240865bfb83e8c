/**
 * Runs a rule's documented examples as tests (SwiftLint's `↓` marks where each finding must start),
 * plus generated robustness variants: an emoji line above, the whole example commented out, and a
 * disable directive.
 */
import { ProjectIndex, lintProjectFile, lintSource, plistFactsFromObject, readPlistFacts, withGeneratedKeys } from '@bglint/core';
import type { ExampleProject, Finding, Language, ProjectFacts, ProjectFileKind, Rule, RuleExample, TargetSettings } from '@bglint/core';

export const MARKER = '↓';

export interface Marked {
  code: string;
  positions: { line: number; column: number }[];
}

/** Removes each `↓` and records the 1-based line and UTF-16 column where it stood. */
export function stripMarkers(example: string): Marked {
  const positions: Marked['positions'] = [];
  const lines = example.split('\n').map((text, i) => {
    let out = '';
    for (let at = 0; at < text.length; at++) {
      if (text[at] === MARKER) positions.push({ line: i + 1, column: out.length + 1 });
      else out += text[at];
    }
    return out;
  });
  return { code: lines.join('\n'), positions };
}

export const PROJECT_FILE_KINDS: ProjectFileKind[] = ['entitlements', 'info-plist'];

export function codeOf(example: RuleExample): string {
  return typeof example === 'string' ? example : example.code;
}

export function projectOf(example: RuleExample): ExampleProject | undefined {
  return typeof example === 'string' ? undefined : example.project;
}

/**
 * The facts an example's project declares, as an Xcode target would give them: its Info.plist
 * (plus generated keys) and its entitlements, where no entitlements means the target has none.
 */
export function exampleProjectFacts(project: ExampleProject): ProjectFacts {
  const projectFile = 'Example.xcodeproj/project.pbxproj';
  const file = project.infoPlist ? plistFactsFromObject(project.infoPlist, 'Info.plist') : undefined;
  return {
    target: 'Example',
    bundle: project.bundle ?? 'app',
    infoPlist: project.generatedInfoPlistKeys ? withGeneratedKeys(file, project.generatedInfoPlistKeys, projectFile) : file,
    entitlements: project.entitlements ? plistFactsFromObject(project.entitlements, 'Example.entitlements') : undefined,
    entitlementsKnown: true,
    projectFile,
    platforms: ['ios'],
  };
}

/** `eagerView`: every part of the view lowered up front (what the lazy view must equal). */
export function lintExample(rule: Rule, code: string, language: Language, target: TargetSettings = {}, project?: ExampleProject, eagerView = false): Finding[] {
  const file = language === 'swift' ? 'Example.swift' : 'Example.m';
  const index = indexOf(project);
  index.addFile(file, code, language);
  const facts = project ? exampleProjectFacts(project) : undefined;
  const result = lintSource({ file, text: code, language, rules: [{ rule, severity: rule.meta.severity, options: {} }], index, target, project: facts, eagerView });
  if (result.notices.some((n) => n.kind === 'rule-crash')) throw new Error(result.notices.map((n) => n.message).join('\n'));
  return result.findings;
}

export function positionsOf(findings: Finding[]) {
  return findings.filter((f) => !f.suppression).map((f) => ({ line: f.range.start.line, column: f.range.start.column }));
}

/** Each line commented out: no rule may report anything. */
export function commentedOut(code: string): string {
  return code.split('\n').map((l) => `// ${l}`).join('\n');
}

/** Runs a rule's `checkProjectFile` on plist XML, as the CLI does for each file it finds. */
/** The index of an example project's other source files. */
function indexOf(project: ExampleProject | undefined): ProjectIndex {
  const index = new ProjectIndex();
  project?.sources?.forEach((source, i) => {
    const objc = /@(implementation|interface)\b/.test(source);
    index.addFile(objc ? `Other${i}.m` : `Other${i}.swift`, source, objc ? 'objc' : 'swift');
  });
  return index;
}

export function lintProjectFileExample(rule: Rule, xml: string, kind: ProjectFileKind, project?: ExampleProject): Finding[] {
  const file = kind === 'entitlements' ? 'Example.entitlements' : 'Info.plist';
  const read = readPlistFacts(xml, file);
  if (!read.ok) throw new Error(`example does not parse: ${read.error.message} (line ${read.error.line})`);
  const result = lintProjectFile({ file, kind, plist: read.plist, text: xml, rules: [{ rule, severity: rule.meta.severity, options: {} }], index: indexOf(project) });
  if (result.notices.some((n) => n.kind === 'rule-crash')) throw new Error(result.notices.map((n) => n.message).join('\n'));
  return result.findings;
}

/** Adds `line` after the XML declaration, where a comment may stand. */
export function afterXmlDeclaration(xml: string, line: string): string {
  const lines = xml.split('\n');
  const at = lines[0]?.startsWith('<?xml') ? 1 : 0;
  return [...lines.slice(0, at), line, ...lines.slice(at)].join('\n');
}
