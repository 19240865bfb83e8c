import {
  SHOULD_ACCEPT_CONNECTION, acceptsUnconditionally, callsIn, defineRule, enclosingFunction, eventHandlersOf, everAccepts,
  isCMachServiceListener, memberPath, peerCheckIn, rootOf,
} from '@bglint/core';
import type { CallExpr, FunctionDecl, RelatedInput, RuleContext, SyntaxNode } from '@bglint/core';

const MACH_LISTENER_SWIFT = `let listener = NSXPCListener(machServiceName: "com.example.helper")\nlistener.delegate = delegate\nlistener.resume()\n`;

export default defineRule({
  meta: {
    id: 'xpc-unvalidated-peer',
    severity: 'warning',
    since: '0.3.0',
    summary: 'A Mach-service XPC listener must check the code signature of each process that connects.',
    why:
      'A Mach service is registered with launchd, so any process running as the user (any process on the Mac, for a ' +
      'launch daemon) can look it up and connect. Whatever the listener exports — often a privileged helper — is then ' +
      'callable by that process unless the connection is checked against a code-signing requirement: ' +
      '`setCodeSigningRequirement(_:)` on the new connection or `setConnectionCodeSigningRequirement(_:)` on the listener ' +
      '(macOS 13), `xpc_connection_set_peer_code_signing_requirement` for the C API (macOS 12), or a check of the ' +
      "peer's audit token. A check of the process identifier alone is not enough: the peer can exit and another " +
      'process take over its PID between the check and the messages. Listeners that are not Mach services ' +
      '(`NSXPCListener.service()` in an XPC service bundle, anonymous listeners) are not reported: only their own app, ' +
      'or whoever was handed the endpoint, can connect. The rule reads the whole project for the Mach-service listener ' +
      '(`NSXPCListener(machServiceName:)`, usually in `main.swift`) and for a listener-wide requirement. No fix is ' +
      'suggested: the requirement names your team identifier and the clients you trust.',
    symptom:
      'No crash and no log line: the helper does what any local process that looks the Mach service up asks of it, ' +
      'with the helper\'s privileges (the forum threads show daemons "exposing an XPC Mach Service" to other processes; ' +
      'checks by PID are the ones F681053 discusses).',
    fix:
      'Before accepting, call `newConnection.setCodeSigningRequirement("anchor apple generic and certificate leaf[subject.OU] = \\"TEAMID\\"")` ' +
      '(or set `setConnectionCodeSigningRequirement` once on the listener); on macOS 11 and older, check the audit token ' +
      'with `SecCodeCopyGuestWithAttributes(kSecGuestAttributeAudit)` and `SecCodeCheckValidity`. For the C API, call ' +
      '`xpc_connection_set_peer_code_signing_requirement(peer, requirement)` before `xpc_connection_resume(peer)`.',
    references: [
      'https://developer.apple.com/documentation/foundation/nsxpcconnection/setcodesigningrequirement(_:)',
      'https://developer.apple.com/documentation/foundation/nsxpclistener/setconnectioncodesigningrequirement(_:)',
      'https://developer.apple.com/documentation/xpc/xpc_connection_set_peer_code_signing_requirement(_:_:)',
      'https://developer.apple.com/documentation/foundation/nsxpclistenerdelegate/listener(_:shouldacceptnewconnection:)',
      'https://developer.apple.com/forums/thread/681053',
    ],
    tags: ['security', 'xpc', 'macos'],
    precision: 'high',
    securitySeverity: 7.5,
    messages: {
      unconditional:
        'This Mach-service listener accepts every connection, so any local process can look the service up and call what it exports. Set a code-signing requirement on the connection (setCodeSigningRequirement) or on the listener (setConnectionCodeSigningRequirement) before accepting.',
      noRequirement:
        'Connections to this Mach service are accepted without a code-signing requirement, so any local process that passes these checks can call what it exports. Set one with setCodeSigningRequirement on the new connection (or setConnectionCodeSigningRequirement on the listener).',
      pidOnly:
        'The peer is checked by its process identifier only: it can exit and another process take over its PID between the check and the messages. Check a code-signing requirement instead (setCodeSigningRequirement, or the audit token).',
      cListener:
        'This Mach-service listener accepts peers without xpc_connection_set_peer_code_signing_requirement, so any local process can look the service up and send it messages. Set a requirement on each peer connection before resuming it.',
    },
    examples: {
      swift: {
        invalid: [
          `${MACH_LISTENER_SWIFT}\nfinal class HelperDelegate: NSObject, NSXPCListenerDelegate {\n  func ↓listener(_ listener: NSXPCListener, shouldAcceptNewConnection newConnection: NSXPCConnection) -> Bool {\n    newConnection.exportedInterface = NSXPCInterface(with: HelperProtocol.self)\n    newConnection.exportedObject = Helper()\n    newConnection.resume()\n    return true\n  }\n}`,
          `${MACH_LISTENER_SWIFT}\nfinal class HelperDelegate: NSObject, NSXPCListenerDelegate {\n  let appPID: pid_t\n  func ↓listener(_ listener: NSXPCListener, shouldAcceptNewConnection newConnection: NSXPCConnection) -> Bool {\n    guard newConnection.processIdentifier == appPID else { return false }\n    newConnection.exportedObject = Helper()\n    newConnection.resume()\n    return true\n  }\n}`,
          `${MACH_LISTENER_SWIFT}\nfinal class HelperDelegate: NSObject, NSXPCListenerDelegate {\n  func ↓listener(_ listener: NSXPCListener, shouldAcceptNewConnection newConnection: NSXPCConnection) -> Bool {\n    if newConnection.effectiveUserIdentifier != 0 { return false }\n    newConnection.exportedObject = Helper()\n    newConnection.resume()\n    return true\n  }\n}`,
          `let listener = NSXPCListener.init(machServiceName: "com.example.helper")\n\nfinal class HelperDelegate: NSObject, NSXPCListenerDelegate {\n  func ↓listener(_ listener: NSXPCListener, shouldAcceptNewConnection newConnection: NSXPCConnection) -> Bool {\n    guard isValidClient(connection: newConnection) else { return false }\n    newConnection.resume()\n    return true\n  }\n  private func isValidClient(connection: NSXPCConnection) -> Bool {\n    return (try? CodesignCheck.codeSigningMatches(pid: connection.processIdentifier)) ?? false\n  }\n}`,
          { code: `final class HelperDelegate: NSObject, NSXPCListenerDelegate {\n  func ↓listener(_ listener: NSXPCListener, shouldAcceptNewConnection newConnection: NSXPCConnection) -> Bool {\n    newConnection.exportedObject = Helper()\n    newConnection.resume()\n    return true\n  }\n}`, project: { sources: [MACH_LISTENER_SWIFT] } },
        ],
        valid: [
          `${MACH_LISTENER_SWIFT}\nfinal class HelperDelegate: NSObject, NSXPCListenerDelegate {\n  func listener(_ listener: NSXPCListener, shouldAcceptNewConnection newConnection: NSXPCConnection) -> Bool {\n    newConnection.setCodeSigningRequirement("anchor apple generic and certificate leaf[subject.OU] = \\"TEAMID1234\\"")\n    newConnection.exportedObject = Helper()\n    newConnection.resume()\n    return true\n  }\n}`,
          `let listener = NSXPCListener(machServiceName: "com.example.helper")\nlistener.setConnectionCodeSigningRequirement("identifier \\"com.example.app\\" and anchor apple generic")\nlistener.delegate = delegate\n\nfinal class HelperDelegate: NSObject, NSXPCListenerDelegate {\n  func listener(_ listener: NSXPCListener, shouldAcceptNewConnection newConnection: NSXPCConnection) -> Bool {\n    newConnection.exportedObject = Helper()\n    newConnection.resume()\n    return true\n  }\n}`,
          `let listener = NSXPCListener.service()\nlistener.delegate = delegate\n\nfinal class ServiceDelegate: NSObject, NSXPCListenerDelegate {\n  func listener(_ listener: NSXPCListener, shouldAcceptNewConnection newConnection: NSXPCConnection) -> Bool {\n    newConnection.exportedObject = Service()\n    newConnection.resume()\n    return true\n  }\n}`,
          `${MACH_LISTENER_SWIFT}\nfinal class HelperDelegate: NSObject, NSXPCListenerDelegate {\n  func listener(_ listener: NSXPCListener, shouldAcceptNewConnection newConnection: NSXPCConnection) -> Bool {\n    guard isTrustedClient(newConnection) else { return false }\n    newConnection.resume()\n    return true\n  }\n\n  private func isTrustedClient(_ connection: NSXPCConnection) -> Bool {\n    var token = connection.auditToken\n    let attributes = [kSecGuestAttributeAudit: Data(bytes: &token, count: MemoryLayout<audit_token_t>.size)] as CFDictionary\n    var code: SecCode?\n    guard SecCodeCopyGuestWithAttributes(nil, attributes, [], &code) == errSecSuccess, let code else { return false }\n    return SecCodeCheckValidity(code, [], requirement) == errSecSuccess\n  }\n}`,
          `${MACH_LISTENER_SWIFT}\nfinal class HelperDelegate: NSObject, NSXPCListenerDelegate {\n  func listener(_ listener: NSXPCListener, shouldAcceptNewConnection newConnection: NSXPCConnection) -> Bool {\n    return false\n  }\n}`,
          `let listener = NSXPCListener.init(machServiceName: machServiceName)\n\nfinal class XPCServer: NSObject, NSXPCListenerDelegate {\n  func listener(_ listener: NSXPCListener, shouldAcceptNewConnection newConnection: NSXPCConnection) -> Bool {\n    if (!isValidClient(forConnection: newConnection)) {\n      return false\n    }\n    newConnection.resume()\n    return true\n  }\n  private func isValidClient(forConnection connection: NSXPCConnection) -> Bool {\n    var token = connection.auditToken\n    return CodeCheck.matches(auditToken: &token)\n  }\n}`,
          `let listener = NSXPCListener(machServiceName: machServiceName)\n\nfinal class XPCDelegate: NSObject, NSXPCListenerDelegate {\n  func listener(_ listener: NSXPCListener, shouldAcceptNewConnection newConnection: NSXPCConnection) -> Bool {\n    guard ConnectionVerifier.isValid(connection: newConnection) else { return false }\n    newConnection.resume()\n    return true\n  }\n}`,
        ],
      },
      objc: {
        invalid: [
          `int main(void) {\n  NSXPCListener *listener = [[NSXPCListener alloc] initWithMachServiceName:@"com.example.helper"];\n  listener.delegate = [HelperDelegate new];\n  [listener resume];\n  [[NSRunLoop currentRunLoop] run];\n}\n\n@implementation HelperDelegate\n- (BOOL)↓listener:(NSXPCListener *)listener shouldAcceptNewConnection:(NSXPCConnection *)newConnection {\n  newConnection.exportedObject = self;\n  [newConnection resume];\n  return YES;\n}\n@end`,
          `int main(void) {\n  xpc_connection_t listener = xpc_connection_create_mach_service("com.example.helper", NULL, XPC_CONNECTION_MACH_SERVICE_LISTENER);\n  ↓xpc_connection_set_event_handler(listener, ^(xpc_object_t peer) {\n    xpc_connection_set_event_handler(peer, ^(xpc_object_t message) { handle(message); });\n    xpc_connection_resume(peer);\n  });\n  xpc_connection_resume(listener);\n  dispatch_main();\n}`,
        ],
        valid: [
          `int main(void) {\n  NSXPCListener *listener = [[NSXPCListener alloc] initWithMachServiceName:@"com.example.helper"];\n  listener.delegate = [HelperDelegate new];\n  [listener resume];\n}\n\n@implementation HelperDelegate\n- (BOOL)listener:(NSXPCListener *)listener shouldAcceptNewConnection:(NSXPCConnection *)newConnection {\n  [newConnection setCodeSigningRequirement:@"anchor apple generic and certificate leaf[subject.OU] = \\"TEAMID1234\\""];\n  newConnection.exportedObject = self;\n  [newConnection resume];\n  return YES;\n}\n@end`,
          `int main(void) {\n  xpc_connection_t listener = xpc_connection_create_mach_service("com.example.helper", NULL, XPC_CONNECTION_MACH_SERVICE_LISTENER);\n  xpc_connection_set_event_handler(listener, ^(xpc_object_t peer) {\n    xpc_connection_set_peer_code_signing_requirement(peer, "anchor apple generic and certificate leaf[subject.OU] = \\"TEAMID1234\\"");\n    xpc_connection_set_event_handler(peer, ^(xpc_object_t message) { handle(message); });\n    xpc_connection_resume(peer);\n  });\n  xpc_connection_resume(listener);\n}`,
          `void connect(void) {\n  xpc_connection_t connection = xpc_connection_create_mach_service("com.example.helper", NULL, XPC_CONNECTION_MACH_SERVICE_PRIVILEGED);\n  xpc_connection_set_event_handler(connection, ^(xpc_object_t event) { handle(event); });\n  xpc_connection_resume(connection);\n}`,
        ],
      },
    },
    triggers: ['shouldAcceptNewConnection', 'XPC_CONNECTION_MACH_SERVICE_LISTENER'],
    // A delegate is checked only when the project makes a Mach-service listener (`checkDelegate`).
    triggersWhen: [{ project: 'xpc-mach-service-listener', triggers: ['shouldAcceptNewConnection'] }],
  },
  create(context) {
    return {
      function(fn) {
        if (fn.name === SHOULD_ACCEPT_CONNECTION) checkDelegate(context, fn);
      },
      'call:xpc_connection_create_mach_service(_:_:_:)'(call) {
        if (isCMachServiceListener(call)) checkCListener(context, call);
      },
    };
  },
});

