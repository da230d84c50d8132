import { hipaa } from "../lib/hipaa";
import { stackPolicy } from "../lib/define";
import { BUCKET_TYPES, S3 } from "../lib/types";
import { get, probe, str } from "../lib/util";
import { buckets, companions, first } from "./lib";

export const s3BucketAclsDisabled = stackPolicy({
  name: "s3-bucket-acls-disabled",
  description: "Bucket ACLs stay disabled (object ownership BucketOwnerEnforced, no BucketAcl).",
  severity: "low",
  enforcementLevel: "advisory",
  category: "hygiene",
  framework: hipaa("164.312(a)(1)", "164.308(a)(4)(ii)(C)"),
  awsConfig: ["s3-bucket-acl-prohibited"],
  resourceTypes: [...BUCKET_TYPES],
  relatedTypes: [...S3.ownership, ...S3.acl],
  remediationSteps:
    'Remove BucketAcl resources and set BucketOwnershipControls `objectOwnership: "BucketOwnerEnforced"` ' +
    "(the default for new buckets); grant log delivery through the bucket policy.",
  validate: (ctx, report) => {
    ctx.each(buckets(ctx), (b) => {
      const own = companions(ctx, b, S3.ownership);
      for (const o of own.matched) {
        const mode = str(get(o.props, "rule", "objectOwnership")) ?? str(get(first(get(o.props, "rule")), "objectOwnership"));
        if (mode !== "BucketOwnerEnforced") {
          report(b.urn, `Object ownership is ${mode ?? "unset"}: ACLs remain active. Use BucketOwnerEnforced.`);
        }
      }
      const acls = companions(ctx, b, S3.acl);
      if (acls.matched.length > 0) {
        report(b.urn, "The bucket is managed with a BucketAcl: disable ACLs and use policies instead.");
      }
      const inlineAcl = probe(b.props, "acl");
      if (typeof inlineAcl === "string" && inlineAcl !== "" && inlineAcl !== "private") {
        report(b.urn, `The bucket sets the inline ACL "${inlineAcl}".`);
      }
    });
  },
});
