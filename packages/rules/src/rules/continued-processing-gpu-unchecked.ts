import { defineRule, descendants, gpuRequested, gpuValueIn, isGuardedBy, lastName, rootOf } from '@bglint/core';
import type { Expr, RuleContext, SyntaxNode } from '@bglint/core';

export default defineRule({
  meta: {
    id: 'continued-processing-gpu-unchecked',
    severity: 'error',
    since: '0.1.0',
    summary: 'Check BGTaskScheduler.supportedResources before requiring the GPU for a continued-processing task.',
    why:
      'Not every device supports background GPU use. Putting `.gpu` in `BGContinuedProcessingTaskRequest.requiredResources` ' +
      'without first checking that `BGTaskScheduler.supportedResources` contains it makes the request fail or the ' +
      'GPU work be refused on those devices. A check in some other branch does not protect this line.',
    symptom: 'The export is killed with "IOGPUMetalError: Insufficient Permission"; `supportedResources` lacks `.gpu` on that device.',
    logPatterns: [{ pattern: /Insufficient Permission \(to submit GPU work from background\)|BackgroundExecutionNotPermitted/i, weight: 3 }],
    fix: 'Request `.gpu` only inside `if BGTaskScheduler.supportedResources.contains(.gpu)` (or after a `guard` on it), and keep a CPU path for devices without it.',
    references: [
      'https://developer.apple.com/documentation/backgroundtasks/bgtaskscheduler/supportedresources',
      'https://developer.apple.com/documentation/backgroundtasks/bgcontinuedprocessingtaskrequest/requiredresources',
    ],
    tags: ['correctness', 'background-tasks', 'gpu'],
    precision: 'very-high',
    hasSuggestions: true,
    messages: {
      unchecked: 'The GPU is required here without checking BGTaskScheduler.supportedResources first; on devices without background GPU support the task cannot use it and is stopped. Request .gpu only when supportedResources contains it, and keep a CPU path.',
    },
    examples: {
      swift: {
        invalid: [
          `func submitExport() throws {\n  let request = BGContinuedProcessingTaskRequest(identifier: "com.example.export.video", title: "Export", subtitle: "Starting")\n  ↓request.requiredResources = .gpu\n  try BGTaskScheduler.shared.submit(request)\n}`,
          `func submitExport() throws {\n  let request = BGContinuedProcessingTaskRequest(identifier: id, title: "Export", subtitle: "")\n  if BGTaskScheduler.supportedResources.contains(.gpu) {\n    log("gpu available")\n  }\n  ↓request.requiredResources.insert(.gpu)\n  try BGTaskScheduler.shared.submit(request)\n}`,
        ],
        valid: [
          `func submitExport() throws {\n  let request = BGContinuedProcessingTaskRequest(identifier: id, title: "Export", subtitle: "")\n  if BGTaskScheduler.supportedResources.contains(.gpu) {\n    request.requiredResources = .gpu\n  }\n  try BGTaskScheduler.shared.submit(request)\n}`,
          `func submitExport() throws {\n  guard BGTaskScheduler.supportedResources.contains(.gpu) else { return try submitCPUExport() }\n  let request = BGContinuedProcessingTaskRequest(identifier: id, title: "Export", subtitle: "")\n  request.requiredResources = [.gpu]\n  try BGTaskScheduler.shared.submit(request)\n}`,
          `func submitExport() throws {\n  let gpuOK = BGTaskScheduler.supportedResources.contains(.gpu)\n  request.requiredResources = gpuOK ? .gpu : []\n}`,
        ],
      },
      objc: {
        invalid: [
          `@implementation Worker\n- (void)submit {\n  BGContinuedProcessingTaskRequest *request = [[BGContinuedProcessingTaskRequest alloc] initWithIdentifier:@"com.example.export" title:@"Export" subtitle:@""];\n  ↓request.requiredResources = BGContinuedProcessingTaskRequestResourcesGPU;\n}\n@end`,
        ],
        valid: [
          `@implementation Worker\n- (void)submit {\n  if (BGTaskScheduler.supportedResources & BGContinuedProcessingTaskRequestResourcesGPU) {\n    request.requiredResources = BGContinuedProcessingTaskRequestResourcesGPU;\n  }\n}\n@end`,
        ],
      },
    },
    triggers: ['requiredResources'],
  },
  create(context) {
    const onRequest = (node: SyntaxNode) => {
      const gpu = gpuRequested(node);
      if (gpu) check(context, node, gpu);
    };
    return { assign: onRequest, call: onRequest };
  },
});

function check(context: RuleContext, node: SyntaxNode, gpu: Expr): void {
  const root = rootOf(node);
  if (isGuardedBy(gpu, (c, negated) => !negated && isGpuCheck(c, root))) return;
  context.report({ at: node, messageId: 'unchecked', suggest: wrapSuggestion(context, node) });
}

function wrapSuggestion(context: RuleContext, node: SyntaxNode) {
  if (context.language !== 'swift' || node.parent?.kind !== 'block') return [];
  const lineStart = context.text.lastIndexOf('\n', node.startIndex - 1) + 1;
  const indent = context.text.slice(lineStart, node.startIndex);
  const statement = context.text.slice(node.startIndex, node.endIndex);
  return [{
    description: 'Request the GPU only when BGTaskScheduler.supportedResources contains it',
    edits: [context.replace(node, `if BGTaskScheduler.supportedResources.contains(.gpu) {\n${indent}    ${statement}\n${indent}}`)],
  }];
}

/** `supportedResources.contains(.gpu)`, ObjC `supportedResources & …GPU`, or a Bool bound from one in this file. */
function isGpuCheck(c: Expr, root: SyntaxNode, depth = 0): boolean {
  if (c.kind === 'call' && c.baseName === 'contains' && lastName(c.receiver) === 'supportedResources') return c.args.some((a) => gpuValueIn(a.value));
  if (c.kind === 'binary' && c.operator === '&') {
    return [c.left, c.right].some((s) => lastName(s) === 'supportedResources') && [c.left, c.right].some((s) => gpuValueIn(s));
  }
  if (c.kind === 'binary' && /^(!=|>)$/.test(c.operator)) return isGpuCheck(c.left, root, depth);
  const name = c.kind === 'ident' || c.kind === 'member' ? lastName(c) : undefined;
  if (!name || depth > 2) return false;
  for (const d of descendants(root)) {
    if (d.kind !== 'var' || d.name !== name) continue;
    const value = d.value ?? (d.getter?.body.length === 1 ? asExpr(d.getter.body[0]!) : undefined);
    if (value && isGpuCheck(value, root, depth + 1)) return true;
  }
  return false;
}

function asExpr(node: SyntaxNode): Expr | undefined {
  if (node.kind === 'jump') return node.value;
  return node.kind === 'call' || node.kind === 'binary' || node.kind === 'member' || node.kind === 'ident' ? node : undefined;
}
