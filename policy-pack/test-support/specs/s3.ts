// Helpers shared by the specs of several s3 policies (no spec imports another spec).

import { StateResource } from "../../checker/deployment";
import { BucketSet, Platform } from "../platform";

export const BV2 = "aws:s3/bucketV2:BucketV2";

/** Turns the PHI bucket into the deprecated BucketV2 alias and its companions into the ...V2 aliases. */
export function toV2(p: Platform, s: BucketSet): void {
  const rename = (r: StateResource, to: string) => {
    const from = r.type;
    r.type = to;
    r.urn = r.urn.replace(from, to);
    for (const other of p.resources) {
      other.dependencies = other.dependencies.map((d) => d.replace(`${from}::`, `${to}::`));
      for (const k of Object.keys(other.propertyDependencies)) {
        other.propertyDependencies[k] = other.propertyDependencies[k].map((d) => (d === r.urn.replace(to, from) ? r.urn : d));
      }
    }
  };
  rename(s.bucket, BV2);
  rename(s.sse, "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2");
  rename(s.versioning, "aws:s3/bucketVersioningV2:BucketVersioningV2");
}

export const phi = (p: Platform) => p.phiData;

export const doc = (...statements: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

export const unlink = (r: StateResource) => {
  r.propertyDependencies = {};
  r.dependencies = [];
};
