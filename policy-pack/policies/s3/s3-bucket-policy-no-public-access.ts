import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { conditionKeys, isAllow, isAnyone, statementsOf, Statement } from "../lib/iamdoc";
import { BUCKET_TYPES, S3 } from "../lib/types";
import { get } from "../lib/util";

const RESTRICTING_CONDITION_KEYS = [
  "aws:sourcearn",
  "aws:sourceaccount",
  "aws:sourceowner",
  "aws:principalorgid",
  "aws:principalaccount",
  "aws:principalarn",
  "aws:sourcevpce",
  "aws:sourcevpc",
  "aws:sourceip",
  "aws:vpcsourceip",
  "aws:principalorgpaths",
  "aws:userid",
];

function publicAllow(statements: Statement[]): Statement[] {
  return statements.filter(
    (s) =>
      isAllow(s) &&
      (s.notPrincipal || s.principals.some(isAnyone)) &&
      !conditionKeys(s).some((k) => RESTRICTING_CONDITION_KEYS.includes(k)),
  );
}

export const s3BucketPolicyNoPublicAccess = resourcePolicy({
  name: "s3-bucket-policy-no-public-access",
  description: "No bucket policy allows anyone (`*` principal) without a condition that restricts who the caller is.",
  severity: "critical",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.leastPrivilege, "164.312(e)(1)"),
  cdkNag: ["S3BucketPublicReadProhibited", "S3BucketPublicWriteProhibited"],
  awsConfig: ["s3-bucket-public-read-prohibited", "s3-bucket-public-write-prohibited", "s3-bucket-policy-grantee-check"],
  resourceTypes: [...S3.policy, ...BUCKET_TYPES],
  remediationSteps:
    "Name the principals (account roles, service principals) or add a condition such as aws:SourceArn, " +
    'aws:SourceAccount, aws:PrincipalOrgID or aws:SourceVpce to every Allow statement with Principal "*".',
  examines: [
    {
      rule: "bucket policies and buckets with an inline policy",
      where: (ctx) => {
        const raw = get(ctx.props, "policy");
        return raw !== undefined && raw !== null && raw !== "";
      },
    },
  ],
  validate: (ctx, report) => {
    const raw = get(ctx.props, "policy");
    const statements = statementsOf(raw);
    if (!statements) {
      report("The bucket policy is not a valid JSON policy document.");
      return;
    }
    for (const s of publicAllow(statements)) {
      report(`${s.sid ? `Statement "${s.sid}"` : "A statement"} allows ${s.actions.join(", ") || "actions"} to anyone.`);
    }
  },
});
