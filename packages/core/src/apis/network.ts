/** Calls that move data over the network: URLSession task creation (both languages), its async methods, Alamofire requests. */
import type { CallExpr } from '../syntax/ir';
import type { Consumer } from '../calls/types';
import { memberPath } from '../syntax/query';

const SESSION_TASKS = /^(dataTask|downloadTask|uploadTask|streamTask|webSocketTask|dataTaskPublisher)$/;
const SESSION_ASYNC = /^(data|download|upload|bytes)$/;

/** `session.dataTask(with:)`, `[session downloadTaskWithURL:]`, `try await URLSession.shared.data(from:)`, `AF.request(…)`. */
export function isNetworkTransfer(call: CallExpr): boolean {
  if (SESSION_TASKS.test(call.baseName)) return call.receiver !== undefined;
  const path = memberPath(call.receiver);
  if (SESSION_ASYNC.test(call.baseName) && call.args.length > 0) return path.some((p) => /session$/i.test(p));
  return path[0] === 'AF' && /^(request|upload|download|streamRequest)$/.test(call.baseName);
}

/** For the call-summary layer: "does this code (and what it calls) move data over the network?" (ask with no value names). */
export const NETWORK_TRANSFER: Consumer = { id: 'network-transfer', consumes: (call) => isNetworkTransfer(call) };
