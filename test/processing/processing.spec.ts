/**
 * The processing component: the PHI bucket, the data-processor Lambda and everything around it,
 * built for a dev and a prod stack under the shared mock cloud.
 */
import * as assert from "assert";
import * as path from "path";
import { asString } from "../../policy-pack/policies/lib/util";
import { ACCOUNT_ID, REGION, installMocks, policyOf, testConfig, RecordedResource } from "../mocks";
import { testPlatform } from "../support/platform";

const cloud = installMocks();
// The mock harness records an archive's assets as a pending promise, so the bundle is observed at
// its source: every bundleLambda call the component makes is recorded with its entry and archive.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const bundler: typeof import("../../components/lib/lambda-bundle") = require("../../components/lib/lambda-bundle");
const bundled: { entry: string; archive: import("@pulumi/pulumi").asset.AssetArchive; ms: number }[] = [];
const realBundleLambda = bundler.bundleLambda;
(bundler as { bundleLambda: typeof realBundleLambda }).bundleLambda = (entry, opts) => {
  const started = Date.now();
  const archive = realBundleLambda(entry, opts);
  bundled.push({ entry, archive, ms: Date.now() - started });
  return archive;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const processing: typeof import("../../components/processing") = require("../../components/processing");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const contract: typeof import("../../lambda/data-processor/contract") = require("../../lambda/data-processor/contract");
const { Processing, validateProcessingArgs, minimumMemoryInMb, processorConfigFor } = processing;

const PHI_KEY = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/0b7c4a5e-1f2d-4e3a-9c8b-7a6d5e4f3a21`;
const AUDIT_KEY = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/5d2e8f71-3c4b-4a9d-8e7f-1a2b3c4d5e6f`;
const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT_ID}:hcp-test-alerts`;
const ACCESS_LOG_BUCKET = `hcp-test-access-logs-${ACCOUNT_ID}-${REGION}`;
const VPC_ID = "vpc-0a1b2c3d4e5f60718";
const SUBNETS = ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60722", "subnet-0a1b2c3d4e5f60733"];

const T = {
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  bucket: "aws:s3/bucket:Bucket",
  fn: "aws:lambda/function:Function",
  role: "aws:iam/role:Role",
  policy: "aws:iam/policy:Policy",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  queue: "aws:sqs/queue:Queue",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  table: "aws:dynamodb/table:Table",
  parameter: "aws:ssm/parameter:Parameter",
  permission: "aws:lambda/permission:Permission",
  notification: "aws:s3/bucketNotification:BucketNotification",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
} as const;

type Rule = { ipProtocol: string; fromPort: number; toPort: number; cidrIpv4?: string; prefixListId?: string };
/** The standalone rules of `type` on a security group, in creation order. */
const rulesOf = (sg: RecordedResource, type: string): Rule[] =>
  cloud
    .ofType(type)
    .filter((r) => r.inputs.securityGroupId === (sg.outputs.id ?? sg.id))
    .map((r) => r.inputs as unknown as Rule);

type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: string | string[]; Condition?: unknown };
const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

async function build(env: "dev" | "prod", extra: Partial<import("../../components/processing").ProcessingArgs> = {}) {
  cloud.reset();
  bundled.length = 0;
  const config = testConfig(env);
  const component = new Processing("processing", {
    platform: testPlatform(config, {
      keyArns: { phi: PHI_KEY, audit: AUDIT_KEY },
      accessLogBucket: ACCESS_LOG_BUCKET,
      alertTopicArn: TOPIC,
    }),
    privateSubnetIds: SUBNETS.slice(0, config.availabilityZoneCount),
    vpcId: VPC_ID,
    ...extra,
  });
  await cloud.settle();
  return { config, component };
}

function value<T>(output: import("@pulumi/pulumi").Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

for (const env of ["dev", "prod"] as const) {
  describe(`processing (${env})`, () => {
    let config: ReturnType<typeof testConfig>;
    let component: InstanceType<typeof Processing>;
    let fn: RecordedResource;
    let bucketArn: string;
    let tableArn: string;
    let dlqArn: string;
    let parameterArn: string;
    let logGroupArn: string;
    const protect = env === "prod";

    before(async () => {
      ({ config, component } = await build(env));
      fn = cloud.one(T.fn);
      bucketArn = String(cloud.one(T.bucket).outputs.arn);
      tableArn = String(cloud.one(T.table).outputs.arn);
      dlqArn = String(cloud.one(T.queue).outputs.arn);
      parameterArn = String(cloud.one(T.parameter).outputs.arn);
      logGroupArn = String(cloud.one(T.logGroup).outputs.arn);
    });

    it("creates one of each resource, every custom resource parented inside the component", async () => {
      const counts: Record<string, number> = {};
      for (const r of cloud.resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
      for (const [type, n] of Object.entries({
        [T.fn]: 1,
        [T.role]: 1,
        [T.policy]: 1,
        [T.attachment]: 1,
        "aws:iam/rolePolicy:RolePolicy": 0,
        [T.sg]: 1,
        [T.ingress]: 0,
        [T.egress]: 2,
        [T.queue]: 1,
        [T.logGroup]: 1,
        [T.table]: 1,
        [T.parameter]: 1,
        [T.permission]: 1,
        [T.notification]: 1,
        [T.alarm]: 3,
        [T.bucket]: 1,
      })) {
        assert.strictEqual(counts[type] ?? 0, n, `${type}: expected ${n}, got ${counts[type] ?? 0}`);
      }
      assert.strictEqual(
        cloud.resources.filter((r) => r.custom).length,
        24,
        "16 of its own (two standalone egress rules) + 8 of the SecureBucket",
      );
      const root = cloud.one("healthcare:processing:Processing");
      assert.strictEqual(root.name, "processing");
      const own = cloud.childrenOf(root.urn);
      for (const type of Object.values(T).filter((t) => t !== T.bucket && t !== T.ingress)) {
        assert.ok(
          own.some((r) => r.type === type),
          `${type} is a direct child of the component`,
        );
      }
      const secureBucket = own.find((r) => r.name === "processing-phi-data");
      assert.ok(secureBucket, "the SecureBucket processing-phi-data is a direct child");
      for (const r of cloud.resources.filter((x) => x !== root)) assert.ok(r.parent, `${r.name} has a parent`);
      assert.strictEqual(await value(component.functionArn), fn.outputs.arn);
    });

    it("tags every taggable resource with the platform tags", () => {
      const taggable = [T.fn, T.role, T.sg, T.queue, T.logGroup, T.table, T.parameter, T.alarm, T.bucket];
      for (const r of cloud.resources.filter((x) => (taggable as readonly string[]).includes(x.type))) {
        const tags = r.inputs.tags as Record<string, string> | undefined;
        assert.ok(tags, `${r.name} is tagged`);
        assert.strictEqual(tags.Environment, env, `${r.name} Environment`);
        assert.strictEqual(tags.Compliance, "HIPAA", `${r.name} Compliance`);
        assert.strictEqual(tags.Stack, env, `${r.name} Stack`);
        assert.strictEqual(tags.Project, "healthcare-platform", `${r.name} Project`);
      }
      for (const r of [fn, cloud.one(T.table), cloud.one(T.queue), cloud.one(T.bucket)]) {
        assert.strictEqual((r.inputs.tags as Record<string, string>).DataClassification, "PHI", `${r.name} holds PHI`);
      }
    });

    it("puts the patient data in a KMS-encrypted SecureBucket with access logging", () => {
      const bucket = cloud.one(T.bucket);
      assert.match(String(bucket.inputs.bucket), new RegExp(`^hcp-${env}-phi-data`));
      const sse = cloud.one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration");
      assert.ok(JSON.stringify(sse.inputs).includes(PHI_KEY), "default encryption uses the PHI key");
      const logging = cloud.one("aws:s3/bucketLogging:BucketLogging");
      assert.strictEqual(logging.inputs.targetBucket, ACCESS_LOG_BUCKET);
    });

    it(`runs the bundled handler on ${"nodejs22.x"} with the configured memory, timeout and reserved concurrency`, () => {
      assert.strictEqual(fn.inputs.name, `hcp-${env}-data-processor`);
      assert.strictEqual(fn.inputs.runtime, "nodejs22.x");
      assert.strictEqual(fn.inputs.handler, "index.handler");
      assert.strictEqual(fn.inputs.memorySize, config.dataProcessorMemoryInMb);
      assert.strictEqual(fn.inputs.timeout, 60);
      assert.strictEqual(fn.inputs.reservedConcurrentExecutions, config.dataProcessorReservedConcurrency);
      assert.strictEqual(fn.inputs.role, cloud.one(T.role).outputs.arn);
      assert.deepStrictEqual(fn.inputs.tracingConfig, { mode: "Active" });
      assert.deepStrictEqual(fn.inputs.deadLetterConfig, { targetArn: dlqArn });
      // Lambda validates ENI and DLQ permissions when the function is created.
      assert.ok(fn.dependencies.includes(cloud.one(T.attachment, "role-permissions").urn), "the function waits for its permissions");
      assert.deepStrictEqual(
        cloud.ofType(T.attachment).map((a) => a.name),
        ["processing-role-permissions"],
        "one policy, ENI permissions included",
      );
    });

    it("deploys the esbuild bundle of lambda/data-processor/index.ts (an archive of index.js), not the source folder", async () => {
      const code = fn.inputs.code as Record<string, unknown>;
      assert.strictEqual(code.__pulumiArchive, "AssetArchive", "the code is an archive");
      assert.deepStrictEqual(Object.keys(code.assets as object), ["index.js"], "of exactly the bundle");
      assert.strictEqual(code.path, undefined, "not a FileArchive of a folder");
      assert.deepStrictEqual(
        bundled.map((b) => path.relative(path.resolve(__dirname, "../.."), b.entry)),
        [path.join("lambda", "data-processor", "index.ts")],
      );
      const assets = (await bundled[0].archive.assets) as Record<string, import("@pulumi/pulumi").asset.StringAsset>;
      assert.deepStrictEqual(Object.keys(assets), ["index.js"]);
      const text = String(await assets["index.js"].text);
      assert.ok(text.length > 10_000, `index.js holds the bundled handler and validator (${text.length} bytes)`);
      assert.doesNotMatch(text, /^import /m, "CommonJS, no ES imports left");
      assert.ok(!/require\("\.{1,2}\//.test(text), "no relative requires left: everything is bundled");
      assert.match(text, /require\("@aws-sdk\/client-s3"\)/, "the AWS SDK stays external (the runtime provides it)");
      assert.ok(bundled[0].ms < 10_000, `bundling took ${bundled[0].ms} ms`);
    });

    it("runs in the private subnets behind a security group with no ingress and HTTPS-only egress", () => {
      const sg = cloud.one(T.sg);
      assert.deepStrictEqual(fn.inputs.vpcConfig, {
        subnetIds: SUBNETS.slice(0, config.availabilityZoneCount),
        securityGroupIds: [sg.outputs.id ?? sg.id],
      });
      assert.strictEqual(sg.inputs.vpcId, VPC_ID);
      assert.strictEqual(sg.inputs.name, `hcp-${env}-data-processor`);
      // Standalone rules only (never inline lists mixed with rule resources): none inbound, HTTPS out.
      assert.strictEqual(sg.inputs.ingress, undefined);
      assert.strictEqual(sg.inputs.egress, undefined);
      assert.deepStrictEqual(rulesOf(sg, T.ingress), []);
      assert.deepStrictEqual(
        rulesOf(sg, T.egress).map((e) => [e.ipProtocol, e.fromPort, e.toPort, e.cidrIpv4, e.prefixListId]),
        [
          ["tcp", 443, 443, config.vpcCidr, undefined],
          ["tcp", 443, 443, "0.0.0.0/0", undefined],
        ],
      );
    });

    it("encrypts its environment with the PHI key and sets exactly the contract's variables", async () => {
      assert.strictEqual(fn.inputs.kmsKeyArn, PHI_KEY);
      const vars = (fn.inputs.environment as { variables: Record<string, string> }).variables;
      const parameter = cloud.one(T.parameter);
      assert.deepStrictEqual(vars, {
        [contract.DATA_PROCESSOR_ENV.auditTableName]: `hcp-${env}-audit`,
        [contract.DATA_PROCESSOR_ENV.alertTopicArn]: TOPIC,
        [contract.DATA_PROCESSOR_ENV.configParameterName]: `${String(parameter.outputs.name)}:${String(parameter.outputs.version)}`,
      });
      assert.ok(!(contract.DATA_PROCESSOR_ENV.s3ForcePathStyle in vars), "S3_FORCE_PATH_STYLE is for emulators only");
      // The handler's own validation accepts what the component sets.
      const parsed = contract.readDataProcessorEnvironment(vars);
      assert.strictEqual(parsed.configParameterName, `/hcp/${env}/data-processor/config:1`);
      assert.strictEqual(await value(component.configParameterName), `/hcp/${env}/data-processor/config`);
    });

    it("logs to its own log group, created first, KMS-encrypted with the audit key and retained as configured", () => {
      const logGroup = cloud.one(T.logGroup);
      assert.strictEqual(logGroup.inputs.name, `/aws/lambda/hcp-${env}-data-processor`);
      assert.strictEqual(logGroup.inputs.kmsKeyId, AUDIT_KEY);
      assert.strictEqual(logGroup.inputs.retentionInDays, config.logRetentionInDays);
      assert.strictEqual(logGroup.retainOnDelete, protect);
      assert.strictEqual(logGroup.protect, protect, "prod log groups are protected like every stateful resource");
      assert.strictEqual(logGroup.inputs.deletionProtectionEnabled, protect);
      const logging = fn.inputs.loggingConfig as { logGroup: string; logFormat: string };
      assert.strictEqual(logging.logGroup, logGroup.inputs.name);
      assert.strictEqual(logging.logFormat, "JSON");
      assert.ok(fn.dependencies.includes(logGroup.urn), "the function depends on its log group");
      assert.ok(cloud.resources.indexOf(logGroup) < cloud.resources.indexOf(fn), "the log group registers before the function");
    });

    it("sends failed events to a KMS-encrypted dead-letter queue kept 14 days", () => {
      const q = cloud.one(T.queue);
      assert.strictEqual(q.inputs.name, `hcp-${env}-data-processor-dlq`);
      assert.strictEqual(q.inputs.kmsMasterKeyId, PHI_KEY);
      assert.strictEqual(q.inputs.kmsDataKeyReusePeriodSeconds, 300);
      assert.strictEqual(q.inputs.messageRetentionSeconds, 1209600);
    });

    it("assumes a role that only Lambda of this account can assume", () => {
      const role = cloud.one(T.role);
      assert.strictEqual(role.inputs.name, `hcp-${env}-data-processor`);
      assert.deepStrictEqual(policyOf(role.inputs.assumeRolePolicy).Statement, [
        {
          Sid: "AssumeRoleFromThisAccountOnly",
          Effect: "Allow",
          Action: "sts:AssumeRole",
          Principal: { Service: "lambda.amazonaws.com" },
          Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID } },
        },
      ]);
    });

    it("has no AWS-managed policy: AWSLambdaVPCAccessExecutionRole's logs:* on * would let it forge the CloudTrail and flow logs", () => {
      const arns = cloud.ofType(T.attachment).map((a) => String(a.inputs.policyArn));
      assert.deepStrictEqual(
        arns.filter((a) => a.includes(":iam::aws:policy/")),
        [],
      );
      const statements = policyOf(cloud.one(T.policy).inputs.policy).Statement as unknown as Statement[];
      const logResources = statements.filter((s) => list(s.Action).some((a) => a.startsWith("logs:"))).flatMap((s) => list(s.Resource));
      assert.deepStrictEqual(logResources, [logGroupArn, `${logGroupArn}:log-stream:*`], "logs only into its own group");
    });

    it("manages only its own network interfaces: created in its subnets with its security group", () => {
      const statements = policyOf(cloud.one(T.policy).inputs.policy).Statement as unknown as Statement[];
      const sid = (id: string) => statements.find((s) => s.Sid === id)!;
      const ec2 = `arn:aws:ec2:${REGION}:${ACCOUNT_ID}:`;
      const sg = cloud.one(T.sg);
      assert.deepStrictEqual(list(sid("CreateNetworkInterfacesInOwnSubnetsAndSecurityGroup").Resource), [
        `${ec2}network-interface/*`,
        ...SUBNETS.slice(0, config.availabilityZoneCount).map((id) => `${ec2}subnet/${id}`),
        `${ec2}security-group/${asString(sg.outputs.id ?? sg.id)}`,
      ]);
      // AWS documents DeleteNetworkInterface on every network-interface ID of the account and region.
      assert.deepStrictEqual(list(sid("ManageOwnNetworkInterfaces").Resource), [`${ec2}network-interface/*`]);
      assert.deepStrictEqual(list(sid("DescribeNetworkInterfaces").Action), ["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"]);
    });

    it("grants exactly the handler's actions on exactly its resources (least privilege)", () => {
      const rp = cloud.one(T.policy);
      const attachment = cloud.one(T.attachment, "role-permissions");
      assert.deepStrictEqual([attachment.inputs.role, attachment.inputs.policyArn], [cloud.one(T.role).outputs.name, rp.outputs.arn]);
      const statements = policyOf(rp.inputs.policy).Statement as unknown as Statement[];
      const via = (services: string[]) => ({ StringEquals: { "kms:ViaService": services.map((s) => `${s}.${REGION}.amazonaws.com`) } });
      const viaOne = (s: string) => ({ StringEquals: { "kms:ViaService": `${s}.${REGION}.amazonaws.com` } });
      const logGroupArnValue = logGroupArn;
      assert.deepStrictEqual(
        statements.map((s) => ({
          Sid: s.Sid,
          Effect: s.Effect,
          Action: list(s.Action),
          Resource: list(s.Resource),
          Condition: s.Condition,
        })),
        [
          {
            Sid: "ReadIntakeObjects",
            Effect: "Allow",
            Action: ["s3:GetObject", "s3:GetObjectVersion"],
            Resource: [`${bucketArn}/intake/*`],
            Condition: undefined,
          },
          {
            Sid: "WriteProcessedAndQuarantinedObjects",
            Effect: "Allow",
            Action: ["s3:PutObject"],
            Resource: [`${bucketArn}/processed/*`, `${bucketArn}/quarantine/*`],
            Condition: undefined,
          },
          // Only quarantined copies carry tags (process-record.ts): tagging stays off processed/.
          {
            Sid: "TagQuarantinedObjects",
            Effect: "Allow",
            Action: ["s3:PutObjectTagging"],
            Resource: [`${bucketArn}/quarantine/*`],
            Condition: undefined,
          },
          {
            Sid: "WriteAuditRecords",
            Effect: "Allow",
            Action: ["dynamodb:GetItem", "dynamodb:PutItem"],
            Resource: [tableArn],
            Condition: undefined,
          },
          { Sid: "PublishQuarantineAlerts", Effect: "Allow", Action: ["sns:Publish"], Resource: [TOPIC], Condition: undefined },
          { Sid: "ReadProcessorConfig", Effect: "Allow", Action: ["ssm:GetParameter"], Resource: [parameterArn], Condition: undefined },
          {
            Sid: "UsePhiKeyThroughDataServices",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: [PHI_KEY],
            Condition: via(["dynamodb", "ssm", "sqs"]),
          },
          // Bound to the PHI bucket (S3's encryption context: the bucket ARN with a Bucket Key, the object ARN without).
          {
            Sid: "UsePhiKeyThroughS3ForThePhiBucket",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: [PHI_KEY],
            Condition: { ...viaOne("s3"), ArnLike: { "kms:EncryptionContext:aws:s3:arn": [bucketArn, `${bucketArn}/*`] } },
          },
          // Bound to this function (Lambda's encryption context: the function ARN).
          {
            Sid: "UsePhiKeyThroughLambdaForThisFunction",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: [PHI_KEY],
            Condition: {
              StringEquals: {
                "kms:ViaService": `lambda.${REGION}.amazonaws.com`,
                "kms:EncryptionContext:aws:lambda:FunctionArn": `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:hcp-${env}-data-processor`,
              },
            },
          },
          {
            Sid: "UseAlertTopicKeyThroughSns",
            Effect: "Allow",
            Action: ["kms:GenerateDataKey", "kms:Decrypt"],
            Resource: [AUDIT_KEY],
            Condition: viaOne("sns"),
          },
          {
            Sid: "SendFailedEventsToDeadLetterQueue",
            Effect: "Allow",
            Action: ["sqs:SendMessage"],
            Resource: [dlqArn],
            Condition: undefined,
          },
          {
            Sid: "WriteOwnLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: [logGroupArnValue, `${logGroupArnValue}:log-stream:*`],
            Condition: undefined,
          },
          {
            Sid: "DecryptOwnEnvironment",
            Effect: "Allow",
            Action: ["kms:Decrypt"],
            Resource: [PHI_KEY],
            Condition: {
              StringEquals: {
                "kms:ViaService": `lambda.${REGION}.amazonaws.com`,
                "kms:EncryptionContext:aws:lambda:FunctionArn": `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:hcp-${env}-data-processor`,
              },
            },
          },
          {
            Sid: "CreateNetworkInterfacesInOwnSubnetsAndSecurityGroup",
            Effect: "Allow",
            Action: ["ec2:CreateNetworkInterface"],
            Resource: list(statements.find((s) => s.Sid === "CreateNetworkInterfacesInOwnSubnetsAndSecurityGroup")!.Resource),
            Condition: undefined,
          },
          {
            Sid: "ManageOwnNetworkInterfaces",
            Effect: "Allow",
            Action: ["ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"],
            Resource: [`arn:aws:ec2:${REGION}:${ACCOUNT_ID}:network-interface/*`],
            Condition: undefined,
          },
          {
            Sid: "DescribeNetworkInterfaces",
            Effect: "Allow",
            Action: ["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"],
            Resource: ["*"],
            Condition: undefined,
          },
          {
            Sid: "WriteTraces",
            Effect: "Allow",
            Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
            Resource: ["*"],
            Condition: undefined,
          },
        ],
      );
      for (const s of statements) {
        assert.strictEqual(s.Effect, "Allow");
        for (const a of list(s.Action)) assert.ok(!a.includes("*"), `no wildcard action: ${a}`);
        // Only actions that accept no resource ARN are granted on "*" (X-Ray; EC2 Describe*).
        if (list(s.Resource).includes("*"))
          assert.ok(["WriteTraces", "DescribeNetworkInterfaces"].includes(String(s.Sid)), `${String(s.Sid)} on *`);
        for (const r of list(s.Resource)) assert.ok(r === "*" || r.startsWith("arn:aws:"), `resource is an ARN: ${r}`);
      }
    });

    it("is triggered by S3 (this bucket and account only) for objects created under intake/", () => {
      const permission = cloud.one(T.permission);
      assert.strictEqual(permission.inputs.action, "lambda:InvokeFunction");
      assert.strictEqual(permission.inputs.principal, "s3.amazonaws.com");
      assert.strictEqual(permission.inputs.function, fn.outputs.name);
      assert.strictEqual(permission.inputs.sourceArn, bucketArn);
      assert.strictEqual(permission.inputs.sourceAccount, ACCOUNT_ID);
      const notification = cloud.one(T.notification);
      assert.strictEqual(notification.inputs.bucket, cloud.one(T.bucket).outputs.bucket);
      assert.deepStrictEqual(notification.inputs.lambdaFunctions, [
        { lambdaFunctionArn: fn.outputs.arn, events: ["s3:ObjectCreated:*"], filterPrefix: "intake/" },
      ]);
      assert.ok(notification.dependencies.includes(permission.urn), "S3 validates the destination, so the permission comes first");
    });

    it(`keeps audit records in a DynamoDB table with PITR and the PHI key${protect ? ", protected and retained" : ", destroyable"}`, () => {
      const table = cloud.one(T.table);
      assert.strictEqual(table.inputs.name, `hcp-${env}-audit`);
      assert.strictEqual(table.inputs.billingMode, "PAY_PER_REQUEST");
      assert.strictEqual(table.inputs.hashKey, contract.AUDIT_TABLE_KEY_SCHEMA.partitionKey.name);
      assert.strictEqual(table.inputs.rangeKey, contract.AUDIT_TABLE_KEY_SCHEMA.sortKey.name);
      assert.deepStrictEqual(table.inputs.attributes, [
        { name: "objectKey", type: "S" },
        { name: "versionId", type: "S" },
      ]);
      assert.deepStrictEqual(table.inputs.pointInTimeRecovery, { enabled: true });
      assert.deepStrictEqual(table.inputs.serverSideEncryption, { enabled: true, kmsKeyArn: PHI_KEY });
      assert.strictEqual(table.inputs.deletionProtectionEnabled, protect);
      assert.strictEqual(table.protect, protect);
      assert.strictEqual(table.retainOnDelete, protect);
    });

    it("stores the handler's configuration as a SecureString under the PHI key, valid by the contract", () => {
      const parameter = cloud.one(T.parameter);
      assert.strictEqual(parameter.inputs.name, `/hcp/${env}/data-processor/config`);
      assert.strictEqual(parameter.inputs.type, "SecureString");
      assert.strictEqual(parameter.inputs.keyId, PHI_KEY);
      const parsed = contract.parseProcessorConfig(String(parameter.inputs.value), "test");
      assert.deepStrictEqual(parsed, {
        intakePrefix: "intake/",
        processedPrefix: "processed/",
        quarantinePrefix: "quarantine/",
        maxObjectBytes: config.maxRecordSizeInBytes,
        acceptedResourceTypes: ["Patient", "Observation", "Bundle"],
      });
      assert.deepStrictEqual(JSON.parse(String(parameter.inputs.value)), parsed, "no extra keys");
    });

    it("alarms to the alert topic on errors, throttles and any message in the DLQ", () => {
      const alarms = cloud
        .ofType(T.alarm)
        .sort((a, b) => String(a.inputs.name).localeCompare(String(b.inputs.name)))
        .map((a) => ({
          name: a.inputs.name,
          namespace: a.inputs.namespace,
          metricName: a.inputs.metricName,
          dimensions: a.inputs.dimensions,
          statistic: a.inputs.statistic,
          period: a.inputs.period,
          evaluationPeriods: a.inputs.evaluationPeriods,
          threshold: a.inputs.threshold,
          comparisonOperator: a.inputs.comparisonOperator,
          treatMissingData: a.inputs.treatMissingData,
          alarmActions: a.inputs.alarmActions,
          okActions: a.inputs.okActions,
        }));
      const common = {
        period: 300,
        evaluationPeriods: 1,
        threshold: 0,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
        alarmActions: [TOPIC],
        okActions: [TOPIC],
      };
      const fnName = `hcp-${env}-data-processor`;
      assert.deepStrictEqual(alarms, [
        {
          name: `hcp-${env}-data-processor-dlq-messages`,
          namespace: "AWS/SQS",
          metricName: "ApproximateNumberOfMessagesVisible",
          dimensions: { QueueName: `hcp-${env}-data-processor-dlq` },
          statistic: "Maximum",
          ...common,
        },
        {
          name: `hcp-${env}-data-processor-errors`,
          namespace: "AWS/Lambda",
          metricName: "Errors",
          dimensions: { FunctionName: fnName },
          statistic: "Sum",
          ...common,
        },
        {
          name: `hcp-${env}-data-processor-throttles`,
          namespace: "AWS/Lambda",
          metricName: "Throttles",
          dimensions: { FunctionName: fnName },
          statistic: "Sum",
          ...common,
        },
      ]);
    });
  });
}

describe("processing: gateway endpoint prefix lists", () => {
  it("limits HTTPS egress to the VPC CIDR and the gateway prefix lists when they are given", async () => {
    await build("prod", { gatewayEndpointPrefixListIds: ["pl-63a5400a", "pl-02cd2c6b"] });
    const egress = rulesOf(cloud.one(T.sg), T.egress);
    assert.deepStrictEqual(
      egress.map((e) => [e.fromPort, e.toPort, e.cidrIpv4, e.prefixListId]),
      [
        [443, 443, "10.30.0.0/16", undefined],
        [443, 443, undefined, "pl-63a5400a"],
        [443, 443, undefined, "pl-02cd2c6b"],
      ],
    );
    assert.ok(!JSON.stringify(egress).includes("0.0.0.0/0"));
  });
});

describe("processing: argument validation", () => {
  const valid = { timeoutInSeconds: 60, dataProcessorMemoryInMb: 512, maxRecordSizeInBytes: 5 * 1024 * 1024 };
  const cases: { what: string; override: Partial<typeof valid>; problem?: RegExp }[] = [
    { what: "the defaults", override: {} },
    { what: "the longest timeout", override: { timeoutInSeconds: 900 } },
    {
      what: "a zero timeout",
      override: { timeoutInSeconds: 0 },
      problem: /^timeoutInSeconds must be a whole number from 1 to 900, got 0$/,
    },
    { what: "a timeout over Lambda's maximum", override: { timeoutInSeconds: 901 }, problem: /got 901$/ },
    {
      what: "too little memory for the record size",
      override: { dataProcessorMemoryInMb: 1024, maxRecordSizeInBytes: 100 * 1024 * 1024 },
      problem:
        /^dataProcessorMemoryInMb must be at least 4128 to hold 4 records of maxRecordSizeInBytes 104857600 at once, got 1024: raise/,
    },
  ];
  for (const c of cases) {
    it(`${c.problem ? "rejects" : "accepts"} ${c.what}`, () => {
      const problems = validateProcessingArgs({ ...valid, ...c.override });
      if (!c.problem) assert.deepStrictEqual(problems, []);
      else {
        assert.strictEqual(problems.length, 1, problems.join("\n"));
        assert.match(problems[0], c.problem);
      }
    });
  }

  it("sizes memory from the record size: 128 MB baseline plus ten times four records", () => {
    assert.strictEqual(minimumMemoryInMb(5 * 1024 * 1024), 128 + 200);
    assert.strictEqual(minimumMemoryInMb(1), 129);
    assert.strictEqual(minimumMemoryInMb(100 * 1024 * 1024), 4128);
  });

  it("derives the stored configuration from the stack's maxRecordSizeInBytes", () => {
    assert.strictEqual(processorConfigFor({ maxRecordSizeInBytes: 1234 }).maxObjectBytes, 1234);
    assert.throws(() => processorConfigFor({ maxRecordSizeInBytes: 0 }), /maxObjectBytes must be a whole number/);
  });

  it("refuses to build with invalid arguments, before creating any resource (not even the component)", async () => {
    cloud.reset();
    const config = testConfig("dev", { maxRecordSizeInBytes: String(100 * 1024 * 1024) });
    assert.throws(
      () =>
        new Processing("bad", {
          platform: testPlatform(config, {
            keyArns: { phi: PHI_KEY, audit: AUDIT_KEY },
            accessLogBucket: ACCESS_LOG_BUCKET,
            alertTopicArn: TOPIC,
          }),
          privateSubnetIds: SUBNETS,
          vpcId: VPC_ID,
          timeoutInSeconds: 0,
        }),
      (err: Error) =>
        /Processing "bad": invalid arguments/.test(err.message) &&
        /timeoutInSeconds must be/.test(err.message) &&
        /dataProcessorMemoryInMb must be at least 4128/.test(err.message),
    );
    await cloud.settle();
    assert.deepStrictEqual(
      cloud.resources.map((r) => `${r.type}::${r.name}`),
      [],
    );
  });
});
