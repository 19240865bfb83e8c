import { GPU_ENTITLEMENT, defineRule, gpuRequested, plistBoolean, relatedAtKey, runsWithOwnPlist } from '@bglint/core';
import type { ProjectFacts, RelatedInput, SyntaxNode } from '@bglint/core';

export default defineRule({
  meta: {
    id: 'continued-processing-gpu-entitlement',
    severity: 'error',
    since: '0.2.0',
    summary: 'Requesting the GPU for a continued-processing task needs the background GPU entitlement.',
    why:
      'A `BGContinuedProcessingTaskRequest` may only put `.gpu` in `requiredResources` when the app is signed with ' +
      `\`${GPU_ENTITLEMENT}\` set to true (Signing & Capabilities → Background GPU Access). Without it the GPU is not ` +
      'granted in the background and Metal work fails. The entitlements are those of the file\'s own target ' +
      '(`CODE_SIGN_ENTITLEMENTS`); an Xcode target without an entitlements file lacks the key. When the entitlements ' +
      'cannot be known (a file outside any Xcode target with no `.entitlements` nearby), and in frameworks and Swift packages ' +
      '(signed with the entitlements of the app that links them), the rule is silent.',
    symptom: 'GPU work in the background task fails with "IOGPUMetalError: Insufficient Permission".',
    logPatterns: [{ pattern: /Insufficient Permission \(to submit GPU work from background\)|BackgroundExecutionNotPermitted/i, weight: 2 }],
    fix: `Add the Background GPU Access capability, which sets \`${GPU_ENTITLEMENT}\` to true in the target's entitlements.`,
    references: [
      'https://developer.apple.com/documentation/backgroundtasks/bgcontinuedprocessingtaskrequest/resources/gpu',
      'https://developer.apple.com/documentation/bundleresources/entitlements/com.apple.developer.background-tasks.continued-processing.gpu',
    ],
    tags: ['correctness', 'background-tasks', 'gpu', 'project-files'],
    precision: 'high',
    messages: {
      missing: `The GPU is required here, but {{where}} does not set ${GPU_ENTITLEMENT} to true: the task gets no background GPU access and Metal work fails. Add the Background GPU Access capability.`,
    },
    examples: {
      swift: {
        invalid: [
          { code: `func submitExport() throws {\n  let request = BGContinuedProcessingTaskRequest(identifier: "com.example.export.video", title: "Export", subtitle: "")\n  if BGTaskScheduler.supportedResources.contains(.gpu) {\n    ↓request.requiredResources = .gpu\n  }\n  try BGTaskScheduler.shared.submit(request)\n}`, project: { entitlements: { 'com.apple.security.application-groups': ['group.com.example'] } } },
          { code: `func submitExport() throws {\n  if BGTaskScheduler.supportedResources.contains(.gpu) {\n    ↓request.requiredResources.insert(.gpu)\n  }\n}`, project: { infoPlist: { CFBundleName: 'Exporter' } } },
          { code: `func submitExport() throws {\n  if BGTaskScheduler.supportedResources.contains(.gpu) {\n    ↓request.requiredResources = [.gpu]\n  }\n}`, project: { entitlements: { [GPU_ENTITLEMENT]: false } } },
        ],
        valid: [
          { code: `func submitExport() throws {\n  if BGTaskScheduler.supportedResources.contains(.gpu) {\n    request.requiredResources = .gpu\n  }\n}`, project: { entitlements: { [GPU_ENTITLEMENT]: true } } },
          `func submitExport() throws {\n  if BGTaskScheduler.supportedResources.contains(.gpu) {\n    request.requiredResources = .gpu\n  }\n}`,
        ],
      },
      objc: {
        invalid: [
          { code: `@implementation Exporter\n- (void)submit {\n  if (BGTaskScheduler.supportedResources & BGContinuedProcessingTaskRequestResourcesGPU) {\n    ↓request.requiredResources = BGContinuedProcessingTaskRequestResourcesGPU;\n  }\n}\n@end`, project: { entitlements: {} } },
        ],
        valid: [
          { code: `@implementation Exporter\n- (void)submit {\n  if (BGTaskScheduler.supportedResources & BGContinuedProcessingTaskRequestResourcesGPU) {\n    request.requiredResources = BGContinuedProcessingTaskRequestResourcesGPU;\n  }\n}\n@end`, project: { entitlements: { [GPU_ENTITLEMENT]: true } } },
        ],
      },
    },
    triggers: ['requiredResources'],
  },
  create(context) {
    const project = context.project;
    // A framework's or package's code is signed with the entitlements of the app that links it.
    if (!runsWithOwnPlist(project) || !lacksEntitlement(project)) return {};
    const onRequest = (node: SyntaxNode) => {
      if (!gpuRequested(node)) return;
      const { where, related } = entitlementsPlace(project);
      context.report({ at: node, messageId: 'missing', data: { where }, related });
    };
    return { assign: onRequest, call: onRequest };
  },
});

/** True only when the entitlements are known to lack the key (or set it false). */
function lacksEntitlement(project: ProjectFacts): boolean {
  if (!project.entitlements) return project.entitlementsKnown;
  return plistBoolean(project.entitlements, GPU_ENTITLEMENT) !== true;
}

function entitlementsPlace(project: ProjectFacts): { where: string; related: RelatedInput[] } {
  if (project.entitlements) {
    return { where: project.entitlements.file, related: [relatedAtKey(project.entitlements, [GPU_ENTITLEMENT], 'the target\'s entitlements')] };
  }
  const where = `target "${project.target}", which has no entitlements file (CODE_SIGN_ENTITLEMENTS),`;
  if (!project.projectFile) return { where, related: [] };
  const first = { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
  return { where, related: [{ file: project.projectFile, range: first, message: `target "${project.target}" has no CODE_SIGN_ENTITLEMENTS` }] };
}
