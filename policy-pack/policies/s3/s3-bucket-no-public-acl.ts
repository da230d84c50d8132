import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { BUCKET_TYPES, S3 } from "../lib/types";
import { get, list, str } from "../lib/util";

const PUBLIC_ACLS = ["public-read", "public-read-write", "authenticated-read"];

const PUBLIC_GRANTEES = ["http://acs.amazonaws.com/groups/global/AllUsers", "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"];

export const s3BucketNoPublicAcl = resourcePolicy({
  name: "s3-bucket-no-public-acl",
  description: "No bucket ACL grants access to everyone or to all authenticated AWS users.",
  severity: "critical",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.publicAccess),
  cdkNag: ["S3BucketPublicReadProhibited", "S3BucketPublicWriteProhibited"],
  awsConfig: ["s3-bucket-public-read-prohibited", "s3-bucket-public-write-prohibited"],
  resourceTypes: [...BUCKET_TYPES, ...S3.acl],
  remediationSteps:
    "Remove the public canned ACL or grant (use `private`, or better, disable ACLs with BucketOwnershipControls " +
    "`BucketOwnerEnforced`) and grant access through IAM and bucket policies.",
  validate: (ctx, report) => {
    const acl = str(get(ctx.props, "acl"));
    if (acl && PUBLIC_ACLS.includes(acl)) {
      report(`The canned ACL "${acl}" makes the bucket public.`);
    }
    const grants = S3.acl.includes(ctx.type as (typeof S3.acl)[number])
      ? list(get(ctx.props, "accessControlPolicy", "grants")).map((g) => ({
          uri: str(get(g, "grantee", "uri")),
          perm: str(get(g, "permission")),
        }))
      : list(get(ctx.props, "grants")).map((g) => ({ uri: str(get(g, "uri")), perm: list(get(g, "permissions")).join("/") }));
    for (const g of grants) {
      if (g.uri && PUBLIC_GRANTEES.includes(g.uri)) {
        report(`The ACL grants ${g.perm ?? "access"} to ${g.uri.split("/").pop()}.`);
      }
    }
  },
});
