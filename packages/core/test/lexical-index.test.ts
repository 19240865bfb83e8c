/** The project index reads declarations without parsing: attributes and modifiers as people write them. */
import { ProjectIndex, stripCommentsAndStrings } from '@bglint/core';

function methodsOf(code: string) {
  const index = new ProjectIndex();
  index.addFile('A.swift', code, 'swift');
  return Object.fromEntries(index.type('A')!.methods.map((m) => [m.name, { attributes: m.attributes, nonisolated: m.nonisolated }]));
}

describe('lexical index', () => {
  it('finds attributes and modifiers on the declaration line and on lines of their own above it', () => {
    const methods = methodsOf([
      'final class A {',
      '  @MainActor func inline() {}',
      '',
      '  @MainActor',
      '  // Touches the view model.',
      '  @discardableResult',
      '  func above() -> Bool { true }',
      '',
      '  nonisolated',
      '  private func detached() {}',
      '',
      '  var count = 0',
      '  func plain() {}',
      '}',
    ].join('\n'));
    expect(methods).toEqual({
      inline: { attributes: ['MainActor'], nonisolated: false },
      above: { attributes: ['MainActor', 'discardableResult'], nonisolated: false },
      detached: { attributes: [], nonisolated: true },
      plain: { attributes: [], nonisolated: false },
    });
  });

  it('does not take attributes from a previous declaration', () => {
    const methods = methodsOf('class A {\n  @MainActor var title = ""\n  func refresh() {}\n  @objc func tapped() {} ; func next() {}\n}\n');
    expect(methods.refresh!.attributes).toEqual([]);
    expect(methods.next!.attributes).toEqual([]);
  });

  it('blanks comments and strings but keeps every offset and line', () => {
    const text = 'let a = "{ // not a comment }" // a { comment\n/* { */ let b = """\n}\n""" + "\\"{"\n';
    const stripped = stripCommentsAndStrings(text);
    expect(stripped).toHaveLength(text.length);
    expect(stripped.split('\n').length).toBe(text.split('\n').length);
    expect(stripped.replace(/\s+/g, ' ').trim()).toBe('let a = let b = +');
  });
});
