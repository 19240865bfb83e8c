/**
 * Lints one project file (an Info.plist or `.entitlements`) with the rules that check project files
 * on their own (`checkProjectFile`). Findings come out like code findings: configured severity,
 * inline suppressions (`<!-- bglint-disable-next-line id -->` in XML), fingerprints.
 */
import type { FileResult, Finding, Notice } from '../types';
import type { PlistFacts } from '../facts/project';
import type { ProjectFileContext, ProjectFileKind } from './rule';
import { crashNotice, defaults, findingFrom, type EnabledRule } from './runner';
import { applyDirectives, parseDirectives } from './suppressions';
import { assignFingerprints } from './fingerprint';
import { ProjectIndex } from '../facts/lexical-index';

export interface ProjectFileInput {
  /** As findings name it (relative to the run's root); the same as `plist.file`. */
  file: string;
  kind: ProjectFileKind;
  plist: PlistFacts;
  /** The file's text for directives and fingerprints (XML); absent for binary plists. */
  text?: string;
  rules: EnabledRule[];
  /** The lexical index of the linted sources; empty when absent. */
  index?: ProjectIndex;
}

export function lintProjectFile(input: ProjectFileInput): FileResult {
  const findings: Finding[] = [];
  const notices: Notice[] = [];
  for (const enabled of input.rules) {
    const check = enabled.rule.checkProjectFile;
    if (!check) continue;
    try {
      check(projectFileContext(input, enabled, findings));
    } catch (error) {
      notices.push(crashNotice(input.file, enabled.rule.meta.id, error));
    }
  }
  findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column || a.ruleId.localeCompare(b.ruleId));
  const text = input.text ?? '';
  applyDirectives(findings, parseDirectives(text));
  assignFingerprints(findings, text.split('\n'));
  return { file: input.file, findings, notices, skipped: false };
}

function projectFileContext(input: ProjectFileInput, enabled: EnabledRule, sink: Finding[]): ProjectFileContext {
  return {
    file: input.file,
    kind: input.kind,
    plist: input.plist,
    options: { ...defaults(enabled.rule), ...enabled.options },
    index: input.index ?? new ProjectIndex(),
    report(r) {
      sink.push(findingFrom(enabled, input.file, r, r.at, { related: [], suggestions: [] }));
    },
  };
}
