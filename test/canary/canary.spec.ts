/**
 * The canary component (components/canary/) under the mock cloud for a dev and a prod stack: its
 * schedule per environment, its role's least privilege, the probe role (trusted by the canary only,
 * reading canary/ only), the alert queue and its SNS subscription, the two alarms to the alert topic;
 * its config keys' errors; and the stack output `npm run verify` reads, from both plans.
 */
import * as assert from "assert";
import { ACCOUNT_ID, REGION, installMocks, policyOf, testConfig, type RecordedResource } from "../mocks";
import { testPlatform } from "../support/platform";
import { loadPlan, planSpec } from "../support/plans";
import { PlatformConfigError } from "../../components/config";
import { ENDPOINT_ACTIONS } from "../../components/network/endpoint-policies";
import { KNOWN_INTERFACE_ENDPOINT_SERVICES } from "../../components/network/plan";
import { CANARY_ACTIONS } from "../../lambda/canary/contract";

const cloud = installMocks();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Canary, CANARY_SUBSCRIPTION_FILTER }: typeof import("../../components/canary") = require("../../components/canary");

const PHI_KEY = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/0b7c4a5e-1f2d-4e3a-9c8b-7a6d5e4f3a21`;
const PIPELINE_KEY = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/7e1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b`;
const AUDIT_KEY = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/5d2e8f71-3c4b-4a9d-8e7f-1a2b3c4d5e6f`;
const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT_ID}:hcp-alerts`;
const BUCKET = `hcp-test-phi-data-${ACCOUNT_ID}-${REGION}`;
const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;
const TABLE_ARN = `arn:aws:dynamodb:${REGION}:${ACCOUNT_ID}:table/hcp-test-audit`;

type Statement = {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
  Principal?: unknown;
};
const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

