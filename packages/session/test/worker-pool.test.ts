/**
 * The worker pool's `map`: this thread may take items too (it would only wait), but no more than its
 * helper's `limit` (trees it makes are freed only after the run); the results are in the items' order
 * whoever did them; the workers claim their work themselves, so they go on while this thread is busy.
 */
import * as fs from 'fs';
import * as path from 'path';
import { lexSource } from '../src/file-jobs';
import type { LexItem } from '../src/executor';
import { WorkerPool } from '../src/workers';

const fixtures = path.join(__dirname, '..', '..', '..', 'fixtures');
const files = fs.readdirSync(fixtures, { recursive: true, encoding: 'utf8' })
  .filter((f) => /\.(swift|m)$/.test(f))
  .map((f) => path.join(fixtures, f))
  .sort();
const items: LexItem[] = files.map((file) => ({ file, options: {} }));
const lexedHere = (batch: LexItem[]) => batch.map((i) => lexSource(i.file, undefined, i.options));

describe('WorkerPool.map', () => {
  let pool: WorkerPool;
  beforeAll(() => (pool = new WorkerPool(1)));
  afterAll(() => pool.close());

  it('has enough items to share', () => expect(items.length).toBeGreaterThan(40));

  it.each([[0], [3], [undefined]])('lets this thread take at most its limit (%p) of the items, in order', (limit) => {
    let taken = 0;
    const helper = Object.assign((batch: LexItem[]) => {
      taken += batch.length;
      return lexedHere(batch);
    }, limit === undefined ? {} : { limit });
    const results = pool.map('lex', items, 2, helper);
    expect(results).toEqual(lexedHere(items));
    if (limit !== undefined) expect(taken).toBeLessThanOrEqual(limit);
    // Without a limit it takes its share (one worker lexes the rest); with one of 3, exactly 3 (the worker cannot take all first).
    if (limit === undefined) expect(taken).toBeGreaterThan(3);
    if (limit === 3) expect(taken).toBe(3);
  });

  it('lets the workers claim every item while this thread does a long step of other work', () => {
    // Handed out by this thread, a batch at a time, they would wait for the step to end with most items left.
    let taken = 0;
    const helper = (batch: LexItem[]) => {
      taken += batch.length;
      return lexedHere(batch);
    };
    let stepped = false;
    const longStep = () => {
      if (stepped) return false;
      stepped = true;
      for (const until = Date.now() + 1500; Date.now() < until;) {
        // busy, as this thread is while it reads Xcode projects
      }
      return true;
    };
    expect(pool.map('lex', items, 1, helper, longStep)).toEqual(lexedHere(items));
    expect(taken).toBe(0);
  });
});
