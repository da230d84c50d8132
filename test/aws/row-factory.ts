/**
 * What the behaviour rows and the handler replays share: every call is made over TLS (the platform's
 * policies deny anything else), and most rows are a caller's needed calls, allowed and settled.
 */
import type { Row } from "./behaviour";
import type { Call, Context } from "./simulate";

export const TLS: Context = { "aws:SecureTransport": "true" };

/** A needed call of one caller, over TLS; its id `<label>:<action> <id>`. `extra` overrides (expected, settled, note). */
export type NeededCall = (id: string, action: string, resource: string, context: Context, doc: string, extra?: Partial<Row>) => Row;

export function neededCallsOf(label: string, caller: Call["caller"]): NeededCall {
  return (id, action, resource, context, doc, extra = {}) => ({
    id: `${label}:${action} ${id}`,
    caller,
    action,
    resource,
    context: { ...TLS, ...context },
    expected: "Allowed",
    doc,
    settled: true,
    ...extra,
  });
}
