// The engine's unknown sentinels and a way to raise a genuine UnknownValueError.
//
// During `pulumi preview` a value that depends on an output not yet known is sent to the analyzer
// as one of these sentinel strings; the SDK's `unknownCheckingProxy` throws UnknownValueError when
// a policy reads one. The values are the ones in @pulumi/policy/proxy (and @pulumi/pulumi's
// runtime); policy-pack/spec/metadata.spec.ts checks that they still match.

import * as policySdk from "@pulumi/policy";

/**
 * The SDK's `unknownCheckingProxy` with its type: @pulumi/policy's index.d.ts re-exports it from
 * proxy.d.ts, which is published empty (`export {}`), so the plain import is untyped. The proxy is a
 * read-only view of the same shape that throws UnknownValueError on a preview-unknown value.
 */
export const unknownCheckingProxy = (policySdk as unknown as { unknownCheckingProxy: <T extends object>(value: T) => T })
  .unknownCheckingProxy;

export const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const UNKNOWN_BOOLEAN = "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7";
export const UNKNOWN_NUMBER = "3eeb2bf0-c639-47a8-9e75-3b44932eb421";
export const UNKNOWN_ARRAY = "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2";
export const UNKNOWN_OBJECT = "dd056dcd-154b-4c76-9bd3-c8f88648b5ff";
export const UNKNOWN_ASSET = "030794c1-ac77-496b-92df-f27374a8bd58";
export const UNKNOWN_ARCHIVE = "e48ece36-62e2-4504-bad9-02848725956a";

/**
 * An UnknownValueError for `path` (e.g. ["aws:s3/bucket:Bucket", "phi", "bucket"]), raised through
 * the SDK's own proxy so that the engine and the checker recognise it as such.
 */
export function unknownError(path: string[]): Error {
  const segments = path.length > 0 ? path : ["value"];
  let leaf: Record<string, unknown> = { [segments[segments.length - 1]]: UNKNOWN_STRING };
  for (let i = segments.length - 2; i >= 0; i--) {
    leaf = { [segments[i]]: leaf };
  }
  let cur: unknown = unknownCheckingProxy(leaf);
  try {
    for (const s of segments) {
      cur = (cur as Record<string, unknown>)[s];
    }
  } catch (e) {
    return e as Error;
  }
  return new Error(`value at .${segments.join(".")} can't be known during preview`);
}
