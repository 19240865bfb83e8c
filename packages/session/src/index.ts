/**
 * The lint session: config lookup, target resolution, discovery, project context, cache, worker
 * threads, baseline and fixes. The CLI, the language server and scripts all lint through it.
 */
export { configFor, discoverFiles, runLint, UsageErrorForPath } from './lint';
export type { RunOptions } from './lint';
export { ConfigFinder, TargetResolver, loadLayer, rulesFor } from './lint-context';
export type { ConfigChoice } from './lint-context';
export { applyBaseline, parseBaseline, writeBaseline, BASELINE_VERSION } from './baseline';
export type { ApplyBaselineOptions, BaselineEntry, BaselineFile, BaselineOutcome } from './baseline';
export { fixUntilStable, previewFixes, writeAtomically } from './fix';
