/**
 * Same meaning, same findings: every rule example and every fixture, rewritten in ways that change
 * nothing a rule may depend on (`rewrites.ts`), must give the same findings, moved with the code.
 * Prints how many variants of each kind ran; each kind must run on at least ten examples.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ProjectIndex, languageOf, lintSource } from '@bglint/core';
import type { Finding, Language, Rule, RuleExample } from '@bglint/core';
import { allRules } from '@bglint/rules';
import { codeOf, lintExample, positionsOf, projectOf, stripMarkers } from './rule-tester';
import { RENAMED, REWRITES } from './rewrites';
import type { RewriteKind } from './rewrites';

const LANGUAGES: Language[] = ['swift', 'objc'];
const ran = new Map<RewriteKind, number>(REWRITES.map((r) => [r.kind, 0]));
const count = (kind: RewriteKind) => ran.set(kind, ran.get(kind)! + 1);

interface Case { rule: Rule; language: Language; example: RuleExample; valid: boolean; name: string }

const cases: Case[] = allRules.flatMap((rule) => LANGUAGES.flatMap((language) => {
  const examples = rule.meta.examples[language];
  if (!examples) return [];
  return [
    ...examples.invalid.map((example, i) => ({ rule, language, example, valid: false, name: `${rule.meta.id} ${language} invalid #${i}` })),
    ...examples.valid.map((example, i) => ({ rule, language, example, valid: true, name: `${rule.meta.id} ${language} valid #${i}` })),
  ];
}));

/**
 * Rewrites a rule still gets wrong, by rule (or fixture project) and kind, each with its reason. A
 * mismatch there is tolerated, but each gap must still show up at least once (the last test), so a
 * fix tells to remove its entry.
 */
const KNOWN_GAPS: { subject: string; kind: RewriteKind; reason: string }[] = [];
const gapsSeen = new Set<string>();

/** Is this (rule or fixture, kind) a known gap? Records that it showed up when the findings differ. */
function knownGap(subject: string, kind: RewriteKind, differs: boolean): boolean {
  const gap = KNOWN_GAPS.some((g) => g.subject === subject && g.kind === kind);
  if (gap && differs) gapsSeen.add(`${subject}/${kind}`);
  return gap;
}

describe('rule examples, rewritten', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s: same findings under every rewrite that applies', (_name, c) => {
    const marked = codeOf(c.example);
    for (const rewrite of REWRITES) {
      const rewritten = rewrite.apply(marked, c.language);
      if (rewritten === undefined || rewritten === marked) continue;
      const { code, positions } = stripMarkers(rewritten);
      const found = positionsOf(lintExample(c.rule, code, c.language, {}, projectOf(c.example)));
      const expected = { kind: rewrite.kind, code, found: c.valid ? [] : positions };
      const differs = JSON.stringify(found) !== JSON.stringify(expected.found);
      if (!knownGap(c.rule.meta.id, rewrite.kind, differs)) expect({ kind: rewrite.kind, code, found }).toEqual(expected);
      count(rewrite.kind);
    }
  });
});

const FIXTURES = join(__dirname, '../../../fixtures');

function sourcesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sourcesUnder(path);
    return /\.(swift|m|mm)$/.test(name) ? [path] : [];
  });
}

const projects = readdirSync(FIXTURES).filter((name) => name !== 'realcode' && statSync(join(FIXTURES, name)).isDirectory());

/** What a user would compare: each finding's rule and the code it points at (renamed names read as before). */
function summary(findings: Finding[], text: string): string[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return findings.filter((f) => !f.suppression).map((f) => {
    const at = starts[f.range.start.line - 1]! + f.range.start.column - 1;
    return `${f.ruleId} @ ${text.slice(at, at + 40).split(RENAMED).join('').slice(0, 24)}`;
  }).sort();
}

describe('fixtures, rewritten', () => {
  it.each(projects)('%s: same findings in every file under every rewrite that applies', (project) => {
    const files = sourcesUnder(join(FIXTURES, project)).map((path) => ({ path, text: readFileSync(path, 'utf8'), language: languageOf(path)! }));
    const rules = allRules.filter((r) => r.create).map((rule) => ({ rule, severity: rule.meta.severity, options: {} }));
    const lint = (file: (typeof files)[number], text: string) => {
      const index = new ProjectIndex();
      for (const other of files) index.addFile(other.path, other === file ? text : other.text, other.language);
      return lintSource({ file: file.path, text, language: file.language, rules, index }).findings;
    };
    for (const file of files) {
      const before = summary(lint(file, file.text), file.text);
      for (const rewrite of REWRITES) {
        const rewritten = rewrite.apply(file.text, file.language);
        if (rewritten === undefined || rewritten === file.text) continue;
        const after = summary(lint(file, rewritten), rewritten);
        if (!knownGap(project, rewrite.kind, JSON.stringify(after) !== JSON.stringify(before))) {
          expect({ file: file.path, kind: rewrite.kind, findings: after }).toEqual({ file: file.path, kind: rewrite.kind, findings: before });
        }
        count(rewrite.kind);
      }
    }
  });
});

describe('rewrites', () => {
  it('ran every kind on at least ten examples or fixture files', () => {
    // eslint-disable-next-line no-console
    console.log(`rewrites run: ${[...ran].map(([kind, n]) => `${kind} ${n}`).join(', ')}`);
    for (const [kind, n] of ran) expect({ kind, n: n >= 10 }).toEqual({ kind, n: true });
  });

  it('still shows every known gap (remove the entries a fix closed)', () => {
    const listed = [...new Set(KNOWN_GAPS.map((g) => `${g.subject}/${g.kind}`))].sort();
    expect(listed.filter((g) => !gapsSeen.has(g))).toEqual([]);
  });
});