function checkDelegate(context: RuleContext, fn: FunctionDecl): void {
  const { apiUses } = context.index;
  if (!apiUses.has('xpc-mach-service-listener') || apiUses.has('xpc-listener-requirement')) return;
  if (!fn.body || !everAccepts(fn)) return;
  const check = peerCheckIn(fn.body);
  if (check === 'requirement') return;
  const messageId = check === 'pid-only' ? 'pidOnly' : acceptsUnconditionally(fn) ? 'unconditional' : 'noRequirement';
  context.report({ at: fn.nameSpan, messageId, related: machListenerIn(rootOf(fn)) });
}

/** Where this file makes the Mach-service listener, when it does. */
function machListenerIn(root: SyntaxNode): RelatedInput[] {
  const made = callsIn(root, (c) => c.name === 'NSXPCListener(machServiceName:)' || (c.name === 'init(withMachServiceName:)' && memberPath(c.receiver).includes('NSXPCListener')));
  return made.slice(0, 1).map((c) => ({ at: c.nameSpan, message: 'the Mach-service listener is made here' }));
}

function checkCListener(context: RuleContext, call: CallExpr): void {
  const name = storedIn(call);
  if (!name) return;
  const scope = enclosingFunction(call) ?? rootOf(call);
  const handlers = eventHandlersOf(rootOf(call), name);
  const checks = [peerCheckIn(scope), ...handlers.map((h) => peerCheckIn(h))];
  if (checks.includes('requirement')) return;
  const at = handlers[0]?.nameSpan ?? call.nameSpan;
  context.report({ at, messageId: checks.includes('pid-only') ? 'pidOnly' : 'cListener' });
}

function storedIn(call: CallExpr): string | undefined {
  const parent = call.parent;
  if (parent?.kind === 'var') return parent.name;
  if (parent?.kind === 'assign' && parent.value === call) return memberPath(parent.target).slice(-1)[0];
  return undefined;
}
