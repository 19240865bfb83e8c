/**
 * XPC listeners and how a listener checks who connects: what `xpc-unvalidated-peer` asks of an
 * `NSXPCListenerDelegate` or a C listener's event handler. A Mach service is registered with launchd,
 * so any process of the user (or of the system, for a daemon) can look it up and connect; only a
 * code-signing requirement tells a trusted client from another.
 */
import type { CallExpr, CodeBody, FunctionDecl, SyntaxNode } from '../syntax/ir';
import { callsIn, descendants, memberPath, methodsNamed, rootOf } from '../syntax/query';

export const SHOULD_ACCEPT_CONNECTION = 'listener(_:shouldAcceptNewConnection:)';

/** How a listener's accept code treats the peer. */
export type PeerCheck =
  /** A code-signing requirement, an audit-token based check, or a check we cannot see into (a validating callee). */
  | 'requirement'
  /** Only the process identifier: another process can take the PID over between the check and the use. */
  | 'pid-only'
  | 'none';

/** `setCodeSigningRequirement(_:)` / `[c setCodeSigningRequirement:]` and the C peer requirements (macOS 12–14). */
const REQUIREMENT_CALL = /^(setCodeSigningRequirement|xpc_connection_set_peer_(code_signing|lightweight_code|team_identity|platform_identity|entitlement_exists|entitlement_matches_value)_requirement|xpc_connection_set_peer_requirement)$/;
/** Checks bound to the peer's audit token or its signed entitlements, which a PID race cannot fool. */
const TOKEN_CHECK = /^(auditToken|kSecGuestAttributeAudit|xpc_connection_get_audit_token|SecTaskCreateWithAuditToken|valueForEntitlement)$/;
const PID_READ = /^(processIdentifier|kSecGuestAttributePid|xpc_connection_get_pid)$/;
/** A callee we cannot read whose name says it checks the peer. */
const VALIDATING_NAME = /valid|verif|check|authori[sz]|trust|allow|sign|permit/i;

/** Is this call `xpc_connection_create_mach_service(name, queue, XPC_CONNECTION_MACH_SERVICE_LISTENER)`? */
export function isCMachServiceListener(call: CallExpr): boolean {
  if (call.baseName !== 'xpc_connection_create_mach_service') return false;
  const flags = call.args[2]?.value;
  return flags !== undefined && [flags, ...descendants(flags)].some((n) => n.kind === 'ident' && n.name === 'XPC_CONNECTION_MACH_SERVICE_LISTENER');
}

/**
 * What `body` (and the functions of the same file it calls, one level) does to check the peer. A
 * requirement set anywhere wins; a PID read without one is `pid-only`.
 */
export function peerCheckIn(body: SyntaxNode, depth = 1): PeerCheck {
  let pid = false;
  for (const node of [body, ...descendants(body)]) {
    const name = nodeName(node);
    if (name === undefined) continue;
    if (REQUIREMENT_CALL.test(name) || isRequirementAssignment(node) || TOKEN_CHECK.test(name) || isEntitlementRead(node)) return 'requirement';
    if (PID_READ.test(name)) pid = true;
    if (node.kind === 'call' && depth > 0) {
      const callee = calleeCheck(node, depth);
      if (callee === 'requirement') return 'requirement';
      if (callee === 'pid-only') pid = true;
    }
  }
  return pid ? 'pid-only' : 'none';
}

/** Swift `connection.value(forEntitlement:)`: entitlements come from the peer's signature. */
function isEntitlementRead(node: SyntaxNode): boolean {
  return node.kind === 'call' && node.name === 'value(forEntitlement:)';
}

function nodeName(node: SyntaxNode): string | undefined {
  if (node.kind === 'call') return node.baseName;
  if (node.kind === 'member' || node.kind === 'ident') return node.name;
  return undefined;
}

/** ObjC `[connection setCodeSigningRequirement:@"…"]` reads as an assignment to `codeSigningRequirement`. */
function isRequirementAssignment(node: SyntaxNode): boolean {
  return node.kind === 'member' && node.name === 'codeSigningRequirement' && node.parent?.kind === 'assign' && node.parent.target === node;
}

/**
 * A function the accept code calls: a same-file one is read (its own check); one we cannot read
 * (another file, another type's static helper) counts as a check when its name says it checks and
 * it is given something, since an unseen validator is more often right than not.
 */
function calleeCheck(call: CallExpr, depth: number): PeerCheck | undefined {
  const onSelf = !call.receiver || memberPath(call.receiver)[0] === 'self';
  const callees: FunctionDecl[] = onSelf ? methodsNamed(rootOf(call), undefined, call.baseName).filter((f) => f.body) : [];
  if (callees.length === 0) return VALIDATING_NAME.test(call.baseName) && call.args.length > 0 ? 'requirement' : undefined;
  const checks = callees.map((f) => peerCheckIn(f.body!, depth - 1));
  return checks.includes('requirement') ? 'requirement' : checks.includes('pid-only') ? 'pid-only' : undefined;
}

/** Does every `return` of the accept method return a literal `true`/`YES` (or does it return nothing else)? */
export function acceptsUnconditionally(body: CodeBody): boolean {
  if (!body.body) return false;
  const returns = [...descendants(body.body, (n) => n.kind !== 'closure')].filter((n) => n.kind === 'jump' && n.jump === 'return');
  return returns.length > 0 && returns.every((r) => r.kind === 'jump' && r.value?.kind === 'literal' && r.value.type === 'bool' && r.value.value === 'true');
}

/** Does the accept method ever accept (some `return` that is not a literal `false`)? */
export function everAccepts(body: CodeBody): boolean {
  if (!body.body) return false;
  const returns = [...descendants(body.body, (n) => n.kind !== 'closure')].filter((n) => n.kind === 'jump' && n.jump === 'return');
  return returns.some((r) => r.kind === 'jump' && !(r.value?.kind === 'literal' && r.value.type === 'bool' && r.value.value === 'false'));
}

/** The `xpc_connection_set_event_handler(listener, ^(peer){…})` calls for a C listener stored in `name`, in `scope`. */
export function eventHandlersOf(scope: SyntaxNode, name: string): CallExpr[] {
  return callsIn(scope, (c) => c.baseName === 'xpc_connection_set_event_handler' && memberPath(c.args[0]?.value).slice(-1)[0] === name, false);
}
