// Settings the reference systems call out (0.3.0): S3 Bucket Keys on SSE-KMS buckets, Macie
// job idempotency in state machines, an MFA-enforced developers group, OpenSearch prod availability.
// Each policy: the compliant fixture passes, one mutation per violation, a wrong-type resource stays
// silent, preview-unknown decided.
import { StateResource } from "../checker/deployment";
import { iamGroupMfaEnforced } from "../policies/iam";
import { UNKNOWN_BOOLEAN, UNKNOWN_STRING } from "../policies/lib/unknown";
import { opensearchProdAvailability } from "../policies/opensearch";
import { s3BucketKeyEnabled } from "../policies/s3";
import { sfnMacieJobIdempotent } from "../policies/stepfunctions";
import { ACCOUNT, set } from "../test-support/builder";
import { Platform } from "../test-support/platform";
import { policySuite } from "../test-support/suite";

const domain = (p: Platform) => p.find("aws:opensearch/domain:Domain");
const machine = (p: Platform) => p.find("aws:sfn/stateMachine:StateMachine");

const MACIE = "arn:aws:states:::aws-sdk:macie2:createClassificationJob";
function definition(p: Platform, states: Record<string, unknown>): void {
  set(machine(p), "definition", JSON.stringify({ StartAt: Object.keys(states)[0], States: states }));
}

const MFA_DENY = {
  Sid: "DenyAllExceptListedIfNoMFA",
  Effect: "Deny",
  Resource: "*",
  NotAction: ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser", "iam:ListMFADevices", "sts:GetSessionToken"],
  Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
};
const GRANT = { Sid: "StartSessions", Effect: "Allow", Action: "ssm:StartSession", Resource: "*" };

/** The developers group with a customer-managed policy of `statements` attached through the stack. */
function developers(
  p: Platform,
  statements: unknown[],
  how: "managed" | "inline" = "managed",
): { group: StateResource; doc: StateResource } {
  const name = "hcp-dev-developers";
  const group = p.add(
    "aws:iam/group:Group",
    "developers",
    { name, path: "/" },
    { id: name, outputs: { arn: `arn:aws:iam::${ACCOUNT}:group/${name}` } },
  );
  const policyDoc = JSON.stringify({ Version: "2012-10-17", Statement: statements });
  if (how === "inline") {
    const doc = p.add(
      "aws:iam/groupPolicy:GroupPolicy",
      "developers-inline",
      { group: name, policy: policyDoc },
      { pd: { group: [group] } },
    );
    return { group, doc };
  }
  const arn = `arn:aws:iam::${ACCOUNT}:policy/${name}`;
  const doc = p.add("aws:iam/policy:Policy", "developers-policy", { name, policy: policyDoc }, { id: arn, outputs: { arn } });
  p.add(
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
    "developers-attach",
    { group: name, policyArn: arn },
    { pd: { group: [group], policyArn: [doc] } },
  );
  return { group, doc };
}

