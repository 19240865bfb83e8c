/** `BGContinuedProcessingTaskRequest.requiredResources` and the GPU in it, as the GPU rules see them. */
import type { Expr, SyntaxNode } from '../syntax/ir';
import { descendants, memberPath } from '../syntax/query';

export const GPU_ENTITLEMENT = 'com.apple.developer.background-tasks.continued-processing.gpu';

/** The last name of a member path: `request.requiredResources` → `requiredResources`. */
export function lastName(expr: Expr | undefined): string | undefined {
  const path = memberPath(expr);
  return path[path.length - 1];
}

/**
 * The `.gpu` a statement puts into `requiredResources`: `x.requiredResources = .gpu` / `[.gpu]`,
 * `x.requiredResources.insert(.gpu)`, ObjC `x.requiredResources = BGContinuedProcessingTaskRequestResourcesGPU`.
 */
export function gpuRequested(node: SyntaxNode): Expr | undefined {
  if (node.kind === 'assign') return lastName(node.target) === 'requiredResources' ? gpuValueIn(node.value) : undefined;
  if (node.kind !== 'call' || !/^(insert|formUnion|update)$/.test(node.baseName) || lastName(node.receiver) !== 'requiredResources') return undefined;
  return node.args.map((a) => gpuValueIn(a.value)).find(Boolean);
}

/** `.gpu`, `BGContinuedProcessingTaskRequest.Resources.gpu`, `[.gpu]`, ObjC `…ResourcesGPU`. */
export function gpuValueIn(expr: Expr): Expr | undefined {
  if (isGpu(expr)) return expr;
  for (const d of descendants(expr, (n) => n.kind !== 'closure')) if (isGpu(d)) return d as Expr;
  return undefined;
}

function isGpu(node: SyntaxNode): boolean {
  if (node.kind === 'ident') return (node.implicitMember && node.name === 'gpu') || node.name === 'BGContinuedProcessingTaskRequestResourcesGPU';
  return node.kind === 'member' && node.name === 'gpu';
}
