/**
 * Preload for the language server under bench.mjs: counts garbage collections by kind with their total
 * and longest pause, written as JSON to GC_STATS_FILE at exit (and every 2 s). Usage:
 * `GC_STATS_FILE=/tmp/gc.json BENCH_NODE_ARGS="--require $PWD/packages/lsp/scripts/gc-stats.cjs" node packages/lsp/scripts/bench.mjs`
 */
const fs = require('node:fs');
const { PerformanceObserver, constants } = require('node:perf_hooks');

const kinds = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};
const stats = {};
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = kinds[entry.detail?.kind] ?? 'other';
    const s = (stats[kind] ??= { count: 0, ms: 0, max: 0 });
    s.count++;
    s.ms += entry.duration;
    s.max = Math.max(s.max, entry.duration);
  }
}).observe({ entryTypes: ['gc'] });
const file = process.env.GC_STATS_FILE ?? `gc-stats-${process.pid}.json`;
const write = () => fs.writeFileSync(file, JSON.stringify(stats));
setInterval(write, 2000).unref();
process.on('exit', write);
