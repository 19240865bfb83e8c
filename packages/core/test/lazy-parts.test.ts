/**
 * The syntax view lowers function bodies, getters and the initial values of types' properties only
 * when read (syntax/deferred.ts). Read to the leaves, the lazy view of every fixture file
 * must equal the view lowered at once (`eagerView`), node for node.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { languageOf, parseSource } from '@bglint/core';
import type { Language, SyntaxNode } from '@bglint/core';
import { pendingPartSpan } from '../src/syntax/deferred';

const FIXTURES = path.resolve(__dirname, '../../../fixtures');

const sources = filesUnder(FIXTURES).flatMap((file) => {
  const language = languageOf(file);
  return language ? [{ name: path.relative(FIXTURES, file), language, text: fs.readFileSync(file, 'utf8') }] : [];
});

/** Which parts were pending when the lazy views were first read, by the key they wait under. */
const pendingByKey = new Map<string, number>();

test.each(sources.map((s) => [s.name, s] as const))('%s: the lazy view, read to the leaves, equals the eager one', (_name, source) => {
  expect(plain(view(source.text, source.language, false))).toEqual(plain(view(source.text, source.language, true)));
});

test('the fixtures held pending bodies, getters and property values (the comparisons above covered each)', () => {
  expect(Object.fromEntries(pendingByKey)).toEqual({ body: expect.any(Number), getter: expect.any(Number), value: expect.any(Number) });
});

function view(text: string, language: Language, eagerView: boolean): SyntaxNode {
  const parsed = parseSource(text, language, { eagerView });
  if (!parsed.ok) throw new Error('parse timed out');
  return parsed.file.syntax;
}

/** The view as plain data, every field but `parent`; reading a pending part lowers it (and counts it). */
function plain(root: SyntaxNode): unknown {
  const visit = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map(visit);
    const pending = pendingPartSpan(value as SyntaxNode) !== undefined;
    const out: Record<string, unknown> = {};
    for (const [key, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(value))) {
      if (key === 'parent') continue;
      if (pending && descriptor.get) pendingByKey.set(key, (pendingByKey.get(key) ?? 0) + 1);
      out[key] = visit((value as Record<string, unknown>)[key]);
    }
    return out;
  };
  return visit(root);
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}
