// Shared code of the cloudtrail policies.

import { PolicyResource } from "@pulumi/policy";
import { ofTypes } from "../lib/join";
import { isClassifiedAs } from "../lib/tags";
import { isPhiBucket } from "../lib/structure";
import { BUCKET_TYPES } from "../lib/types";

export const isBucket = ofTypes(BUCKET_TYPES);

export function phiBuckets(
  resources: PolicyResource[],
  tags: (r: PolicyResource) => Record<string, string>,
  classes: string[],
): PolicyResource[] {
  return resources.filter((r) => isBucket(r) && isPhiBucket(resources, r, isClassifiedAs(tags(r), classes)));
}
