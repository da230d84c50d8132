/**
 * Which incidents are the canary's: the detection canary (issue 18) reads an object under its key
 * prefix of the PHI data bucket as a probe role that IAM allows and the grants table does not, so
 * the authorizer denies it and starts an incident, marked `canary` so that the workflow skips Macie
 * and says "canary". A real incident must never be marked: only the canary principal, compared the
 * way grants are matched (grant-model.ts), and only when every access of the event is under the
 * canary prefix of the canary bucket. The canary principal touching another prefix or bucket, a copy
 * out of the prefix, a call naming no key, or any other principal touching the prefix: a normal incident.
 */
import type { EventFacts } from "./cloudtrail";
import type { CanaryTarget } from "./contract";
import { isSameGrantPrincipal } from "./grant-model";

/** True when the event is the canary's probe: the canary principal, every access under the canary prefix. */
export function isCanaryAccess(facts: Pick<EventFacts, "principal" | "accesses">, canary: CanaryTarget | undefined): boolean {
  if (canary === undefined || !isSameGrantPrincipal(canary.principalArn, facts.principal)) return false;
  return (
    facts.accesses.length > 0 &&
    facts.accesses.every((a) => a.bucket === canary.bucketName && a.key !== undefined && a.key.startsWith(canary.keyPrefix))
  );
}
