import { PolicyResource } from "@pulumi/policy";
import { CITES, hipaa } from "../lib/hipaa";
import { stackPolicy } from "../lib/define";
import { isAnyone, isDeny, statementsOf, Statement } from "../lib/iamdoc";
import { identifiers } from "../lib/join";
import { BUCKET_TYPES, S3 } from "../lib/types";
import { get, isRec, list } from "../lib/util";
import { buckets, companions } from "./lib";

function deniesInsecureTransport(s: Statement, bucket: PolicyResource): boolean | "maybe" {
  if (!isDeny(s) || !s.principals.some(isAnyone)) {
    return false;
  }
  if (!s.actions.some((a) => a === "*" || a === "s3:*")) {
    return false;
  }
  const cond = s.condition ?? {};
  const insecure = ["Bool", "BoolIfExists"].some((op) => {
    const c = cond[op];
    if (!isRec(c)) {
      return false;
    }
    const key = Object.keys(c).find((k) => k.toLowerCase() === "aws:securetransport");
    return (
      key !== undefined &&
      list(c[key])
        .map(String)
        .map((x) => x.toLowerCase())
        .includes("false")
    );
  });
  if (!insecure) {
    return false;
  }
  if (s.resources.includes("*") || s.resources.includes("arn:aws:s3:::*")) {
    return true;
  }
  const ids = identifiers(bucket);
  const arns = [...ids.known].filter((x) => x.startsWith("arn:aws:s3:::"));
  if (arns.length === 0) {
    return ids.unknown ? "maybe" : false;
  }
  return arns.some((arn) => s.resources.includes(arn)) && arns.some((arn) => s.resources.includes(`${arn}/*`));
}

export const s3BucketSslRequestsOnly = stackPolicy({
  name: "s3-bucket-ssl-requests-only",
  description: "Every bucket policy denies requests that do not use TLS (aws:SecureTransport = false).",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.transmission, "164.312(c)(2)"),
  cdkNag: ["S3BucketSSLRequestsOnly"],
  awsConfig: ["s3-bucket-ssl-requests-only"],
  resourceTypes: [...BUCKET_TYPES],
  relatedTypes: [...S3.policy],
  remediationSteps:
    'Add an aws.s3.BucketPolicy whose document has a statement: Effect Deny, Principal "*", Action s3:*, ' +
    'Resource [bucket ARN, bucket ARN + "/*"], Condition { Bool: { "aws:SecureTransport": "false" } }.',
  validate: (ctx, report) => {
    ctx.each(buckets(ctx), (b) => {
      const joined = companions(ctx, b, S3.policy);
      const docs = [...joined.matched.map((p) => get(p.props, "policy")), get(b.props, "policy")].filter(
        (d) => d !== undefined && d !== "",
      );
      let maybe = false;
      for (const doc of docs) {
        for (const s of statementsOf(doc) ?? []) {
          const r = deniesInsecureTransport(s, b);
          if (r === true) {
            return;
          }
          maybe = maybe || r === "maybe";
        }
      }
      if (maybe || joined.undecided) {
        ctx.undecided([b.type, b.name, "arn"]);
        return;
      }
      report(
        b.urn,
        docs.length === 0
          ? "The bucket has no bucket policy denying non-TLS requests."
          : "The bucket policy does not deny requests with aws:SecureTransport = false for the bucket and its objects.",
      );
    });
  },
});
