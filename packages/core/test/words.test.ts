/**
 * A scan lists which rule triggers each file holds with one pattern (`wordsIn`) instead of one search per
 * trigger: it must list exactly what the searches would, overlapping and nested words included.
 */
import * as fs from 'fs';
import * as path from 'path';
import { languageOf, wordsIn } from '@bglint/core';
import { allRules } from '@bglint/rules';

const searchedOneByOne = (text: string, words: string[]) => words.filter((w) => text.includes(w));

function sourcesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => languageOf(f) !== undefined).map((f) => path.join(dir, f));
}

describe('wordsIn', () => {
  it('lists the words that start inside another match, are part of one, or share its start', () => {
    const words = ['abc', 'bcd', 'ab', 'c', 'cd', 'zz', 'dx'];
    expect(wordsIn('xabcdx', words)).toEqual(searchedOneByOne('xabcdx', words));
    expect(wordsIn('xabcdx', words)).toEqual(['abc', 'bcd', 'ab', 'c', 'cd', 'dx']);
  });

  it('lists a word once however often it occurs, in the order of the list, and the empty word always', () => {
    expect(wordsIn('b a b a', ['a', 'b', 'c'])).toEqual(['a', 'b']);
    expect(wordsIn('xabcd', ['ab', 'abcd'])).toEqual(['ab', 'abcd']);
    expect(wordsIn('text', ['', 'x', 'q'])).toEqual(['', 'x']);
    expect(wordsIn('text', [])).toEqual([]);
  });

  it('finds what one search per trigger finds in every fixture file, for every rule trigger', () => {
    const triggers = [...new Set(allRules.flatMap((r) => r.meta.triggers))];
    const files = sourcesUnder(path.join(__dirname, '..', '..', '..', 'fixtures'));
    expect(files.length).toBeGreaterThan(20);
    let found = 0;
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      const expected = searchedOneByOne(text, triggers);
      found += expected.length;
      expect({ file, words: wordsIn(text, triggers) }).toEqual({ file, words: expected });
    }
    expect(found).toBeGreaterThan(20);
  });
});
