/**
 * iam/verifier-policy.json is exactly what verify calls: a full run of verify over the prod plan's
 * stack outputs (`npm run plan`, the outputs index.ts exports) records each action it calls; the
 * policy allows each of those on the resource the outputs name (simulated with
 * @cloud-copilot/iam-simulate, as test/aws/deploy-identity.spec.ts does), allows nothing else, and
 * denies every write and every read of PHI or secrets.
 * sts:GetCallerIdentity needs no permission ("No permissions are required to perform this operation":
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html), so the policy omits it.
 */
import * as assert from "assert";
import { planFileSync, planSpec } from "../support/plans";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { HeadObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { GetLoggingConfigurationCommand } from "@aws-sdk/client-wafv2";
import { mockClient } from "aws-sdk-client-mock";
import { Aws } from "../../tools/verify/aws";
import { domainName, domainNameFromEndpoint, regionFromOutputs, type Outputs } from "../../tools/verify/outputs";
import { EXIT, verify } from "../../tools/verify/run";
import { CANARY, CREDENTIALS, NOW, mockHealthyAccount } from "./harness";

const ROOT = path.resolve(__dirname, "../..");
type Statement = { Effect: string; Action: string | string[]; Resource: string | string[] };
const POLICY = JSON.parse(fs.readFileSync(path.join(ROOT, "iam/verifier-policy.json"), "utf8")) as {
  Version: string;
  Statement: Statement[];
};
const ACCOUNT = "123456789012";

/** The prod plan's stack resource: its type, outputs, and the domain's name. */
function prodPlan(): { outputs: Outputs; domainName: string; wafLogGroupArn: string } {
  const out = planFileSync(planSpec("prod"));
  const resources = (
    JSON.parse(fs.readFileSync(out, "utf8")) as { deployment: { resources: { type: string; outputs?: Record<string, unknown> }[] } }
  ).deployment.resources;
  const stack = resources.find((x) => x.type === "pulumi:pulumi:Stack");
  const domain = resources.find((x) => x.type === "aws:opensearch/domain:Domain");
  const wafLogging = resources.find((x) => x.type === "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration");
  assert.ok(stack?.outputs && domain?.outputs && wafLogging?.outputs, "the plan has the stack's outputs, the domain and the WAF logging");
  return {
    outputs: stack.outputs,
    domainName: String(domain.outputs.domainName),
    wafLogGroupArn: String((wafLogging.outputs.logDestinationConfigs as string[])[0]),
  };
}

async function decide(action: string, resource: string): Promise<string> {
  const result = await runSimulation(
    {
      request: {
        principal: `arn:aws:iam::${ACCOUNT}:role/auditor`,
        action,
        resource: { resource, accountId: ACCOUNT },
        contextVariables: { "aws:SecureTransport": "true" },
      },
      identityPolicies: [{ name: "verifier-policy.json", policy: POLICY }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (result.resultType === "error") throw new Error(`iam-simulate refused ${action} ${resource}: ${JSON.stringify(result.errors)}`);
  return result.overallResult;
}

describe("iam/verifier-policy.json: exactly the calls verify makes, simulated against the prod plan's outputs", function () {
  this.timeout(600_000);
  let plan: ReturnType<typeof prodPlan>;
  const called = new Set<string>();
  // Recorded by wrapping the method for one run (restored after it), called with the instance as `this`.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const original = Aws.prototype.call;

  before(async () => {
    plan = prodPlan();
    const m = mockHealthyAccount();
    const s3 = mockClient(S3Client);
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: "k", LastModified: new Date(NOW.getTime() - 60_000) }] });
    s3.on(ListObjectsV2Command, { Prefix: "errors/" }).resolves({ Contents: [] });
    s3.on(ListObjectsV2Command, { Delimiter: "/" }).resolves({ CommonPrefixes: [{ Prefix: "phi-data/" }] });
    s3.on(HeadObjectCommand).resolves({ ReplicationStatus: "COMPLETED", LastModified: new Date(NOW.getTime() - 60_000) });
    // The plan's WAF log group (the healthy mock names the same one).
    m.waf
      .on(GetLoggingConfigurationCommand)
      .resolves({ LoggingConfiguration: { ResourceArn: "a", LogDestinationConfigs: [plan.wafLogGroupArn] } });
    Aws.prototype.call = function <T>(this: Aws, action: string, send: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
      called.add(action);
      return original.call(this, action, send) as Promise<T>;
    };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "verify-policy-"));
    const file = path.join(dir, "outputs.json");
    // As a stack with enableAccountGuardrails exports it, so the guardrails check runs too.
    const buckets = { ...(plan.outputs.buckets as object), awsConfig: "hcp-prod-aws-config-123456789012-us-east-1" };
    // As the canary (branch canary, issue 18 section 2) exports it, in the plan's PHI bucket.
    const canary = { ...CANARY, bucket: (plan.outputs.buckets as { phiData: string }).phiData };
    fs.writeFileSync(file, JSON.stringify({ ...plan.outputs, buckets, canary }));
    try {
      const r = await verify(["--stack", "prod", "--outputs", file, "--format", "json"], {
        now: NOW,
        aws: { credentials: CREDENTIALS, timeoutMs: 1_000 },
      });
      // Every output verify reads exists in today's plan (a missing one would fail its check).
      assert.strictEqual(r.code, EXIT.pass, r.stdout + r.stderr);
    } finally {
      Aws.prototype.call = original;
      s3.restore();
      m.restore();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  /** The resource each call names, from the plan's outputs (Service Authorization Reference resource types). */
  const resourceOf = (action: string): string | string[] => {
    const o = plan.outputs as Record<string, Record<string, string>> & Record<string, string>;
    const region = regionFromOutputs(plan.outputs);
    switch (action) {
      case "cloudtrail:GetTrailStatus":
        return `arn:aws:cloudtrail:${region}:${ACCOUNT}:trail/${o.trailName}`;
      case "s3:ListBucket":
        return [
          o.securityEventPipeline.archiveBucket,
          o.applicationLoadBalancer.accessLogBucket,
          o.buckets.accessLogs,
          o.recoveryCopy.accessLogBucket,
        ].map((b) => `arn:aws:s3:::${b}`);
      case "s3:GetObject":
        // HeadObject of the canary's probe in the PHI bucket and its replica.
        return [o.buckets.phiData, o.recoveryCopy.phiReplicaBucket].map((b) => `arn:aws:s3:::${b}/canary/probe.json`);
      case "states:ListExecutions":
        return o.securityEventPipeline.incidentStateMachineArn;
      case "secretsmanager:DescribeSecret":
        return o.applicationDatabase.secretArn;
      case "logs:DescribeLogStreams":
        return [plan.wafLogGroupArn, `arn:aws:logs:${region}:${ACCOUNT}:log-group:${o.applicationLogGroupName}`];
      case "cloudwatch:GetMetricData":
      case "elasticloadbalancing:DescribeLoadBalancerAttributes":
      case "wafv2:GetLoggingConfiguration":
      case "config:DescribeConfigurationRecorderStatus":
      case "config:DescribeDeliveryChannelStatus":
      case "guardduty:ListDetectors":
      case "guardduty:GetDetector":
      case "cloudwatch:DescribeAlarms":
      case "cloudwatch:DescribeAlarmHistory":
      case "backup:ListBackupJobs":
      case "backup:ListCopyJobs":
        return "*";
      default:
        throw new Error(`verify calls ${action}: add it to iam/verifier-policy.json and to this spec with its resource`);
    }
  };

  it("verify reads the region, the domain's name, the ALB log bucket and the WAF log group from the outputs index.ts exports", () => {
    const o = plan.outputs as Record<string, Record<string, string>> & Record<string, string>;
    assert.strictEqual(o.region, "us-east-1");
    assert.strictEqual(regionFromOutputs(plan.outputs), "us-east-1");
    assert.strictEqual(o.securityEventPipeline.domainName, plan.domainName);
    assert.strictEqual(domainName(plan.outputs), plan.domainName);
    // Older stacks: derived from what they exported.
    assert.strictEqual(domainNameFromEndpoint(o.securityEventPipeline.domainEndpoint), plan.domainName);
    assert.strictEqual(regionFromOutputs({ ...plan.outputs, region: undefined }), "us-east-1");
    assert.match(o.applicationLoadBalancer.accessLogBucket, /^hcp-prod-alb-logs-/);
    assert.strictEqual(`${plan.wafLogGroupArn.split(":log-group:")[1].replace(/:\*$/, "")}`, o.applicationWebAclLogGroupName);
  });

  it("the policy names exactly the actions verify called", () => {
    const allowed = POLICY.Statement.flatMap((s) => [s.Action].flat()).sort();
    assert.deepStrictEqual([...called].sort(), allowed);
  });

  it("each call verify made is allowed on the resource the outputs name", async () => {
    for (const action of called)
      for (const resource of [resourceOf(action)].flat())
        assert.strictEqual(await decide(action, resource), "Allowed", `${action} ${resource}`);
  });

  it("is a managed policy of read actions only", () => {
    assert.strictEqual(POLICY.Version, "2012-10-17");
    for (const s of POLICY.Statement) {
      assert.strictEqual(s.Effect, "Allow");
      for (const a of [s.Action].flat()) assert.match(a, /^[a-z0-9-]+:(Get|List|Describe)[A-Za-z]+$/, a);
    }
  });

  const refused: [string, string][] = [
    ["s3:GetObject", "arn:aws:s3:::hcp-prod-phi-data-123456789012-us-east-1/patient.json"],
    // PHI: the intake and processed records, in the PHI bucket and its replica; canary/ only there.
    ["s3:GetObject", "arn:aws:s3:::hcp-prod-phi-data-123456789012-us-east-1/intake/patient-1.json"],
    ["s3:GetObject", "arn:aws:s3:::hcp-prod-phi-data-123456789012-us-east-1/processed/patient-1.json"],
    ["s3:GetObject", "arn:aws:s3:::hcp-prod-phi-replica-123456789012-us-west-2/intake/patient-1.json"],
    ["s3:GetObject", "arn:aws:s3:::hcp-prod-phi-replica-123456789012-us-west-2/processed/patient-1.json"],
    ["s3:GetObject", "arn:aws:s3:::hcp-prod-phi-data-123456789012-us-east-1/intake/canary/probe.json"],
    ["s3:GetObject", "arn:aws:s3:::hcp-prod-incident-reports-123456789012-us-east-1/canary/probe.json"],
    ["s3:GetObjectVersion", "arn:aws:s3:::hcp-prod-phi-data-123456789012-us-east-1/canary/probe.json"],
    ["s3:PutObject", "arn:aws:s3:::hcp-prod-phi-data-123456789012-us-east-1/canary/probe.json"],
    ["s3:GetObject", "arn:aws:s3:::hcp-prod-security-events-123456789012-us-east-1/events/a.gz"],
    ["s3:PutObject", "arn:aws:s3:::hcp-prod-security-events-123456789012-us-east-1/events/a.gz"],
    ["s3:DeleteObject", "arn:aws:s3:::hcp-prod-audit-trail-123456789012-us-east-1/CloudTrail/a.gz"],
    ["s3:PutBucketPolicy", "arn:aws:s3:::hcp-prod-security-events-123456789012-us-east-1"],
    ["s3:ListBucket", "arn:aws:s3:::another-teams-bucket"],
    ["secretsmanager:GetSecretValue", `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:rds!db-1`],
    ["secretsmanager:RotateSecret", `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:rds!db-1`],
    ["secretsmanager:PutSecretValue", `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:rds!db-1`],
    ["cloudtrail:StopLogging", `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/hcp-prod-audit`],
    ["cloudtrail:DeleteTrail", `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/hcp-prod-audit`],
    ["cloudtrail:UpdateTrail", `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/hcp-prod-audit`],
    ["cloudwatch:DeleteAlarms", `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:hcp-prod-data-processor-errors`],
    ["cloudwatch:DisableAlarmActions", `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:hcp-prod-data-processor-errors`],
    ["cloudwatch:PutMetricData", "*"],
    ["states:StartExecution", `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:hcp-prod-incident`],
    ["states:StopExecution", `arn:aws:states:us-east-1:${ACCOUNT}:execution:hcp-prod-incident:e`],
    ["states:GetExecutionHistory", `arn:aws:states:us-east-1:${ACCOUNT}:execution:hcp-prod-incident:e`],
    ["backup:DeleteRecoveryPoint", `arn:aws:backup:us-east-1:${ACCOUNT}:recovery-point:r`],
    ["backup:StartBackupJob", `arn:aws:backup:us-east-1:${ACCOUNT}:backup-vault:hcp-prod-records`],
    ["backup:StartRestoreJob", "*"],
    ["kms:Decrypt", `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
    ["logs:GetLogEvents", `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/hcp/prod/cloudtrail:log-stream:s`],
    ["logs:DescribeLogStreams", `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/hcp/prod/cloudtrail`],
    ["logs:FilterLogEvents", `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:aws-waf-logs-hcp-prod-app`],
    ["logs:GetLogEvents", `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/hcp/prod/application:log-stream:i-0abc`],
    ["logs:FilterLogEvents", `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/hcp/prod/application`],
    ["wafv2:UpdateWebACL", "*"],
    ["wafv2:DeleteLoggingConfiguration", "*"],
    ["elasticloadbalancing:ModifyLoadBalancerAttributes", "*"],
    ["config:StopConfigurationRecorder", "*"],
    ["config:DeleteDeliveryChannel", "*"],
    ["guardduty:UpdateDetector", "*"],
    ["guardduty:DeleteDetector", "*"],
    ["dynamodb:Scan", `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/hcp-prod-audit`],
  ];
  it("denies every write, and every read of PHI, secrets, keys or log contents", async () => {
    for (const [action, resource] of refused) assert.notStrictEqual(await decide(action, resource), "Allowed", `${action} ${resource}`);
  });
});