describe("reference settings", () => {
  policySuite(s3BucketKeyEnabled, {
    cases: [
      {
        name: "SSE-KMS without a Bucket Key",
        mutate: (p) => set(p.phiData.sse, "rules.0.bucketKeyEnabled", false),
        expect: { violation: "phi-data-sse", message: /Bucket Key/ },
      },
      {
        name: "SSE-KMS with bucketKeyEnabled absent",
        mutate: (p) => set(p.phiData.sse, "rules.0.bucketKeyEnabled", undefined),
        expect: { violation: "phi-data-sse" },
      },
      {
        name: "the deprecated inline configuration on the bucket is judged too",
        mutate: (p) =>
          set(p.phiData.bucket, "serverSideEncryptionConfiguration", {
            rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } },
          }),
        expect: { violation: "phi-data-bucket" },
      },
      {
        name: "SSE-S3 needs no Bucket Key",
        mutate: (p) => set(p.phiData.sse, "rules.0", { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }),
        expect: "clean",
      },
      {
        name: "DSSE-KMS (which does not support Bucket Keys) is not judged",
        mutate: (p) => set(p.phiData.sse, "rules.0", { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms:dsse" } }),
        expect: "clean",
      },
      {
        name: "preview: bucketKeyEnabled unknown -> can't run",
        mutate: (p) => set(p.phiData.sse, "rules.0.bucketKeyEnabled", UNKNOWN_BOOLEAN),
        expect: "unknown",
      },
    ],
  });

  policySuite(sfnMacieJobIdempotent, {
    cases: [
      {
        name: "a Macie job task without ClientToken",
        mutate: (p) =>
          definition(p, {
            Classify: { Type: "Task", Resource: MACIE, Parameters: { JobType: "ONE_TIME" }, End: true },
          }),
        expect: { violation: "incident", message: /Classify.*ClientToken/ },
      },
      {
        name: "inside a Parallel branch and a Map processor",
        mutate: (p) =>
          definition(p, {
            Fan: {
              Type: "Parallel",
              End: true,
              Branches: [{ StartAt: "A", States: { A: { Type: "Task", Resource: MACIE, Parameters: {}, End: true } } }],
            },
            Each: { Type: "Map", End: true, ItemProcessor: { StartAt: "B", States: { B: { Type: "Task", Resource: MACIE, End: true } } } },
          }),
        expect: { violation: "incident", message: /Task "B"/ },
      },
      {
        name: "a literal ClientToken or JSONata Arguments pass",
        mutate: (p) =>
          definition(p, {
            A: { Type: "Task", Resource: MACIE, Parameters: { ClientToken: "fixed" }, Next: "B" },
            B: { Type: "Task", Resource: MACIE, Arguments: { ClientToken: "{% $states.context.Execution.Name %}" }, End: true },
          }),
        expect: "clean",
      },
      {
        name: "other tasks need no ClientToken",
        mutate: (p) => definition(p, { A: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", End: true } }),
        expect: "clean",
      },
      { name: "preview: definition unknown -> can't run", mutate: (p) => set(machine(p), "definition", UNKNOWN_STRING), expect: "unknown" },
    ],
  });

  policySuite(iamGroupMfaEnforced, {
    cases: [
      {
        name: "a group with AWS's MFA deny beside its grants passes",
        mutate: (p) => {
          developers(p, [MFA_DENY, GRANT]);
        },
        expect: "clean",
      },
      {
        name: "an inline MFA deny passes",
        mutate: (p) => {
          developers(p, [MFA_DENY, GRANT], "inline");
        },
        expect: "clean",
      },
      {
        name: "a group that grants without the MFA deny",
        mutate: (p) => {
          developers(p, [GRANT]);
        },
        expect: { violation: "developers", message: /without MFA/ },
      },
      {
        name: "a deny on some actions only does not enforce MFA",
        mutate: (p) => {
          developers(p, [{ ...MFA_DENY, NotAction: undefined, Action: ["s3:*"] }, GRANT]);
        },
        expect: { violation: "developers" },
      },
      {
        name: "a condition that is not about MFA does not enforce it",
        mutate: (p) => {
          developers(p, [{ ...MFA_DENY, Condition: { Bool: { "aws:SecureTransport": "false" } } }, GRANT]);
        },
        expect: { violation: "developers" },
      },
      {
        name: "an AWS-managed policy attached without the MFA deny",
        mutate: (p) => {
          const { group } = developers(p, [MFA_DENY]);
          p.remove(p.find("aws:iam/groupPolicyAttachment:GroupPolicyAttachment"));
          p.add(
            "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
            "developers-readonly",
            { group: "hcp-dev-developers", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" },
            { pd: { group: [group] } },
          );
        },
        expect: { violation: "developers" },
      },
      {
        name: "a group that grants nothing is not judged",
        mutate: (p) => {
          p.add("aws:iam/group:Group", "empty", { name: "empty-group" }, { id: "empty-group" });
        },
        expect: "clean",
      },
      {
        name: "preview: the attached policy document unknown -> can't run",
        mutate: (p) => {
          const { doc } = developers(p, [GRANT]);
          set(doc, "policy", UNKNOWN_STRING);
        },
        expect: "unknown",
      },
    ],
  });

  policySuite(opensearchProdAvailability, {
    env: "prod",
    cases: [
      {
        name: "zone awareness off in prod",
        mutate: (p) => set(domain(p), "clusterConfig.zoneAwarenessEnabled", false),
        expect: { violation: "events-domain", message: /Zone awareness is off/ },
      },
      {
        name: "one Availability Zone configured",
        config: { "opensearch-prod-availability": { minAvailabilityZones: 3 } },
        mutate: (p) => set(domain(p), "clusterConfig.zoneAwarenessConfig.availabilityZoneCount", 2),
        expect: { violation: "events-domain", message: /spans 2/ },
      },
      {
        name: "no dedicated masters in prod",
        mutate: (p) => set(domain(p), "clusterConfig.dedicatedMasterEnabled", false),
        expect: { violation: "events-domain", message: /Dedicated master/ },
      },
      {
        name: "too few dedicated masters",
        config: { "opensearch-prod-availability": { minDedicatedMasters: 5 } },
        expect: { violation: "events-domain", message: /3 dedicated master/ },
      },
      {
        name: "no clusterConfig at all in prod",
        mutate: (p) => set(domain(p), "clusterConfig", undefined),
        expect: { violation: "events-domain" },
      },
      {
        name: "a dev domain may be single-AZ without masters",
        env: "dev",
        mutate: (p) => set(domain(p), "clusterConfig", { instanceCount: 1 }),
        expect: "clean",
      },
      {
        name: "preview: zoneAwarenessEnabled unknown -> can't run",
        mutate: (p) => set(domain(p), "clusterConfig.zoneAwarenessEnabled", UNKNOWN_BOOLEAN),
        expect: "unknown",
      },
    ],
  });
});
