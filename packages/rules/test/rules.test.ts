import { allRules } from '@bglint/rules';
import type { Language, ProjectFileKind, Rule, RuleExample } from '@bglint/core';
import {
  PROJECT_FILE_KINDS, afterXmlDeclaration, codeOf, commentedOut, lintExample, lintProjectFileExample, positionsOf, projectOf, stripMarkers,
} from './rule-tester';

const LANGUAGES: Language[] = ['swift', 'objc'];
const numbered = (examples: RuleExample[]) => examples.map((e, i) => [i, e] as const);

describe.each(allRules.map((r) => [r.meta.id, r] as const))('%s', (_id, rule) => {
  it('documents at least one invalid and one valid example', () => {
    const kinds = [...LANGUAGES, ...PROJECT_FILE_KINDS];
    expect(kinds.flatMap((k) => rule.meta.examples[k]?.invalid ?? []).length).toBeGreaterThan(0);
    expect(kinds.flatMap((k) => rule.meta.examples[k]?.valid ?? []).length).toBeGreaterThan(0);
  });

  it('makes only its own triggers depend on the project (triggersWhen)', () => {
    for (const entry of rule.meta.triggersWhen ?? []) expect(entry.triggers.filter((t) => !rule.meta.triggers.includes(t))).toEqual([]);
  });

  for (const language of LANGUAGES) {
    const examples = rule.meta.examples[language];
    if (examples) describe(language, () => codeExampleTests(rule, language, examples.invalid, examples.valid));
  }
  for (const kind of PROJECT_FILE_KINDS) {
    const examples = rule.meta.examples[kind];
    if (examples) describe(kind, () => projectFileExampleTests(rule, kind, examples.invalid, examples.valid));
  }
});

function codeExampleTests(rule: Rule, language: Language, invalid: RuleExample[], valid: RuleExample[]): void {
  const lint = (example: RuleExample, code: string) => lintExample(rule, code, language, {}, projectOf(example));
  if (invalid.length === 0) it('has no invalid examples in this language', () => expect(invalid).toEqual([]));
  else {
    it.each(numbered(invalid))('invalid #%i reports exactly at each ↓', (_i, example) => {
      const { code, positions } = stripMarkers(codeOf(example));
      expect(positions.length).toBeGreaterThan(0);
      expect(positionsOf(lint(example, code))).toEqual(positions);
    });

    it.each(numbered(invalid))('invalid #%i moves with an emoji line above it', (_i, example) => {
      const { code, positions } = stripMarkers(codeOf(example));
      const shifted = positions.map((p) => ({ line: p.line + 1, column: p.column }));
      expect(positionsOf(lint(example, `// 😀 née\n${code}`))).toEqual(shifted);
    });

    it.each(numbered(invalid))('invalid #%i is silent when commented out or disabled', (_i, example) => {
      const { code } = stripMarkers(codeOf(example));
      expect(lint(example, commentedOut(code))).toEqual([]);
      const disabled = lint(example, `/* bglint-disable ${rule.meta.id} -- known */\n${code}`);
      expect(disabled.length).toBeGreaterThan(0);
      expect(disabled.every((f) => f.suppression?.justification === 'known')).toBe(true);
    });
  }

  it.each(numbered(valid))('valid #%i reports nothing', (_i, example) => {
    expect(positionsOf(lint(example, codeOf(example)))).toEqual([]);
  });

  // The lazy view lowers a part only when read, and shared helpers read only the parts that can matter: same findings.
  it.each(numbered([...invalid, ...valid]))('example #%i (invalid first) finds the same with every part of the view lowered up front', (_i, example) => {
    const { code } = stripMarkers(codeOf(example));
    expect(lint(example, code)).toEqual(lintExample(rule, code, language, {}, projectOf(example), true));
  });
}

function projectFileExampleTests(rule: Rule, kind: ProjectFileKind, invalid: RuleExample[], valid: RuleExample[]): void {
  const lint = (example: RuleExample, xml: string) => lintProjectFileExample(rule, xml, kind, projectOf(example));
  it.each(numbered(invalid))('invalid #%i reports exactly at each ↓', (_i, example) => {
    const { code, positions } = stripMarkers(codeOf(example));
    expect(positions.length).toBeGreaterThan(0);
    expect(positionsOf(lint(example, code))).toEqual(positions);
  });

  it.each(numbered(invalid))('invalid #%i moves with a comment line above it and is silent when disabled', (_i, example) => {
    const { code, positions } = stripMarkers(codeOf(example));
    const shifted = positions.map((p) => (p.line > 1 ? { line: p.line + 1, column: p.column } : p));
    expect(positionsOf(lint(example, afterXmlDeclaration(code, '<!-- 😀 née -->')))).toEqual(shifted);
    const disabled = lint(example, afterXmlDeclaration(code, `<!-- bglint-disable ${rule.meta.id} -->`));
    expect(disabled.length).toBeGreaterThan(0);
    expect(disabled.every((f) => f.suppression !== undefined)).toBe(true);
  });

  it.each(numbered(valid))('valid #%i reports nothing', (_i, example) => {
    expect(positionsOf(lint(example, codeOf(example)))).toEqual([]);
  });
}
