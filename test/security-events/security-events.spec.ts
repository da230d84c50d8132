/**
 * The security-event pipeline (part 1) under the shared mock cloud: the source, the delivery
 * stream, the authorizer, the authorization store, the analytics domain and its configuration
 * step, built for a dev and a prod stack.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { ACCOUNT_ID, REGION, installMocks, policyOf, testConfig, RecordedResource } from "../mocks";
import { testPlatform } from "../support/platform";
import { buildLambdaBundle } from "../../components/lib/lambda-bundle";

const cloud = installMocks();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const events: typeof import("../../components/security-events") = require("../../components/security-events");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const domainModule: typeof import("../../components/security-events/domain") = require("../../components/security-events/domain");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const store: typeof import("../../components/security-events/store") = require("../../components/security-events/store");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const archiveQuery: typeof import("../../components/security-events/archive-query") = require("../../components/security-events/archive-query");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const authorizer: typeof import("../../lambda/authorizer/contract") = require("../../lambda/authorizer/contract");

const PIPELINE_KEY = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/7e1d2c3b-4a5f-4e6d-8c7b-9a0b1c2d3e4f`;
const AUDIT_KEY = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/5d2e8f71-3c4b-4a9d-8e7f-1a2b3c4d5e6f`;
const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT_ID}:hcp-test-alerts`;
const ACCESS_LOG_BUCKET = `hcp-test-access-logs-${ACCOUNT_ID}-${REGION}`;
const TRAIL_GROUP = "/hcp/test/cloudtrail";
const VPC_ID = "vpc-0a1b2c3d4e5f60718";
const SUBNETS = ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60722", "subnet-0a1b2c3d4e5f60733"];
const PROCESSOR_ROLE = `arn:aws:iam::${ACCOUNT_ID}:role/hcp-test-data-processor`;

const T = {
  stream: "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
  domain: "aws:opensearch/domain:Domain",
  fn: "aws:lambda/function:Function",
  role: "aws:iam/role:Role",
  policy: "aws:iam/policy:Policy",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  table: "aws:dynamodb/table:Table",
  item: "aws:dynamodb/tableItem:TableItem",
  filter: "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter",
  invocation: "aws:lambda/invocation:Invocation",
  logPolicy: "aws:cloudwatch/logResourcePolicy:LogResourcePolicy",
  bucket: "aws:s3/bucket:Bucket",
} as const;

type Statement = {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
};
const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const statementsOfRole = (roleName: string): Statement[] =>
  policyOf(cloud.ofType(T.policy).find((p) => p.inputs.name === roleName)!.inputs.policy).Statement as unknown as Statement[];

async function build(
  env: "dev" | "prod",
  overrides: Record<string, string> = {},
  canary?: import("../../components/security-events").SecurityEventsCanary,
) {
  cloud.reset();
  const config = testConfig(env, overrides);
  const platform = testPlatform(config, {
    keyArns: { pipeline: PIPELINE_KEY, audit: AUDIT_KEY },
    accessLogBucket: ACCESS_LOG_BUCKET,
    alertTopicArn: TOPIC,
  });
  const archive = events.SecurityEvents.createArchive("archive", { platform });
  const component = new events.SecurityEvents("security-events", {
    platform,
    archive,
    trailLogGroupName: TRAIL_GROUP,
    trailLogGroupArn: `arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:${TRAIL_GROUP}`,
    network: {
      vpcId: VPC_ID,
      subnetIds: SUBNETS.slice(0, config.availabilityZoneCount),
      privateSubnetIds: pulumi.output(SUBNETS.slice(0, config.availabilityZoneCount)),
      vpcCidr: config.vpcCidr,
    },
    phiBucketNames: { "phi-data": `hcp-${env}-phi-data-${ACCOUNT_ID}-${REGION}`, "security-events": archive.bucketName },
    platformGrants: [
      {
        holder: "data-processor",
        principal: PROCESSOR_ROLE,
        bucket: "phi-data",
        prefix: "intake/",
        access: ["read"],
        reason: "reads intake",
      },
    ],
    ...(canary === undefined ? {} : { canary }),
  });
  await cloud.settle();
  return { config, component };
}

describe("SecurityEvents (the security-event pipeline, part 1)", function () {
  this.timeout(60_000);

  for (const env of ["dev", "prod"] as const) {
    describe(`${env} stack`, () => {
      let stream: RecordedResource;
      let domain: RecordedResource;
      before(async () => {
        await build(env);
        stream = cloud.one(T.stream);
        domain = cloud.one(T.domain);
      });

      it("feeds the stream from the trail's log group, S3 data events only, through a role CloudWatch Logs of this account assumes", () => {
        const filter = cloud.one(T.filter);
        assert.strictEqual(filter.inputs.logGroup, TRAIL_GROUP);
        assert.strictEqual(filter.inputs.filterPattern, '{ ($.eventSource = "s3.amazonaws.com") && ($.eventCategory = "Data") }');
        assert.strictEqual(filter.inputs.destinationArn, stream.outputs.arn);
        const role = cloud.ofType(T.role).find((r) => r.outputs.arn === filter.inputs.roleArn)!;
        const [trust] = policyOf(role.inputs.assumeRolePolicy).Statement as unknown as (Statement & { Principal: unknown })[];
        assert.deepStrictEqual(trust.Principal, { Service: "logs.amazonaws.com" });
        assert.deepStrictEqual(trust.Condition, { StringLike: { "aws:SourceArn": `arn:aws:logs:${REGION}:${ACCOUNT_ID}:*` } });
        assert.deepStrictEqual(
          statementsOfRole(String(role.inputs.name)).map((s) => [list(s.Action), list(s.Resource)]),
          [[["firehose:PutRecord", "firehose:PutRecordBatch"], [stream.outputs.arn]]],
        );
      });

      it("alarms to the alert topic on the first message in any of its dead-letter queues (incident starts, incident reports)", () => {
        const queues = cloud.ofType("aws:sqs/queue:Queue");
        assert.deepStrictEqual(queues.map((q) => q.inputs.name).sort(), [`hcp-${env}-incident-dlq`, `hcp-${env}-incident-report-dlq`]);
        const alarms = cloud.ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
        for (const q of queues) {
          const watching = alarms.filter(
            (a) =>
              a.inputs.namespace === "AWS/SQS" &&
              a.inputs.metricName === "ApproximateNumberOfMessagesVisible" &&
              (a.inputs.dimensions as Record<string, unknown>).QueueName === q.outputs.name,
          );
          assert.strictEqual(watching.length, 1, `one alarm on ${String(q.inputs.name)}`);
          const [alarm] = watching;
          assert.strictEqual(alarm.inputs.threshold, 0);
          assert.strictEqual(alarm.inputs.comparisonOperator, "GreaterThanThreshold");
          assert.deepStrictEqual(alarm.inputs.alarmActions, [TOPIC]);
          assert.strictEqual(q.inputs.kmsMasterKeyId, PIPELINE_KEY);
          assert.strictEqual(q.inputs.messageRetentionSeconds, 1_209_600);
        }
      });

      it("alarms when an incident execution fails, times out or is stopped: each ends without a report", () => {
        const machine = cloud.one("aws:sfn/stateMachine:StateMachine");
        const watched = cloud
          .ofType("aws:cloudwatch/metricAlarm:MetricAlarm")
          .filter((a) => a.inputs.namespace === "AWS/States")
          .map((a) => {
            assert.deepStrictEqual(a.inputs.dimensions, { StateMachineArn: machine.outputs.arn });
            assert.deepStrictEqual(a.inputs.alarmActions, [TOPIC]);
            return a.inputs.metricName;
          });
        assert.deepStrictEqual(watched.sort(), ["ExecutionsAborted", "ExecutionsFailed", "ExecutionsTimedOut"]);
      });

      it("delivers to OpenSearch in the VPC with zero buffering, and every document to the gzip archive", () => {
        assert.strictEqual(stream.inputs.destination, "opensearch");
        const os = stream.inputs.opensearchConfiguration as Record<string, unknown>;
        assert.strictEqual(os.domainArn, domain.outputs.arn);
        assert.strictEqual(os.bufferingInterval, 0);
        assert.strictEqual(os.s3BackupMode, "AllDocuments");
        assert.strictEqual(os.indexName, "security-events");
        const vpc = os.vpcConfig as { subnetIds: string[]; securityGroupIds: string[]; roleArn: string };
        assert.ok(vpc.subnetIds.length > 0 && vpc.securityGroupIds.length === 1, "a VPC domain needs the stream's own VPC config");
        const s3 = os.s3Configuration as Record<string, unknown>;
        assert.strictEqual(s3.compressionFormat, "GZIP");
        assert.strictEqual(s3.prefix, archiveQuery.ARCHIVE_EVENTS_PREFIX, "the Glue table's projection reads this very prefix");
        assert.strictEqual(s3.errorOutputPrefix, archiveQuery.ARCHIVE_ERROR_PREFIX);
        assert.strictEqual(
          s3.kmsKeyArn,
          undefined,
          "no header: the archive's default encryption (the pipeline key) applies, no foreign-key deny can fire",
        );
        assert.deepStrictEqual(stream.inputs.serverSideEncryption, {
          enabled: true,
          keyType: "CUSTOMER_MANAGED_CMK",
          keyArn: PIPELINE_KEY,
        });
      });

      it("runs the authorizer as the only processor (no Decompression / CloudWatchLogProcessing), with no parameter equal to an AWS default", () => {
        const processing = (stream.inputs.opensearchConfiguration as Record<string, unknown>).processingConfiguration as {
          enabled: boolean;
          processors: { type: string; parameters: { parameterName: string; parameterValue: string }[] }[];
        };
        const fn = cloud.ofType(T.fn).find((f) => f.inputs.name === `hcp-${env}-authorizer`)!;
        assert.strictEqual(processing.enabled, true);
        assert.deepStrictEqual(
          processing.processors.map((p) => p.type),
          ["Lambda"],
        );
        const lambda = processing.processors[0].parameters;
        assert.deepStrictEqual(lambda.find((p) => p.parameterName === "LambdaArn")?.parameterValue, fn.outputs.arn);
        // Defaults (NumberOfRetries 3, BufferSizeInMBs 1, RoleArn) are not stored by the provider: a perpetual diff.
        for (const p of lambda) assert.ok(!["NumberOfRetries", "RoleArn"].includes(p.parameterName), p.parameterName);
        assert.strictEqual(
          lambda.find((p) => p.parameterName === "BufferSizeInMBs")?.parameterValue,
          "0.2",
          "gzip records: the least buffer",
        );
      });

      it("runs the authorizer in the VPC with exactly the contract's permissions on exactly its resources", () => {
        const fn = cloud.ofType(T.fn).find((f) => f.inputs.name === `hcp-${env}-authorizer`)!;
        const vars = (fn.inputs.environment as { variables: Record<string, string> }).variables;
        assert.deepStrictEqual(Object.keys(vars).sort(), Object.values(authorizer.AUTHORIZER_ENV).slice(0, 4).sort());
        assert.strictEqual(vars.INCIDENT_STATE_MACHINE_ARN, `arn:aws:states:${REGION}:${ACCOUNT_ID}:stateMachine:hcp-${env}-incident`);
        assert.doesNotThrow(() => authorizer.readAuthorizerEnvironment(vars), "the handler accepts what the component sets");
        assert.strictEqual(fn.inputs.kmsKeyArn, PIPELINE_KEY);
        assert.ok((fn.inputs.vpcConfig as { subnetIds: string[] }).subnetIds.length > 0);
        const grants = cloud.ofType(T.table).find((t) => t.inputs.name === `hcp-${env}-access-grants`)!;
        const throttle = cloud.ofType(T.table).find((t) => t.inputs.name === `hcp-${env}-incident-throttle`)!;
        const own = statementsOfRole(`hcp-${env}-authorizer`).filter(
          (s) => !/NetworkInterface|Logs|Traces|OwnEnvironment/.test(String(s.Sid)),
        );
        assert.deepStrictEqual(
          own.map((s) => [s.Sid, list(s.Action), list(s.Resource)]),
          [
            ["ReadGrants", ["dynamodb:BatchGetItem"], [grants.outputs.arn]],
            ["ThrottleIncidents", ["dynamodb:PutItem"], [throttle.outputs.arn]],
            ["StartIncidents", ["states:StartExecution"], [vars.INCIDENT_STATE_MACHINE_ARN]],
            ["DeadLetterFailedStarts", ["sqs:SendMessage"], [cloud.one("aws:sqs/queue:Queue", "incident-dlq").outputs.arn]],
            ["TablesKeyThroughDynamoDb", ["kms:GenerateDataKey", "kms:Decrypt"], [PIPELINE_KEY]],
            ["DeadLetterQueueKeyThroughSqs", ["kms:GenerateDataKey", "kms:Decrypt"], [PIPELINE_KEY]],
          ],
        );
        // Each bound to its resources by encryption context (issue 16, defect 11).
        const context = (sid: string) => JSON.stringify(own.find((s) => s.Sid === sid)!.Condition);
        assert.ok(
          context("TablesKeyThroughDynamoDb").includes(
            `"kms:EncryptionContext:aws:dynamodb:tableName":["hcp-${env}-access-grants","hcp-${env}-incident-throttle"]`,
          ),
        );
        assert.ok(context("DeadLetterQueueKeyThroughSqs").includes("kms:EncryptionContext:aws:sqs:arn"));
        assert.ok(!own.some((s) => list(s.Action).some((a) => a.includes("*"))), "no wildcard action");
      });

      it("materializes the platform's grants as table items, one per (principal, bucket)", () => {
        const items = cloud.ofType(T.item);
        const principals = items
          .map((i) => JSON.parse(String(i.inputs.item)))
          .map((i) => `${String(i.principal.S).split("/").pop()} ${String(i.bucket.S).replace(/-\d{12}-.*$/, "")}`);
        // The data processor (given), the stream, the incident workflow's state machine (Athena) and
        // report function, and Macie's service-linked role: every platform reader or writer of PHI.
        assert.deepStrictEqual(
          principals.sort(),
          [
            `AWSServiceRoleForAmazonMacie hcp-${env}-phi-data`,
            `hcp-${env}-firehose-security-events hcp-${env}-security-events`,
            `hcp-${env}-incident-report hcp-${env}-incident-reports`,
            `hcp-${env}-incident-workflow hcp-${env}-security-events`,
            `hcp-test-data-processor hcp-${env}-phi-data`,
          ].sort(),
          "one item per holder and bucket, however many grants it holds there",
        );
        const processor = items.map((i) => JSON.parse(String(i.inputs.item))).find((i) => i.principal.S === PROCESSOR_ROLE)!;
        assert.deepStrictEqual(processor.grants, { L: [{ M: { prefix: { S: "intake/" }, access: { S: "read" } } }] });
        const stream = items
          .map((i) => JSON.parse(String(i.inputs.item)))
          .find((i) => String(i.principal.S).endsWith(`role/hcp-${env}-firehose-security-events`))!;
        assert.deepStrictEqual(
          stream.grants.L.map((g: { M: { access: { S: string } } }) => g.M.access.S),
          ["read", "write"],
        );
      });

      it("encrypts the domain with the pipeline key, HTTPS with TLS 1.2+ only, fine-grained access with an IAM master, in the VPC", () => {
        assert.ok(String(domain.inputs.domainName).length <= 28 && /^[a-z][a-z0-9-]+$/.test(String(domain.inputs.domainName)));
        assert.deepStrictEqual(domain.inputs.encryptAtRest, { enabled: true, kmsKeyId: PIPELINE_KEY });
        assert.deepStrictEqual(domain.inputs.nodeToNodeEncryption, { enabled: true });
        assert.deepStrictEqual(domain.inputs.domainEndpointOptions, {
          enforceHttps: true,
          tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10",
        });
        const security = domain.inputs.advancedSecurityOptions as {
          enabled: boolean;
          internalUserDatabaseEnabled: boolean;
          masterUserOptions: { masterUserArn: string };
        };
        assert.strictEqual(security.enabled, true);
        assert.strictEqual(security.internalUserDatabaseEnabled, false);
        const configRole = cloud.ofType(T.role).find((r) => r.inputs.name === `hcp-${env}-opensearch-config`)!;
        assert.strictEqual(
          security.masterUserOptions.masterUserArn,
          configRole.outputs.arn,
          "the configuration function is the master user",
        );
        const logs = (domain.inputs.logPublishingOptions as { logType: string }[]).map((l) => l.logType).sort();
        assert.deepStrictEqual(logs, ["AUDIT_LOGS", "ES_APPLICATION_LOGS", "INDEX_SLOW_LOGS", "SEARCH_SLOW_LOGS"]);
        assert.strictEqual(domain.protect, env === "prod");
      });

      it(env === "prod" ? "spreads over three AZs with three dedicated masters" : "is one small node in one subnet", () => {
        const cluster = domain.inputs.clusterConfig as Record<string, unknown>;
        const subnets = (domain.inputs.vpcOptions as { subnetIds: string[] }).subnetIds;
        if (env === "prod") {
          assert.strictEqual(cluster.zoneAwarenessEnabled, true);
          assert.deepStrictEqual(cluster.zoneAwarenessConfig, { availabilityZoneCount: 3 });
          assert.strictEqual(cluster.dedicatedMasterCount, 3);
          assert.strictEqual(Number(cluster.instanceCount) % 3, 0, "data nodes a multiple of the zone count");
          assert.strictEqual(subnets.length, 3);
        } else {
          assert.strictEqual(cluster.zoneAwarenessEnabled, false);
          assert.strictEqual(cluster.dedicatedMasterEnabled, false);
          assert.strictEqual(cluster.instanceCount, 1);
          assert.strictEqual(subnets.length, 1);
        }
      });

      it("lets only the stream and the configuration function reach the domain, on 443", () => {
        const idOf = (r: RecordedResource) => r.outputs.id ?? r.id;
        const domainSg = cloud.ofType(T.sg).find((s) => s.inputs.name === `hcp-${env}-opensearch`)!;
        assert.strictEqual(domainSg.inputs.ingress, undefined, "no inline rules: they would remove the standalone ones");
        const sources = cloud.ofType(T.ingress).filter((r) => r.inputs.securityGroupId === idOf(domainSg));
        const names = sources
          .map((r) => cloud.ofType(T.sg).find((s) => idOf(s) === r.inputs.referencedSecurityGroupId)!.inputs.name)
          .sort();
        assert.deepStrictEqual(names, [`hcp-${env}-firehose`, `hcp-${env}-opensearch-config`]);
        for (const r of sources) assert.deepStrictEqual([r.inputs.fromPort, r.inputs.toPort, r.inputs.ipProtocol], [443, 443, "tcp"]);
        assert.strictEqual(
          sources.some((r) => r.inputs.cidrIpv4 !== undefined),
          false,
          "no CIDR, only security groups",
        );
      });

      it("maps the stream's role to a write-only role on its index pattern at deploy time", () => {
        const run = cloud.one(T.invocation);
        const input = JSON.parse(String(run.inputs.input));
        const streamRole = cloud.ofType(T.role).find((r) => r.inputs.name === `hcp-${env}-firehose-security-events`)!;
        assert.strictEqual(input.indexPattern, "security-events-*");
        assert.strictEqual(input.retentionDays, env === "prod" ? 365 : 30, "eventIndexRetentionInDays of the stack");
        assert.deepStrictEqual(input.writer, { roleName: "security-events-writer", backendRoles: [streamRole.outputs.arn] });
        assert.strictEqual(input.endpoint, domain.outputs.endpoint);
        assert.ok(
          run.dependencies.includes(domain.urn) || run.dependencies.some((d) => d.includes("analytics")),
          "runs after the domain exists",
        );
      });

      it("creates the OpenSearch service-linked role before the domain, unless the stack lists it as existing (defect 7)", async () => {
        const slr = cloud.ofType("aws:iam/serviceLinkedRole:ServiceLinkedRole");
        assert.deepStrictEqual(
          slr.map((r) => r.inputs.awsServiceName),
          ["opensearchservice.amazonaws.com"],
        );
        assert.ok(domain.dependencies.includes(slr[0].urn), "the domain waits for the role");
        await build(env, { existingServiceLinkedRoles: '["opensearchservice.amazonaws.com"]' });
        assert.deepStrictEqual(cloud.ofType("aws:iam/serviceLinkedRole:ServiceLinkedRole"), []);
        assert.strictEqual(cloud.ofType(T.domain).length, 1);
        await build(env);
        stream = cloud.one(T.stream);
        domain = cloud.one(T.domain);
      });

      it("scopes the domain's access policy per principal, and the config role to the exact security-API paths it writes (defect 11)", () => {
        const streamRole = cloud.ofType(T.role).find((r) => r.inputs.name === `hcp-${env}-firehose-security-events`)!;
        const configRole = cloud.ofType(T.role).find((r) => r.inputs.name === `hcp-${env}-opensearch-config`)!;
        const arn = String(domain.outputs.arn);
        const statements = policyOf(domain.inputs.accessPolicies).Statement as unknown as (Statement & { Principal: { AWS: string } })[];
        const of = (role: RecordedResource) =>
          statements
            .filter((st) => list(st.Principal.AWS).includes(String(role.outputs.arn)))
            .flatMap((st) => list(st.Resource).map((r) => `${list(st.Action).join(",")} ${r.slice(arn.length)}`));
        const security = ["roles", "rolesmapping"].map((k) => `/_plugins/_security/api/${k}/security-events-writer`);
        // Issue 16 part 4: the ISM retention policy, read (its version) and written, that path only.
        const ISM = "/_plugins/_ism/policies/security-events-retention";
        assert.deepStrictEqual(
          of(configRole).sort(),
          [
            ...[...security, "/_plugins/_security/api/audit/config", "/_index_template/security-events", ISM].map(
              (p) => `es:ESHttpPut ${p}`,
            ),
            `es:ESHttpGet ${ISM}`,
          ].sort(),
        );
        assert.ok(!of(streamRole).some((r) => r.includes("_plugins") || r.endsWith(" /*")), of(streamRole).join("; "));
        assert.ok(of(streamRole).includes("es:ESHttpPost,es:ESHttpPut /_bulk"));
        const configResources = statementsOfRole(`hcp-${env}-opensearch-config`)
          .filter((st) => list(st.Action).some((a) => a.startsWith("es:")))
          .flatMap((st) => list(st.Resource));
        assert.deepStrictEqual(
          configResources.map((r) => r.slice(arn.length)).sort(),
          [...security, "/_plugins/_security/api/audit/config", "/_index_template/security-events", ISM, ISM].sort(),
        );
      });

      it("alarms on Firehose metrics an OpenSearch stream with an S3 backup emits: DeliveryToS3.*, not BackupToS3.* (part 2)", () => {
        // https://docs.aws.amazon.com/firehose/latest/dev/monitoring-with-cloudwatch-metrics.html, "Delivery to OpenSearch
        // Service": the AllDocuments backup's metrics are DeliveryToS3.* ("emits this metric only when you enable backup
        // for all documents"); BackupToS3.* belong to the S3 and Redshift destinations. A metric never emitted with
        // notBreaching never fires.
        const emitted = [
          "IncomingRecords",
          "IncomingBytes",
          "ThrottledRecords",
          "ExecuteProcessing.Success",
          "ExecuteProcessing.Duration",
        ].concat(
          ["Bytes", "DataFreshness", "Records", "Success"].flatMap((m) => [`DeliveryToAmazonOpenSearchService.${m}`, `DeliveryToS3.${m}`]),
        );
        const watching = cloud
          .ofType("aws:cloudwatch/metricAlarm:MetricAlarm")
          .filter((a) => a.inputs.namespace === "AWS/Firehose")
          .map((a) => String(a.inputs.metricName));
        assert.ok(watching.length >= 2, watching.join(", "));
        assert.deepStrictEqual(
          watching.filter((m) => !emitted.includes(m)),
          [],
        );
        assert.ok(watching.includes("DeliveryToS3.DataFreshness"), "the archive's freshness is watched");
      });

      it("re-runs the configuration when the function's bundle changes, not only its input (defect 8)", () => {
        const run = cloud.one(T.invocation);
        const triggers = run.inputs.triggers as Record<string, string>;
        const sha = buildLambdaBundle(events.OPENSEARCH_CONFIG_ENTRY).sha256;
        assert.ok(Object.values(triggers).includes(sha), `a trigger is the bundle's sha256 ${sha}: ${JSON.stringify(triggers)}`);
      });

      it("configures the domain only after the config function can reach it, and delivers only after the writer is mapped (defect 9)", () => {
        const run = cloud.one(T.invocation);
        const fromConfig = cloud.ofType(T.ingress).find((r) => r.name.endsWith("-domain-from-config"))!;
        const toDomain = cloud.ofType(T.egress).find((r) => r.name.endsWith("-config-to-domain"))!;
        assert.ok(run.dependencies.includes(fromConfig.urn), "the invocation waits for the domain's ingress rule from the function");
        assert.ok(run.dependencies.includes(toDomain.urn), "the invocation waits for the function's egress rule to the domain");
        assert.ok(stream.dependencies.includes(run.urn), "the stream waits for the writer-role mapping");
        assert.ok(cloud.one(T.filter).dependencies.includes(run.urn), "the subscription waits for the writer-role mapping");
      });

      it("trusts Firehose for the stream's role only with the account as external id, and never grants es:* or s3:*", () => {
        const role = cloud.ofType(T.role).find((r) => r.inputs.name === `hcp-${env}-firehose-security-events`)!;
        const [trust] = policyOf(role.inputs.assumeRolePolicy).Statement as unknown as Statement[];
        assert.deepStrictEqual(trust.Condition, { StringEquals: { "sts:ExternalId": ACCOUNT_ID } });
        const actions = statementsOfRole(`hcp-${env}-firehose-security-events`).flatMap((s) => list(s.Action));
        assert.ok(!actions.some((a) => a.endsWith(":*") || a === "*"), actions.join(", "));
      });
    });
  }

  describe("the authorization store", () => {
    it("refuses a grant on phi-replica in a stack without a recovery region, before creating anything", async () => {
      cloud.reset();
      const config = testConfig("dev", {
        accessGrants: JSON.stringify([
          { principal: `arn:aws:iam::${ACCOUNT_ID}:role/analyst`, bucket: "phi-replica", prefix: "", access: ["read"] },
        ]),
      });
      assert.throws(
        () => new store.AuthorizationStore("store", { config, kmsKeyArn: PIPELINE_KEY, bucketNames: { "phi-data": "b" } }),
        /accessGrants\[0\]\.bucket phi-replica does not exist in this stack .*phi-replica exists only with a recoveryRegion/,
      );
      await cloud.settle();
      assert.deepStrictEqual(cloud.resources, []);
    });

    it("expands declared grants to one declaration per access, a date expiring at the end of its day", () => {
      const declared = store.declarationsOf(
        [{ principal: "arn:aws:iam::1:role/a", bucket: "phi-data", prefix: "p/", access: ["read", "delete"], expiresAt: "2027-01-31" }],
        { "phi-data": "bucket-a" },
      );
      assert.deepStrictEqual(declared, [
        { principal: "arn:aws:iam::1:role/a", bucket: "bucket-a", prefix: "p/", access: "read", expiresAt: "2027-01-31T23:59:59Z" },
        { principal: "arn:aws:iam::1:role/a", bucket: "bucket-a", prefix: "p/", access: "delete", expiresAt: "2027-01-31T23:59:59Z" },
      ]);
    });
  });

  describe("the detection canary (issue 18)", () => {
    const PROBE_ROLE = `arn:aws:iam::${ACCOUNT_ID}:role/hcp-prod-canary-probe`;
    const CANARY_TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT_ID}:hcp-prod-canary-alerts`;
    type Asl = { States: Record<string, { Resource?: string; Parameters?: Record<string, unknown>; Result?: Record<string, unknown> }> };
    const published = () => {
      const d = JSON.parse(String(cloud.one("aws:sfn/stateMachine:StateMachine").inputs.definition)) as Asl;
      const publishes = Object.values(d.States).filter((st) => st.Resource === "arn:aws:states:::sns:publish");
      assert.equal(publishes.length, 3);
      const role = statementsOfRole("hcp-prod-incident-workflow").find((st) => st.Sid === "PublishAlerts")!;
      return { d, params: publishes.map((st) => st.Parameters!), resources: list(role.Resource) };
    };

    it("with a canary: a canary incident's messages go to the canary topic, every other's to the alert topic; the role publishes to those two only", async () => {
      await build("prod", {}, { principalArn: PROBE_ROLE, bucket: "phi-data", prefix: "canary/", topicArn: CANARY_TOPIC });
      const { d, params, resources } = published();
      for (const p of params) {
        assert.equal(p["TopicArn.$"], "$.kind.topicArn");
        assert.ok(!("TopicArn" in p));
      }
      assert.deepStrictEqual(
        ["MarkCanaryIncident", "MarkIncident"].map((s) => d.States[s].Result!.topicArn),
        [CANARY_TOPIC, TOPIC],
      );
      assert.deepStrictEqual(resources, [TOPIC, CANARY_TOPIC]);
    });

    it("without a canary: every publish names the alert topic, the role publishes to it alone", async () => {
      await build("prod");
      const { d, params, resources } = published();
      for (const p of params) assert.deepStrictEqual([p.TopicArn, "TopicArn.$" in p], [TOPIC, false]);
      assert.ok(!("topicArn" in d.States.MarkIncident.Result!));
      assert.deepStrictEqual(resources, [TOPIC]);
    });

    it("gives the authorizer the probe role, the PHI data bucket's name and the prefix, which the handler accepts", async () => {
      await build("prod", {}, { principalArn: PROBE_ROLE, bucket: "phi-data", prefix: "canary/", topicArn: CANARY_TOPIC });
      const fn = cloud.ofType(T.fn).find((f) => f.inputs.name === "hcp-prod-authorizer")!;
      const vars = (fn.inputs.environment as { variables: Record<string, string> }).variables;
      assert.deepStrictEqual(authorizer.readAuthorizerEnvironment(vars).canary, {
        principalArn: PROBE_ROLE,
        bucketName: `hcp-prod-phi-data-${ACCOUNT_ID}-${REGION}`,
        keyPrefix: "canary/",
      });
      assert.deepStrictEqual(
        Object.keys(vars).sort(),
        Object.values(authorizer.AUTHORIZER_ENV)
          .filter((v) => !/CACHE|THROTTLE_SECONDS/.test(v))
          .sort(),
      );
    });

    it("refuses an empty or wildcard prefix and a bucket it was not given, before creating anything", () => {
      const problems = (prefix: string, names: Record<string, string> = { "phi-data": "b" }) =>
        events.securityEventsCanaryProblems({ principalArn: PROBE_ROLE, bucket: "phi-data", prefix, topicArn: CANARY_TOPIC }, names);
      assert.deepStrictEqual(problems("canary/"), []);
      assert.match(problems("").join(), /canary.prefix must not be empty/);
      assert.match(problems("canary/*").join(), /canary.prefix must be a key prefix/);
      assert.match(problems("canary/", {}).join(), /canary.bucket phi-data is not among phiBucketNames/);
    });
  });

  describe("domainSizing", () => {
    const cases: ["dev" | "prod", number, Partial<import("../../components/security-events/domain").DomainSizing>][] = [
      ["dev", 2, { instanceCount: 1, zoneCount: 1 }],
      ["prod", 2, { instanceCount: 2, zoneCount: 2, dedicatedMasterCount: 3 }],
      ["prod", 3, { instanceCount: 3, zoneCount: 3, dedicatedMasterCount: 3 }],
      ["prod", 6, { instanceCount: 3, zoneCount: 3, dedicatedMasterCount: 3 }],
    ];
    for (const [env, azs, expected] of cases) {
      it(`${env} over ${azs} AZs -> ${JSON.stringify(expected)}, which AWS accepts`, () => {
        const sizing = domainModule.domainSizing(env, azs);
        for (const [k, v] of Object.entries(expected)) assert.strictEqual(sizing[k as keyof typeof sizing], v, k);
        assert.deepStrictEqual(domainModule.domainSizingProblems(sizing), []);
      });
    }
    it("refuses what CreateDomain refuses", () => {
      assert.deepStrictEqual(
        domainModule.domainSizingProblems({
          instanceType: "x",
          instanceCount: 4,
          zoneCount: 3,
          dedicatedMasterCount: 2,
          volumeSizeInGb: 10,
        }),
        ["instanceCount 4 must be a multiple of zoneCount 3", "dedicatedMasterCount must be 3 or 5, got 2"],
      );
    });
  });
});
