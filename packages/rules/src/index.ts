/** The rule registry and the rule sets configs extend. */
import type { Rule, RuleSets } from '@bglint/core';
import backgroundTaskUnbalanced from './rules/background-task-unbalanced';
import backgroundTaskDeferredEnd from './rules/background-task-deferred-end';
import bgtaskHandlerMainActor from './rules/bgtask-handler-main-actor';
import continuedProcessingGpuUnchecked from './rules/continued-processing-gpu-unchecked';
import discretionaryBackgroundUpload from './rules/discretionary-background-upload';
import bgtaskPlistMismatch from './rules/bgtask-plist-mismatch';
import continuedProcessingGpuEntitlement from './rules/continued-processing-gpu-entitlement';
import locationBackgroundModeMissing from './rules/location-background-mode-missing';
import temporaryExceptionEntitlement from './rules/temporary-exception-entitlement';
import bluetoothRestorationMissing from './rules/bluetooth-restoration-missing';
import backgroundSessionUnsupportedTask from './rules/background-session-unsupported-task';
import macosKeychainDataProtection from './rules/macos-keychain-data-protection';
import keychainBackgroundAccessibility from './rules/keychain-background-accessibility';
import backgroundSessionEventsCompletion from './rules/background-session-events-completion';
import xpcUnvalidatedPeer from './rules/xpc-unvalidated-peer';
import prewarmUnsafeEarlyInit from './rules/prewarm-unsafe-early-init';
import extensionRequestNotCompleted from './rules/extension-request-not-completed';
import bgtaskRegisterTiming from './rules/bgtask-register-timing';
import continuedProcessingNotUserInitiated from './rules/continued-processing-not-user-initiated';
import bgtaskHandlerIncomplete from './rules/bgtask-handler-incomplete';
import continuedProcessingNoProgress from './rules/continued-processing-no-progress';
import mainQueueSyncDeadlock from './rules/main-queue-sync-deadlock';
import backgroundKeepaliveHack from './rules/background-keepalive-hack';
import bgprocessingNetworkNotRequired from './rules/bgprocessing-network-not-required';

export const allRules: Rule[] = [
  backgroundTaskUnbalanced,
  backgroundTaskDeferredEnd,
  bgtaskHandlerMainActor,
  continuedProcessingGpuUnchecked,
  discretionaryBackgroundUpload,
  bgtaskPlistMismatch,
  continuedProcessingGpuEntitlement,
  locationBackgroundModeMissing,
  temporaryExceptionEntitlement,
  bluetoothRestorationMissing,
  backgroundSessionUnsupportedTask,
  macosKeychainDataProtection,
  keychainBackgroundAccessibility,
  backgroundSessionEventsCompletion,
  xpcUnvalidatedPeer,
  prewarmUnsafeEarlyInit,
  extensionRequestNotCompleted,
  bgtaskRegisterTiming,
  continuedProcessingNotUserInitiated,
  bgtaskHandlerIncomplete,
  continuedProcessingNoProgress,
  mainQueueSyncDeadlock,
  backgroundKeepaliveHack,
  bgprocessingNetworkNotRequired,
];

/** Ids of rules not in `recommended` (opt-in with `extends: [all]` or by id). */
const OPT_IN = new Set<string>();

export const ruleSets: RuleSets = {
  all: allRules,
  recommended: allRules.filter((r) => !OPT_IN.has(r.meta.id)),
};

export const rulesById = new Map(allRules.map((r) => [r.meta.id, r]));

export { ruleMarkdown, ruleSummary, rulesIndexMarkdown, DOCS_BASE_URL, PAGES_NAMING_HOME, withHomeUrl } from './docs';
export { explainLog, logLines, logPatternsOf } from './explain';
export type { Explanation } from './explain';
