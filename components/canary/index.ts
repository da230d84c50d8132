/**
 * The canary: a scheduled function per stack that proves, every run, that the PHI path processes and
 * audits a record and that a PHI access nobody granted becomes an alert (issue 18, section 2;
 * lambda/canary describes a run).
 *
 * - The function (createVpcFunction: in the private subnets, its own security group, log group and
 *   least-privilege role) runs on an EventBridge schedule (`rate(15 minutes)` in prod, `rate(1 hour)`
 *   in dev: config `canaryScheduleMinutes`); failed asynchronous invocations go to its dead-letter queue.
 * - The probe role: trusted by the canary's role only, allowed by IAM to read `canary/*` of the PHI
 *   bucket (and decrypt through S3 for that bucket), and NOT in the grants table, so every read is a
 *   denied access: an incident, marked canary by the authorizer (principal = this role, key under
 *   `canary/`), whose messages the incident workflow publishes to the canary topic (never to the
 *   security-alert topic) with the SNS message attribute `canary` = "true".
 * - The canary topic: its own, because the alert topic's e-mail subscription cannot leave canary
 *   messages out. CloudWatch alarm notifications carry no message attributes, and an attribute filter
 *   policy never matches a message without attributes ("exists: false only matches if at least one
 *   attribute is present", https://docs.aws.amazon.com/sns/latest/dg/attribute-key-matching.html), so
 *   a filter on the e-mail subscription would drop the alarms. Encrypted with the audit key like the
 *   alert topic; only the incident workflow's role may publish to it.
 * - The alert queue: subscribed to the canary topic (the `canary` = "true" filter kept as a second
 *   guard), encrypted with the pipeline key, malformed messages dead-lettered by its redrive policy.
 * - Two alarms to the alert topic, one per objective: over the objective, or no measurement in a window
 *   (how a broken detection path reaches people: the e-mail sees these, never the probes' messages).
 *
 * Network: the function reaches S3, DynamoDB, SQS, STS and CloudWatch. The VPC has interface endpoints
 * for SQS but not for STS or CloudWatch (monitoring); two more endpoints in every AZ cost about
 * 2 x AZs x $7.30 a month (https://aws.amazon.com/privatelink/pricing/), more than the canary itself, so
 * its security group allows HTTPS to any address (through the NAT gateways) instead of the gateway
 * prefix lists only. It holds no PHI: its one record is synthetic.
 *
 * HIPAA Security Rule: 164.308(a)(8) evaluation (periodic technical evaluation), 164.308(a)(1)(ii)(D)
 * information system activity review, 164.308(a)(6)(ii) response and reporting, 164.312(b) audit controls.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { platformWiring } from "../platform-context";
import { kmsViaServiceCondition } from "../lib/service-role";
import { platformTags } from "../lib/tags";
import { createVpcFunction } from "../lib/vpc-function";
import { incidentWorkflowRoleName } from "../security-events/access";
import type { SecurityEventsCanary } from "../security-events";
import type { PlatformGrant } from "../security-events/store";
import {
  CANARY_ENV,
  CANARY_HANDLER,
  CANARY_INTAKE_PREFIX,
  CANARY_PROBE_PREFIX,
  CANARY_PROCESSED_PREFIX,
  canaryTimeoutSeconds,
  processingWaitSeconds,
} from "../../lambda/canary/contract";
import {
  canaryRoleNames,
  canaryStatements,
  createAlarms,
  createProbeRole,
  createQueues,
  createSchedule,
  createTopic,
  CANARY_ENTRY,
  CANARY_MEMORY_IN_MB,
  CANARY_RESERVED_CONCURRENCY_PROD,
  type CanaryArgs,
  type Parts,
} from "./parts";

export {
  accountRootOf,
  ALERT_MAX_RECEIVE_COUNT,
  ALERT_RETENTION_SECONDS,
  CANARY_ENTRY,
  CANARY_MEMORY_IN_MB,
  CANARY_RESERVED_CONCURRENCY_PROD,
  CANARY_SUBSCRIPTION_FILTER,
  canaryRoleNames,
  canaryTopicName,
  type CanaryArgs,
} from "./parts";

export class Canary extends pulumi.ComponentResource {
  readonly functionName: pulumi.Output<string>;
  readonly roleArn: pulumi.Output<string>;
  readonly probeRoleArn: pulumi.Output<string>;
  readonly alertQueueArn: pulumi.Output<string>;
  /** The canary topic: the incident workflow publishes canary incidents' messages here (SecurityEventsCanary.topicArn). */
  readonly topicArn: pulumi.Output<string>;
  /**
   * The canary's own accesses to PHI, for the authorization store: its role writes its synthetic records and the
   * probe object and reads the processed copies. Its probe role is deliberately NOT granted: each probe read is a
   * canary incident.
   */
  readonly platformGrants: readonly PlatformGrant[];
  /** What the authorizer and the incident workflow need to know the probe's reads and where their messages go. */
  readonly securityEventsCanary: SecurityEventsCanary;
  readonly scheduleExpression: string;
  readonly scheduleMinutes: number;
  readonly processingObjectiveSeconds: number;
  readonly detectionObjectiveSeconds: number;

  constructor(name: string, args: CanaryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("healthcare:canary:Canary", name, {}, opts);
    const { config, auditKeyArn, alertTopicArn } = platformWiring(args.platform);
    const settings = config.canary;
    const stack = config.stack;
    const parent = { parent: this };
    const identity = aws.getCallerIdentityOutput({}, parent);
    const region = aws.getRegionOutput({}, parent);
    const partition = aws.getPartitionOutput({}, parent);
    const names = canaryRoleNames(stack);
    const probeRoleArn = pulumi.interpolate`arn:${partition.partition}:iam::${identity.accountId}:role/${names.probeRole}`;
    const tagsOf = (purpose: string) => platformTags(config, { purpose, dataClassification: "Confidential" });
    const topic = createTopic(
      name,
      {
        stack,
        auditKeyArn,
        incidentRoleArn: pulumi.interpolate`arn:${partition.partition}:iam::${identity.accountId}:role/${incidentWorkflowRoleName(stack)}`,
        tags: tagsOf("canary-alerts-topic"),
      },
      this,
    );
    const p: Parts = {
      name,
      component: this,
      stack,
      settings,
      tags: tagsOf,
      alertTopicArn,
      canaryTopicArn: topic.arn,
      phiKeyArn: args.platform.keyArns.phi,
      pipelineKeyArn: args.platform.keyArns.pipeline,
      bucketArn: pulumi.output(args.dataBucket.arn),
      timeoutInSeconds: canaryTimeoutSeconds(settings.processingObjectiveSeconds),
      viaService: (services) => kmsViaServiceCondition(services, region.region, partition.dnsSuffix),
    };
    const { tags, pipelineKeyArn, timeoutInSeconds } = p;

    const queues = createQueues(p);
    const { dlq, alertQueue } = queues;
    const statements = canaryStatements(p, args.auditTable, queues, probeRoleArn);
    const fn = createVpcFunction(
      name,
      {
        config,
        description: "Canary: proves the PHI path (intake to processed and audited) and detection (an ungranted read to its alert)",
        entry: CANARY_ENTRY,
        handler: CANARY_HANDLER,
        memorySizeInMb: CANARY_MEMORY_IN_MB,
        timeoutInSeconds,
        reservedConcurrency: config.environment === "prod" ? CANARY_RESERVED_CONCURRENCY_PROD : undefined,
        environment: {
          [CANARY_ENV.bucket]: args.dataBucket.name,
          [CANARY_ENV.auditTableName]: args.auditTable.name,
          [CANARY_ENV.probeRoleArn]: probeRoleArn,
          [CANARY_ENV.alertQueueUrl]: alertQueue.url,
          [CANARY_ENV.stack]: stack,
          [CANARY_ENV.processingWaitSeconds]: String(processingWaitSeconds(settings.processingObjectiveSeconds)),
        },
        environmentKeyArn: pipelineKeyArn,
        logKeyArn: auditKeyArn,
        deadLetterQueueArn: dlq.arn,
        // No gateway prefix lists: HTTPS to any address, for STS and CloudWatch through NAT (see the module comment).
        network: { vpcId: args.network.vpcId, subnetIds: args.network.subnetIds, vpcCidr: config.vpcCidr },
        statements,
        tags,
        purpose: "canary",
      },
      { parent: this },
    );

    const probeRole = createProbeRole(p, fn.role.role, names.probeRole);
    const scheduleExpression = createSchedule(p, fn.fn);
    createAlarms(p);

    this.functionName = fn.fn.name;
    this.roleArn = fn.role.role.arn;
    this.probeRoleArn = probeRole.arn;
    this.alertQueueArn = alertQueue.arn;
    this.topicArn = topic.arn;
    const grant = (prefix: string, access: PlatformGrant["access"], reason: string): PlatformGrant => ({
      holder: "canary",
      principal: this.roleArn,
      bucket: "phi-data",
      prefix,
      access,
      reason,
    });
    this.platformGrants = [
      grant(CANARY_INTAKE_PREFIX, ["write"], "writes its synthetic records"),
      grant(CANARY_PROBE_PREFIX, ["write"], "writes the probe object"),
      grant(CANARY_PROCESSED_PREFIX, ["read"], "reads its processed records"),
    ];
    this.securityEventsCanary = {
      principalArn: this.probeRoleArn,
      bucket: "phi-data",
      prefix: CANARY_PROBE_PREFIX,
      // A canary incident's messages go to the canary's own topic, never to the alert topic's e-mail.
      topicArn: this.topicArn,
    };
    this.scheduleExpression = scheduleExpression;
    this.scheduleMinutes = settings.scheduleMinutes;
    this.processingObjectiveSeconds = settings.processingObjectiveSeconds;
    this.detectionObjectiveSeconds = settings.detectionObjectiveSeconds;
    this.registerOutputs({
      functionName: this.functionName,
      probeRoleArn: this.probeRoleArn,
      alertQueueArn: this.alertQueueArn,
      topicArn: this.topicArn,
    });
  }
}
