// A PHI bucket is readable only through keys whose policies name its readers.

import { PolicyResource } from "@pulumi/policy";
import { stackPolicy } from "../lib/define";
import { hipaa } from "../lib/hipaa";
import { conditionKeys, grants, isAccountRoot, isAllow, isAnyone, Statement, statementsOf } from "../lib/iamdoc";
import { companionsOf, identifiers, ofTypes } from "../lib/join";
import { PHI_CLASSIFICATIONS_SCHEMA, phiBuckets } from "../lib/phi-path";
import { BUCKET_TYPES, S3, T } from "../lib/types";
import { get, list, probe, UNKNOWN } from "../lib/util";

const isBucket = ofTypes(BUCKET_TYPES);
const isKey = ofTypes([T.kmsKey]);

/** Condition keys that restrict a delegation to named principals or to use through an AWS service. */
const NAMING_KEYS = ["aws:principalarn", "kms:viaservice"];

/** Operators that let a request without the key through, so they bind nothing for it. */
const LENIENT_OPERATOR = /IfExists$|^Null$/;

/**
 * S3 encrypts an object under the encryption context `aws:s3:arn` (the object's or, with an S3
 * Bucket Key, the bucket's ARN) and sends no other key:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context.
 * A statement that requires another context key (for example Step Functions'
 * `aws:states:stateMachineArn`) can never decrypt the bucket's objects, whoever its principal is.
 */
function bindsAnotherContext(s: Statement): boolean {
  return Object.entries(s.condition ?? {}).some(
    ([operator, keys]) =>
      !LENIENT_OPERATOR.test(operator) &&
      typeof keys === "object" &&
      keys !== null &&
      Object.keys(keys).some((k) => {
        const key = k.toLowerCase();
        return key.startsWith("kms:encryptioncontext:") && key !== "kms:encryptioncontext:aws:s3:arn";
      }),
  );
}

/**
 * What a key-policy statement that allows kms:Decrypt leaves unnamed: "*" (anyone), or the account
 * root without kms:ViaService / aws:PrincipalArn (which lets any IAM principal of the account
 * that its own IAM policy allows decrypt, directly and outside S3:
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam).
 */
function unnamedReaders(s: Statement): string | undefined {
  if (!isAllow(s) || !grants(s, "kms:Decrypt")) {
    return undefined;
  }
  if (bindsAnotherContext(s)) {
    return undefined;
  }
  if (s.notPrincipal) {
    return "every principal not listed in NotPrincipal";
  }
  const named = conditionKeys(s).some((k) => NAMING_KEYS.includes(k));
  if (s.principals.some(isAnyone) && !conditionKeys(s).includes("aws:principalarn")) {
    return 'the wildcard principal "*"';
  }
  if (s.principals.some(isAccountRoot) && !named) {
    return "the account root without a kms:ViaService or aws:PrincipalArn condition (any IAM principal of the account whose IAM policy allows kms:Decrypt)";
  }
  return undefined;
}

/** The in-stack keys that encrypt a bucket's objects by default (SSE-KMS / DSSE-KMS). */
function keysOf(
  bucket: PolicyResource,
  encryption: PolicyResource[],
  keyIndex: Map<string, PolicyResource>,
): { keys: PolicyResource[]; undecided: boolean } {
  const joined = companionsOf(bucket, encryption, ["bucket"], isBucket);
  const keys = new Set<PolicyResource>();
  let undecided = joined.undecided;
  for (const c of joined.matched) {
    for (const rule of list(get(c.props, "rules"))) {
      const id = probe(rule, "applyServerSideEncryptionByDefault", "kmsMasterKeyId");
      if (typeof id === "string" && keyIndex.has(id)) {
        keys.add(keyIndex.get(id) as PolicyResource);
        continue;
      }
      const pd = (c.propertyDependencies?.rules ?? []).filter(isKey);
      if (pd.length === 1) {
        keys.add(pd[0]);
      } else if (id === UNKNOWN) {
        undecided = true;
      }
    }
  }
  return { keys: [...keys], undecided };
}

export const phiBucketKeyReaders = stackPolicy<{ phiClassifications: string[] }>({
  name: "phi-bucket-key-readers",
  description:
    "Every customer-managed key of the stack that encrypts a PHI bucket lets only principals its policy names decrypt: no " +
    "wildcard principal, and the account root only through an AWS service (kms:ViaService) or for named principals " +
    "(aws:PrincipalArn), so reading the bucket's objects needs both the bucket's grant and the key policy's " +
    "(https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html).",
  severity: "critical",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa("164.308(a)(4)(ii)(B)", "164.312(a)(1)", "164.312(a)(2)(iv)"),
  resourceTypes: [...BUCKET_TYPES],
  relatedTypes: [...S3.encryption, T.kmsKey, T.kmsKeyPolicy],
  config: { phiClassifications: PHI_CLASSIFICATIONS_SCHEMA },
  remediationSteps:
    "In the key policy, grant kms:Decrypt to the reader roles by ARN, or to the account root only with a kms:ViaService " +
    "condition (s3.<region>.amazonaws.com) and kms:CallerAccount; keep the root's administration statement without kms:Decrypt " +
    "(https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html). A key with no policy gets the default " +
    "policy, which grants the account root kms:* unconditioned.",
  examines: [
    { rule: "PHI buckets", where: (b, ctx) => phiBuckets(ctx.resources, (r) => ctx.tags(r), ctx.config.phiClassifications).includes(b) },
  ],
  validate: (ctx, report) => {
    const buckets = ctx.subjects();
    const keyIndex = new Map<string, PolicyResource>();
    for (const k of ctx.ofType([T.kmsKey])) {
      for (const id of identifiers(k).known) {
        keyIndex.set(id, k);
      }
      const keyId = probe(k.props, "keyId");
      if (typeof keyId === "string") {
        keyIndex.set(keyId, k);
      }
    }
    const encryption = ctx.ofType(S3.encryption);
    const keyPolicies = ctx.ofType([T.kmsKeyPolicy]);
    ctx.each(buckets, (b) => {
      const { keys, undecided } = keysOf(b, encryption, keyIndex);
      if (undecided && keys.length === 0) {
        ctx.undecided([b.type, b.name, "bucket"]);
        return;
      }
      for (const key of keys) {
        // A separate aws.kms.KeyPolicy replaces the key's own policy.
        const separate = companionsOf(key, keyPolicies, ["keyId"], isKey).matched;
        const doc = separate.length > 0 ? probe(separate[0].props, "policy") : probe(key.props, "policy");
        if (doc === UNKNOWN) {
          ctx.undecided([key.type, key.name, "policy"]);
          continue;
        }
        const statements =
          doc === undefined || doc === null || doc === ""
            ? [
                {
                  sid: "default key policy",
                  effect: "Allow",
                  principals: [{ kind: "AWS", value: "000000000000" }],
                  hasPrincipal: true,
                  notPrincipal: false,
                  actions: ["kms:*"],
                  notAction: false,
                  resources: ["*"],
                  notResource: false,
                  condition: undefined,
                },
              ]
            : (statementsOf(doc) ?? []);
        for (const [i, s] of statements.entries()) {
          const who = unnamedReaders(s);
          if (who) {
            report(
              b.urn,
              `The key ${key.name} that encrypts this PHI bucket lets ${who} decrypt (${s.sid ? `statement "${s.sid}"` : `statement ${i + 1}`}): ` +
                "its policy does not name the bucket's readers.",
            );
          }
        }
      }
    });
  },
});
