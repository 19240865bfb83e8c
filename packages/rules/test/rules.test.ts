import { allRules } from '@bglint/rules';
import type { Language } from '@bglint/core';
import { commentedOut, lintExample, positionsOf, stripMarkers } from './rule-tester';

const LANGUAGES: Language[] = ['swift', 'objc'];

describe.each(allRules.map((r) => [r.meta.id, r] as const))('%s', (_id, rule) => {
  it('documents at least one invalid and one valid example', () => {
    const all = LANGUAGES.flatMap((l) => [rule.meta.examples[l]?.invalid ?? [], rule.meta.examples[l]?.valid ?? []]);
    expect(all.filter((_, i) => i % 2 === 0).flat().length).toBeGreaterThan(0);
    expect(all.filter((_, i) => i % 2 === 1).flat().length).toBeGreaterThan(0);
  });

  for (const language of LANGUAGES) {
    const examples = rule.meta.examples[language];
    if (!examples) continue;
    describe(language, () => {
      if (examples.invalid.length === 0) it('has no invalid examples in this language', () => expect(examples.invalid).toEqual([]));
      else it.each(examples.invalid.map((e, i) => [i, e] as const))('invalid #%i reports exactly at each ↓', (_i, example) => {
        const { code, positions } = stripMarkers(example);
        expect(positions.length).toBeGreaterThan(0);
        expect(positionsOf(lintExample(rule, code, language))).toEqual(positions);
      });

      if (examples.invalid.length) it.each(examples.invalid.map((e, i) => [i, e] as const))('invalid #%i moves with an emoji line above it', (_i, example) => {
        const { code, positions } = stripMarkers(example);
        const shifted = positions.map((p) => ({ line: p.line + 1, column: p.column }));
        expect(positionsOf(lintExample(rule, `// 😀 née\n${code}`, language))).toEqual(shifted);
      });

      if (examples.invalid.length) it.each(examples.invalid.map((e, i) => [i, e] as const))('invalid #%i is silent when commented out or disabled', (_i, example) => {
        const { code } = stripMarkers(example);
        expect(lintExample(rule, commentedOut(code), language)).toEqual([]);
        const disabled = lintExample(rule, `/* bglint-disable ${rule.meta.id} -- known */\n${code}`, language);
        expect(disabled.length).toBeGreaterThan(0);
        expect(disabled.every((f) => f.suppression?.justification === 'known')).toBe(true);
      });

      it.each(examples.valid.map((e, i) => [i, e] as const))('valid #%i reports nothing', (_i, example) => {
        expect(positionsOf(lintExample(rule, example, language))).toEqual([]);
      });
    });
  }
});
