/** ESLint's directive grammar in Swift and Objective-C comments. */
import { lintSource } from '@bglint/core';
import type { Language } from '@bglint/core';
import { rulesById } from '@bglint/rules';

const unbalanced = rulesById.get('background-task-unbalanced')!;
const SWIFT_LEAK = 'UIApplication.shared.beginBackgroundTask(withName: "x") {}';
const OBJC_LEAK = '[[UIApplication sharedApplication] beginBackgroundTaskWithExpirationHandler:^{}];';

function lint(text: string, language: Language = 'swift') {
  return lintSource({ file: language === 'swift' ? 'A.swift' : 'A.m', text, language, rules: [{ rule: unbalanced, severity: 'error', options: {} }], reportUnusedDirectives: true });
}

const active = (text: string, language?: Language) => lint(text, language).findings.filter((f) => !f.suppression).map((f) => f.range.start.line);

describe('inline suppressions', () => {
  it('disable-next-line and disable-line keep the finding as suppressed, with the justification after --', () => {
    const result = lint(`func a() {\n  // bglint-disable-next-line background-task-unbalanced -- ended by the caller\n  ${SWIFT_LEAK}\n  ${SWIFT_LEAK} // bglint-disable-line background-task-unbalanced\n  ${SWIFT_LEAK}\n}\n`);
    expect(result.findings.map((f) => [f.range.start.line, f.suppression?.justification ?? null, Boolean(f.suppression)])).toEqual([
      [3, 'ended by the caller', true],
      [4, null, true],
      [5, null, false],
    ]);
  });

  it('a block disable runs until its enable, in block comments', () => {
    const text = `func a() {\n  /* bglint-disable background-task-unbalanced */\n  ${SWIFT_LEAK}\n  /* bglint-enable background-task-unbalanced */\n  ${SWIFT_LEAK}\n}\n`;
    expect(active(text)).toEqual([5]);
  });

  it('names several rules, or all when it names none', () => {
    const text = `func a() {\n  // bglint-disable-next-line background-task-deferred-end, background-task-unbalanced\n  ${SWIFT_LEAK}\n  // bglint-disable-next-line\n  ${SWIFT_LEAK}\n}\n`;
    expect(active(text)).toEqual([]);
  });

  it('a directive for another rule suppresses nothing and is reported as unused', () => {
    const result = lint(`func a() {\n  // bglint-disable-next-line discretionary-background-upload\n  ${SWIFT_LEAK}\n}\n`);
    expect(result.findings.filter((f) => !f.suppression).map((f) => f.range.start.line)).toEqual([3]);
    expect(result.notices.filter((n) => n.kind === 'unused-directive').map((n) => n.range!.start.line)).toEqual([2]);
  });

  it('works the same in Objective-C', () => {
    const text = `@implementation A\n- (void)a {\n  // bglint-disable-next-line background-task-unbalanced -- legacy\n  ${OBJC_LEAK}\n  ${OBJC_LEAK}\n}\n@end\n`;
    expect(active(text, 'objc')).toEqual([5]);
  });
});