async function build(env: "dev" | "prod", overrides: Record<string, string> = {}) {
  cloud.reset();
  const config = testConfig(env, overrides);
  new Canary("canary", {
    platform: testPlatform(config, {
      keyArns: { phi: PHI_KEY, pipeline: PIPELINE_KEY, audit: AUDIT_KEY },
      accessLogBucket: "unused",
      alertTopicArn: TOPIC,
    }),
    dataBucket: { name: BUCKET, arn: BUCKET_ARN },
    auditTable: { name: "hcp-test-audit", arn: TABLE_ARN },
    network: { vpcId: "vpc-0a1b2c3d4e5f60718", subnetIds: ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60722"] },
  });
  await cloud.settle();
  return config;
}

/** The statements of the managed policy attached to the role named `roleName`. */
function statementsOf(roleName: string): Statement[] {
  const policy = cloud.ofType("aws:iam/policy:Policy").find((p) => p.inputs.name === roleName);
  assert.ok(policy, `no policy ${roleName}`);
  return policyOf(policy.inputs.policy).Statement as unknown as Statement[];
}

for (const env of ["dev", "prod"] as const) {
  describe(`canary component (${env})`, () => {
    let fn: RecordedResource;
    const minutes = env === "prod" ? 15 : 60;

    before(async () => {
      await build(env);
      fn = cloud.one("aws:lambda/function:Function");
    });

    it(`runs on the environment's schedule (${env === "prod" ? "rate(15 minutes)" : "rate(1 hour)"}), invoked by its rule only`, () => {
      const rule = cloud.one("aws:cloudwatch/eventRule:EventRule");
      assert.strictEqual(rule.inputs.scheduleExpression, env === "prod" ? "rate(15 minutes)" : "rate(1 hour)");
      const target = cloud.one("aws:cloudwatch/eventTarget:EventTarget");
      assert.strictEqual(target.inputs.arn, fn.outputs.arn);
      const permission = cloud.one("aws:lambda/permission:Permission");
      assert.strictEqual(permission.inputs.principal, "events.amazonaws.com");
      assert.strictEqual(permission.inputs.sourceArn, rule.outputs.arn);
    });

    it("is a VPC function with a dead-letter queue and a timeout above the PHI path's bounded wait", () => {
      assert.ok((fn.inputs.vpcConfig as { subnetIds: string[] }).subnetIds.length > 0);
      assert.strictEqual(fn.inputs.timeout, 120 + 30 + 60);
      const variables = (fn.inputs.environment as { variables: Record<string, string> }).variables;
      assert.strictEqual(variables.PROCESSING_WAIT_SECONDS, "150");
      assert.ok(Number(variables.PROCESSING_WAIT_SECONDS) < Number(fn.inputs.timeout));
      assert.ok((fn.inputs.deadLetterConfig as { targetArn: string }).targetArn.includes("canary-dlq"));
      assert.strictEqual(fn.inputs.kmsKeyArn, PIPELINE_KEY);
      // One run at a time in prod (the pack's lambda-concurrency-limit is mandatory there); none reserved in dev.
      assert.strictEqual(fn.inputs.reservedConcurrentExecutions, env === "prod" ? 1 : undefined);
    });

    it("its role does exactly the handler's calls, each on its own resources", () => {
      const statements = statementsOf(`hcp-${env}-canary`).filter((s) =>
        /^(WriteCanary|ReadProcessed|QueryOwn|AssumeProbe|ReceiveCanary|PublishCanary|UsePhiKey|UsePipelineKey)/.test(s.Sid ?? ""),
      );
      const by = Object.fromEntries(statements.map((s) => [s.Sid, s]));
      assert.deepStrictEqual(list(by.WriteCanaryRecordsAndProbe.Resource).sort(), [
        `${BUCKET_ARN}/canary/probe.json`,
        `${BUCKET_ARN}/intake/canary/*`,
      ]);
      assert.deepStrictEqual(list(by.WriteCanaryRecordsAndProbe.Action), ["s3:PutObject"]);
      assert.deepStrictEqual(list(by.ReadProcessedCanaryRecords.Resource), [`${BUCKET_ARN}/processed/canary/*`]);
      assert.deepStrictEqual(list(by.QueryOwnAuditItems.Action), ["dynamodb:Query"]);
      assert.deepStrictEqual(by.QueryOwnAuditItems.Condition, { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": "intake/canary/*" } });
      assert.deepStrictEqual(list(by.AssumeProbeRole.Resource), [`arn:aws:iam::${ACCOUNT_ID}:role/hcp-${env}-canary-probe`]);
      assert.deepStrictEqual(list(by.PublishCanaryMetrics.Resource), ["*"]);
      assert.deepStrictEqual(by.PublishCanaryMetrics.Condition, { StringEquals: { "cloudwatch:namespace": "HealthcarePlatform/Canary" } });
      assert.deepStrictEqual(list(by.ReceiveCanaryAlerts.Action).sort(), ["sqs:DeleteMessage", "sqs:ReceiveMessage"]);
      for (const s of statements) for (const a of list(s.Action)) assert.ok(!a.includes("*"), `${s.Sid}: ${a}`);
    });

    it("the probe role is assumable by the canary's role only and reads canary/ only", () => {
      const probe = cloud.ofType("aws:iam/role:Role").find((r) => r.inputs.name === `hcp-${env}-canary-probe`)!;
      const canaryRole = cloud.ofType("aws:iam/role:Role").find((r) => r.inputs.name === `hcp-${env}-canary`)!;
      const trust = policyOf(probe.inputs.assumeRolePolicy).Statement as unknown as Statement[];
      // The account, narrowed by the canary role's ARN (not its unique id): a replaced canary role is still trusted.
      assert.deepStrictEqual(
        trust.map((s) => [s.Effect, s.Principal, s.Action, s.Condition]),
        [
          [
            "Allow",
            { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` },
            "sts:AssumeRole",
            { ArnEquals: { "aws:PrincipalArn": canaryRole.outputs.arn } },
          ],
        ],
      );
      const statements = statementsOf(`hcp-${env}-canary-probe`);
      assert.deepStrictEqual(
        statements.map((s) => [list(s.Action), list(s.Resource)]),
        [
          [["s3:GetObject"], [`${BUCKET_ARN}/canary/*`]],
          [["kms:Decrypt"], [PHI_KEY]],
        ],
      );
      assert.ok(JSON.stringify(statements[1].Condition).includes("s3."), "decrypt through S3 only");
    });

    it("its own topic: encrypted with the audit key like the alert topic, publishable only by the incident workflow's role, over TLS", () => {
      const topic = cloud.one("aws:sns/topic:Topic");
      assert.deepStrictEqual([topic.inputs.name, topic.inputs.kmsMasterKeyId], [`hcp-${env}-canary-alerts`, AUDIT_KEY]);
      const tp = cloud.one("aws:sns/topicPolicy:TopicPolicy");
      assert.strictEqual(tp.inputs.arn, topic.outputs.arn);
      const statements = policyOf(tp.inputs.policy).Statement as unknown as Statement[];
      assert.deepStrictEqual(
        statements.map((st) => [st.Sid, st.Effect, st.Action, st.Resource, st.Condition]),
        [
          [
            "DenyPublishExceptByTheIncidentWorkflow",
            "Deny",
            "sns:Publish",
            topic.outputs.arn,
            { ArnNotEquals: { "aws:PrincipalArn": `arn:aws:iam::${ACCOUNT_ID}:role/hcp-${env}-incident-workflow` } },
          ],
          ["DenyPublishWithoutTls", "Deny", "sns:Publish", topic.outputs.arn, { Bool: { "aws:SecureTransport": "false" } }],
        ],
      );
    });

    it("its alert queue takes canary alerts only, from the canary topic only (never the alert topic), encrypted, malformed ones dead-lettered", () => {
      const topic = cloud.one("aws:sns/topic:Topic");
      const queue = cloud.ofType("aws:sqs/queue:Queue").find((q) => q.inputs.name === `hcp-${env}-canary-alerts`)!;
      assert.strictEqual(queue.inputs.kmsMasterKeyId, PIPELINE_KEY);
      const redrive = JSON.parse(String(queue.inputs.redrivePolicy)) as { maxReceiveCount: number; deadLetterTargetArn: string };
      // SetQueueAttributes: maxReceiveCount 1 to 1,000; VisibilityTimeout 0 to 43,200 seconds.
      assert.ok(redrive.maxReceiveCount >= 1 && redrive.maxReceiveCount <= 1000);
      assert.ok(redrive.deadLetterTargetArn.includes("canary-alerts-dlq"));
      assert.strictEqual(queue.inputs.visibilityTimeoutSeconds, fn.inputs.timeout);
      const policy = policyOf(cloud.one("aws:sqs/queuePolicy:QueuePolicy").inputs.policy).Statement as unknown as Statement[];
      assert.deepStrictEqual(policy[0].Principal, { Service: "sns.amazonaws.com" });
      assert.deepStrictEqual(policy[0].Condition, { ArnEquals: { "aws:SourceArn": topic.outputs.arn } });
      const sub = cloud.one("aws:sns/topicSubscription:TopicSubscription");
      assert.deepStrictEqual(
        [sub.inputs.topic, sub.inputs.protocol, sub.inputs.endpoint, sub.inputs.rawMessageDelivery, sub.inputs.filterPolicyScope],
        [topic.outputs.arn, "sqs", queue.outputs.arn, false, "MessageAttributes"],
      );
      assert.deepStrictEqual(JSON.parse(String(sub.inputs.filterPolicy)), { canary: ["true"] });
      assert.deepStrictEqual(CANARY_SUBSCRIPTION_FILTER, { canary: ["true"] });
    });

    it("two objective alarms to the alert topic: over the objective, or no measurement in a window that allows for the lag", () => {
      const alarms = cloud
        .ofType("aws:cloudwatch/metricAlarm:MetricAlarm")
        .filter((a) => String(a.inputs.namespace) === "HealthcarePlatform/Canary");
      assert.deepStrictEqual(
        alarms.map((a) => [a.inputs.metricName, a.inputs.threshold, a.inputs.period, a.inputs.statistic, a.inputs.treatMissingData]),
        [
          // processing: two intervals; detection: (ceil(900 s / interval) + 1) intervals.
          ["ProcessingSeconds", 120, 2 * minutes * 60, "Maximum", "breaching"],
          ["DetectionSeconds", 900, (Math.ceil(900 / (minutes * 60)) + 1) * minutes * 60, "Maximum", "breaching"],
        ],
      );
      for (const a of alarms) {
        assert.deepStrictEqual(a.inputs.alarmActions, [TOPIC]);
        assert.deepStrictEqual(a.inputs.okActions, [TOPIC]);
        assert.deepStrictEqual(a.inputs.dimensions, { Stack: env });
        assert.ok(Number(a.inputs.period) * Number(a.inputs.evaluationPeriods) <= 86_400);
      }
    });
  });
}

describe("canary calls through VPC endpoints", () => {
  // The endpoint service each of the canary's calls goes through, should a stack add its interface endpoint.
  const ENDPOINT_OF: Readonly<Record<string, string>> = {
    s3: "s3",
    dynamodb: "dynamodb",
    sts: "sts",
    sqs: "sqs",
    cloudwatch: "monitoring",
    kms: "kms",
  };

  it("every action of the canary's role is admitted by the policy of any endpoint a stack may add for its service", () => {
    const refused = Object.values(CANARY_ACTIONS)
      .flat()
      .flatMap((action) => {
        const service = ENDPOINT_OF[action.split(":")[0]];
        if (service === undefined) return [`${action}: no endpoint service known for it`];
        if (service !== "s3" && service !== "dynamodb" && !KNOWN_INTERFACE_ENDPOINT_SERVICES.includes(service)) return [];
        return (ENDPOINT_ACTIONS[service] ?? []).includes(action) ? [] : [`${action} through ${service}`];
      });
    assert.deepStrictEqual(refused, []);
  });
});

describe("canary config", () => {
  const problems = (env: "dev" | "prod", overrides: Record<string, string>) => {
    try {
      testConfig(env, overrides);
      return "";
    } catch (e) {
      assert.ok(e instanceof PlatformConfigError);
      return e.message;
    }
  };

  it("defaults by environment (prod 15 minutes, dev hourly) and takes an explicit schedule", () => {
    assert.strictEqual(testConfig("prod").canary.scheduleMinutes, 15);
    assert.strictEqual(testConfig("dev").canary.scheduleMinutes, 60);
    assert.strictEqual(testConfig("dev", { canaryScheduleMinutes: "30" }).canary.scheduleMinutes, 30);
    assert.deepStrictEqual(testConfig("prod").canary, {
      scheduleMinutes: 15,
      processingObjectiveSeconds: 120,
      detectionObjectiveSeconds: 900,
    });
  });

  it("refuses a schedule under 5 minutes, naming the key and the fix", () => {
    const message = problems("prod", { canaryScheduleMinutes: "4" });
    assert.match(message, /canaryScheduleMinutes = "4": must be 0 .* or from 5 to 720/);
    assert.match(message, /pulumi config set canaryScheduleMinutes 15/);
  });

  it("refuses objectives out of range, a run longer than the interval and a detection window over CloudWatch's day", () => {
    assert.match(
      problems("dev", { canaryProcessingObjectiveSeconds: "601" }),
      /canaryProcessingObjectiveSeconds = "601": must be from 10 to 600/,
    );
    assert.match(
      problems("dev", { canaryScheduleMinutes: "500", canaryDetectionObjectiveSeconds: "43200" }),
      /canaryDetectionObjectiveSeconds = "43200": with a run every 500 minutes needs a detection alarm window of 90000 s/,
    );
    // 600 s + 30 s wait margin + 60 s reserve = 690 s: longer than a 5-minute interval, within a 15-minute one.
    assert.match(
      problems("prod", { canaryScheduleMinutes: "5", canaryProcessingObjectiveSeconds: "600" }),
      /canaryProcessingObjectiveSeconds = "600": makes a run last up to 690 s .* longer than the 300 s between runs/,
    );
    assert.strictEqual(problems("prod", { canaryScheduleMinutes: "15", canaryProcessingObjectiveSeconds: "600" }), "");
    // (ceil(43200 / 43200) + 1) x 43200 s = one day exactly: allowed.
    assert.strictEqual(problems("dev", { canaryScheduleMinutes: "720", canaryDetectionObjectiveSeconds: "43200" }), "");
  });

  it("writes schedule expressions EventBridge accepts (singular unit for 1)", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { canaryScheduleExpression } = require("../../components/config") as typeof import("../../components/config");
    assert.deepStrictEqual([5, 15, 60, 90, 120, 720].map(canaryScheduleExpression), [
      "rate(5 minutes)",
      "rate(15 minutes)",
      "rate(1 hour)",
      "rate(90 minutes)",
      "rate(2 hours)",
      "rate(12 hours)",
    ]);
  });
});

describe("canary stack output (the shape npm run verify reads)", function () {
  this.timeout(300_000);
  for (const stack of ["dev", "prod"] as const) {
    it(`${stack} plan: exports canary with its function, probe role, metrics, objectives, schedule, bucket and probe key`, async () => {
      const ix = await loadPlan(planSpec(stack));
      const root = ix.resources.find((r) => r.type === "pulumi:pulumi:Stack")!;
      const canary = root.outputs.canary as Record<string, unknown>;
      const bucket = [...ix.buckets.keys()].find((b) => b.startsWith(`hcp-${stack}-phi-data-`));
      assert.deepStrictEqual(canary, {
        functionName: `hcp-${stack}-canary`,
        probeRoleArn: ix.role(`hcp-${stack}-canary-probe`).arn,
        metricNamespace: "HealthcarePlatform/Canary",
        metricDimensions: { Stack: stack },
        processingObjectiveSeconds: 120,
        detectionObjectiveSeconds: 900,
        scheduleMinutes: stack === "prod" ? 15 : 60,
        bucket,
        probeObjectKey: "canary/probe.json",
      });
    });
  }

  for (const stack of ["dev", "prod"] as const) {
    it(`${stack} plan: the alert e-mail keeps every message: no attribute filter, which would drop attribute-less alarm notifications`, async () => {
      // "exists": false "only matches if at least one attribute is present. An empty set of attributes results in the
      // filter not matching" (https://docs.aws.amazon.com/sns/latest/dg/attribute-key-matching.html): CloudWatch alarm
      // notifications carry no message attributes, so any MessageAttributes filter on the e-mail would drop every one.
      const ix = await loadPlan(planSpec(stack));
      const email = ix.ofType("aws:sns/topicSubscription:TopicSubscription").filter((s) => s.inputs.protocol === "email");
      assert.strictEqual(email.length, 1);
      const scope = email[0].inputs.filterPolicyScope ?? "MessageAttributes";
      assert.ok(email[0].inputs.filterPolicy === undefined || scope !== "MessageAttributes", "an attribute filter on the alert e-mail");
      assert.strictEqual(email[0].inputs.filterPolicy, undefined, "the alert e-mail is unfiltered");
    });

    it(`${stack} plan: canary messages never reach the alert topic: the queue subscribes to the canary topic, the workflow routes canary incidents there`, async () => {
      const ix = await loadPlan(planSpec(stack));
      const topics = ix.ofType("aws:sns/topic:Topic");
      const arnOf = (name: string) => String(topics.find((t) => t.inputs.name === name)!.outputs.arn);
      const [alertTopic, canaryTopic] = [arnOf(`hcp-${stack}-security-alerts`), arnOf(`hcp-${stack}-canary-alerts`)];
      const subs = ix.ofType("aws:sns/topicSubscription:TopicSubscription");
      // The alert topic's one subscription is the e-mail; the canary queue's is on the canary topic.
      assert.deepStrictEqual(
        subs.filter((s) => s.inputs.topic === alertTopic).map((s) => s.inputs.protocol),
        ["email"],
      );
      assert.deepStrictEqual(
        subs
          .filter((s) => s.inputs.topic === canaryTopic)
          .map((s) => [s.inputs.protocol, String(s.inputs.endpoint).endsWith(`:hcp-${stack}-canary-alerts`)]),
        [["sqs", true]],
      );
      const machine = ix.ofType("aws:sfn/stateMachine:StateMachine").find((m) => String(m.inputs.name).endsWith("-incident"))!;
      type State = { Resource?: string; Parameters?: Record<string, unknown>; Result?: { topicArn?: string; canary?: boolean } };
      const states = (JSON.parse(String(machine.inputs.definition)) as { States: Record<string, State> }).States;
      for (const st of Object.values(states).filter((x) => x.Resource === "arn:aws:states:::sns:publish"))
        assert.deepStrictEqual([st.Parameters!["TopicArn.$"], "TopicArn" in st.Parameters!], ["$.kind.topicArn", false]);
      const kinds = Object.values(states).filter((x) => x.Result?.topicArn !== undefined);
      assert.deepStrictEqual(kinds.map((k) => [k.Result!.canary, k.Result!.topicArn]).sort(), [
        [false, alertTopic],
        [true, canaryTopic],
      ]);
    });
  }
});
