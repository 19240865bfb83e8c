export * from './types';
export * from './syntax/ir';
export * from './syntax/query';
export { childrenOf } from './syntax/children';
export { partsLowered } from './syntax/deferred';
export { resolveString, dictionaryEntries } from './syntax/constants';
export type { StringValue } from './syntax/constants';
export { swiftNameForSelector, parseSwiftName } from './syntax/api-names';
export { pathsFrom, pathsThrough, isGuardedBy } from './flow/paths';
export type { Obligation, PathLeaks, CheckTest } from './flow/paths';
export { ProjectIndex, lexFile, lexFacts, stripCommentsAndStrings, LEXICAL_CONSUMERS, outlineFile, keysOf, namesReferencedBy, INDEX_EVERYWHERE_WORDS, WHOLE_INDEX_WORDS, asksWholeIndex, TASK_BEGIN_WORD, taskEndingMethods } from './facts/lexical-index';
export { firstRegistrationElsewhere } from './facts/task-registrations';
export type { IndexedType, IndexedMethod, FileFacts, TypeFacts, ProjectIndexData, FileOutline, LexOptions } from './facts/lexical-index';
export { isolationAt, typeIsolation, calleeIsolation, MAIN_ACTOR_SUPERTYPES } from './facts/isolation';
export type { Isolation, IsolationSettings } from './facts/isolation';
export { defineRule } from './engine/rule';
export type {
  Rule, RuleMeta, RuleContext, RuleListener, RuleExamples, RuleExample, ExampleProject, ExampleWithProject, ReportInput, RelatedInput,
  TargetSettings, OptionSpec, ProjectFileContext, ProjectFileKind, ProjectFileReport,
} from './engine/rule';
export type { LogPattern } from './engine/rule';
export { lintProjectFile } from './engine/project-file-runner';
export type { ProjectFileInput } from './engine/project-file-runner';
export { plistPathKey, plistLocation, plistString, plistStrings, plistBoolean, hasBackgroundMode, relatedAtKey, plistName, runsWithOwnPlist, processInfoPlist, bundleKindOf } from './facts/project';
export type { PlistFacts, PlistDictValue, PlistValue, ProjectFacts, PlistPathSegment, BundleKind } from './facts/project';
export { lintSource, passesPrefilter, countedTriggers, optionTriggers, fill } from './engine/runner';
export { wordsIn } from './engine/words';
export { PROJECT_CONDITIONS, projectConditions } from './facts/project-conditions';
export type { ProjectCondition } from './facts/project-conditions';
export type { EnabledRule, LintInput } from './engine/runner';
export { parseDirectives, applyDirectives } from './engine/suppressions';
export { parseSource, languageOf, unreadableLines, PARSE_TIME_LIMIT_MS, ParseCache } from './source/parse';
export type { ParseOptions, ParsedFile, LineSpan } from './source/parse';
export { normalizeSource } from './source/normalize';
export { parseConfig, rulesForFile, isIgnored, ConfigError, CONFIG_FILE_NAMES, parseRuleSetting } from './config/config';
export type { ConfigLayer, RuleSetting, RuleSets } from './config/config';
export {
  BEGIN_BACKGROUND_TASK, END_BACKGROUND_TASK, END_BACKGROUND_TASK_CONSUMER, BACKGROUND_TASK_TRIGGERS, expirationHandlerOf, isEndCall, isUIKitBegin, deferredBy, storedTaskName, TaskEnding,
} from './apis/background-tasks';
export { applyFixes } from './engine/fixes';
export type { FixOutcome } from './engine/fixes';
export { plistFacts, withGeneratedKeys, buildSettingRange, readPlistFacts, plistFactsFromObject, plistXml } from './facts/build-project-facts';
export { GPU_ENTITLEMENT, gpuRequested, gpuValueIn, lastName } from './apis/continued-processing';
export { REGISTER_TASK, TASK_IDENTIFIER_SIGNATURES, taskIdentifierUse, permits, requiredBackgroundMode } from './apis/task-scheduler';
export type { TaskIdentifierUse } from './apis/task-scheduler';
export { ProjectFactsBuilder } from './facts/target-facts';
export type { ProjectFactsIo } from './facts/target-facts';
export { mainQueueContext, isMainThreadCheck, isMainQueueValue, blockingWait, propertyWaitsIn } from './apis/main-queue';
export type { MainQueueContext, BlockingWait, QueueSettings } from './apis/main-queue';
export { isNetworkTransfer, NETWORK_TRANSFER } from './apis/network';
export { BACKGROUND_CONFIGURATION, BACKGROUND_SESSION_TRIGGERS, SESSION_TASK_TRIGGERS, backgroundSessionCallsFromIndex, backgroundSessionMembersIn, backgroundSessionsIn, backgroundSessionOf, backgroundSessionConfiguredBy, isBackgroundConfigurationCall } from './apis/url-session';
export type { BackgroundSession, Storage as ValueStorage } from './apis/url-session';
export { KEYCHAIN_TRIGGERS, secConstantName, secItemOperation, keychainQueriesOf, keychainQuery, constantName, entryValue, hasKey } from './apis/keychain';
export type { KeychainQuery, KeychainEntry, SecItemOperation } from './apis/keychain';
export { backgroundScopeOf, handlerRolesOf, roleSite } from './apis/background-scopes';
export type { HandlerRole } from './apis/background-scopes';
export { HOME_URL, HOME_REPOSITORY, RULE_DOCS_URL } from './home';
export * from './calls';
export { backgroundReach, backgroundReachOf, checksProtectedDataOf, describeReach, keychainReadUnits, launchEntryFiles, launchReach, launchReachIn, launchReachOf, passThroughsOf, regeneratingCallersOf, signedInChecksOf, unitKeyOf } from './calls/reach';
export type { BackgroundReach, LaunchReach } from './calls/reach';
export { INDEXED_API_USES, API_USE_WORDS, apiUsesIn } from './facts/api-uses';
export type { IndexedApiUse } from './facts/api-uses';
export { SHOULD_ACCEPT_CONNECTION, isCMachServiceListener, peerCheckIn, acceptsUnconditionally, everAccepts, eventHandlersOf } from './apis/xpc';
export type { PeerCheck } from './apis/xpc';
export { isMacOSCode, mayRunInIOSApp, runsOnMacOS } from './facts/platform';
export { earlyLaunchCode, protectedReadOf, isProcessExit, readsActivePrewarm } from './apis/early-launch';
export type { EarlyLaunchCode, EarlyLaunchKind, ProtectedRead } from './apis/early-launch';
export { leakThrough, everDischarges, leakingClosures } from './flow/every-path';
export type { Discharge, Leak } from './flow/every-path';
export { BEGIN_REQUEST_NAMES, REQUEST_ENDING, isBeginRequest, requestEnding, viewControllerRequest, viewControllerEnding, userEndsRequest, typeMayEndRequest } from './apis/extension-requests';
export type { ViewControllerRequest } from './apis/extension-requests';
export { mergeTargetFindings } from './engine/targets';
export type { TargetFacet } from './engine/targets';
export { isLaunchFunction, runsAfterLaunch, runsInBackground, sameTypeCallers } from './apis/app-lifecycle';
export type { PhaseReason } from './apis/app-lifecycle';
export { passesValue, storesValue, functionsNamed } from './flow/value-flow';
export type { ValuePassing, ValueTarget } from './flow/value-flow';
export {
  SET_TASK_COMPLETED, CONTINUED_PROCESSING_TASK, CONTINUED_PROCESSING_REQUEST, launchHandlerOf, TaskFollower, isCompletion,
  castsToContinuedProcessing, createsContinuedProcessingRequest, submittedContinuedRequest, setsEarliestBeginDate, registersContinuedProcessing,
} from './apis/bg-task-handlers';
export type { LaunchHandler, TaskLeak, TaskUsage } from './apis/bg-task-handlers';
export { backgroundLaunchModes, restoresBluetoothState } from './apis/background-entry-points';
