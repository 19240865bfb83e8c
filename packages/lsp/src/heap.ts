/**
 * V8's heap settings for the server process. The server lints on every keystroke for hours. Each lint
 * of an open buffer leaves about 100 KB of garbage that outlives the young generation's collections
 * (promoted: the last version's results, mirror and view nodes, facts), and V8 collects the old
 * generation only once it has grown to two to four times the live heap (its default growing factor).
 * On the bench's 2,000-line file the live heap stays at 13 MB while the old generation swung between
 * 15 and 50 MB, and RSS with it (25–40 MB; docs/benchmarks.md, "Language server"). Native memory,
 * node-tree-sitter's trees included, stays flat: replaced trees die young.
 *
 * A growing factor of 1.5 makes V8 start its own incremental, concurrent collection sooner: RSS stays
 * flat for a few more milliseconds of collection every few dozen edits (measured: 0.05–0.1 ms an edit).
 * The flag is read whenever V8 sets the next limit, so setting it as the server starts takes effect.
 */
import * as v8 from 'node:v8';

export const HEAP_GROWING_PERCENT = 50;

export function tuneHeapForEditing(): void {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
