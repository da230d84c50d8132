/**
 * The resource types the architecture picture draws and the inputs that link them (architecture.ts
 * resolves each rule's identifiers to resources): a path from a resource's own input (DIRECT) or a
 * connector resource that is not drawn itself (CONNECTORS).
 */
import type { FlowKind } from "./architecture";

export const T = {
  bucket: "aws:s3/bucket:Bucket",
  bucketV2: "aws:s3/bucketV2:BucketV2",
  table: "aws:dynamodb/table:Table",
  rds: "aws:rds/instance:Instance",
  rdsCluster: "aws:rds/cluster:Cluster",
  domain: "aws:opensearch/domain:Domain",
  vault: "aws:backup/vault:Vault",
  backupPlan: "aws:backup/plan:Plan",
  fn: "aws:lambda/function:Function",
  firehose: "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
  kinesis: "aws:kinesis/stream:Stream",
  sfn: "aws:sfn/stateMachine:StateMachine",
  alb: "aws:lb/loadBalancer:LoadBalancer",
  albAlias: "aws:alb/loadBalancer:LoadBalancer",
  targetGroup: "aws:lb/targetGroup:TargetGroup",
  asg: "aws:autoscaling/group:Group",
  ec2: "aws:ec2/instance:Instance",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  trail: "aws:cloudtrail/trail:Trail",
  topic: "aws:sns/topic:Topic",
  queue: "aws:sqs/queue:Queue",
  workgroup: "aws:athena/workgroup:Workgroup",
  glueTable: "aws:glue/catalogTable:CatalogTable",
  webAcl: "aws:wafv2/webAcl:WebAcl",
  eventRule: "aws:cloudwatch/eventRule:EventRule",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  subnet: "aws:ec2/subnet:Subnet",
  subnetGroup: "aws:rds/subnetGroup:SubnetGroup",
  routeTable: "aws:ec2/routeTable:RouteTable",
  route: "aws:ec2/route:Route",
  rta: "aws:ec2/routeTableAssociation:RouteTableAssociation",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  sgRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
} as const;

export const BUCKETS = [T.bucket, T.bucketV2];
export const ALBS = [T.alb, T.albAlias];
/** Types that store data: PHI holders when classified PHI. */
export const STORES = new Set<string>([...BUCKETS, T.table, T.rds, T.rdsCluster, T.domain, T.vault, T.queue, T.kinesis]);
/** Types that process or carry data: PHI movers when classified PHI. */
export const MOVERS = new Set<string>([T.fn, T.firehose, T.sfn, ...ALBS, T.asg, T.ec2]);
/** Always drawn. */
export const DRAWN = new Set<string>([
  ...STORES,
  ...MOVERS,
  T.backupPlan,
  T.trail,
  T.topic,
  T.workgroup,
  T.glueTable,
  T.webAcl,
  T.eventRule,
]);
/** Drawn only when a path touches them. */
export const DRAWN_IF_LINKED = new Set<string>([T.logGroup, T.targetGroup]);

/** A path from the resource itself: `key` of its inputs names resources of `to`. */
export interface DirectLink {
  type: string[];
  key: string;
  to: string[];
  kind: FlowKind | "auto";
  label: string;
  /** The path runs from the named resource to this one. */
  reverse?: boolean;
}

/** A connector resource (not drawn) linking what `fromKey` names to what `toKey` names. */
export interface Connector {
  type: string;
  fromKey: string;
  from: string[];
  toKey: string;
  to: string[];
  kind: FlowKind | "auto";
  label: string;
}

const DATA_TARGETS = [...BUCKETS, T.table, T.queue, T.topic, T.sfn, T.kinesis, T.firehose];

export const DIRECT: DirectLink[] = [
  { type: [T.fn], key: "environment", to: DATA_TARGETS, kind: "auto", label: "writes" },
  { type: [T.fn], key: "deadLetterConfig", to: [T.queue, T.topic], kind: "auto", label: "failed events" },
  ...[
    "opensearchConfiguration",
    "extendedS3Configuration",
    "s3Configuration",
    "elasticsearchConfiguration",
    "httpEndpointConfiguration",
  ].map((key): DirectLink => ({ type: [T.firehose], key, to: [T.domain, ...BUCKETS, T.fn], kind: "auto", label: "delivers" })),
  { type: [T.firehose], key: "kinesisSourceConfiguration", to: [T.kinesis], kind: "auto", label: "reads", reverse: true },
  { type: [T.trail], key: "s3BucketName", to: BUCKETS, kind: "audit", label: "log files" },
  { type: [T.trail], key: "cloudWatchLogsGroupArn", to: [T.logGroup], kind: "audit", label: "events" },
  { type: [T.trail], key: "advancedEventSelectors", to: BUCKETS, kind: "audit", label: "data events", reverse: true },
  { type: [T.trail], key: "eventSelectors", to: BUCKETS, kind: "audit", label: "data events", reverse: true },
  { type: ALBS, key: "accessLogs", to: BUCKETS, kind: "audit", label: "access logs" },
  { type: [T.asg], key: "targetGroupArns", to: [T.targetGroup], kind: "auto", label: "forwards", reverse: true },
  { type: [T.workgroup], key: "configuration", to: BUCKETS, kind: "audit", label: "query results" },
  { type: [T.glueTable], key: "storageDescriptor", to: BUCKETS, kind: "audit", label: "queried", reverse: true },
  { type: [T.backupPlan], key: "rules", to: [T.vault], kind: "phi", label: "recovery points" },
  { type: [T.sfn], key: "loggingConfiguration", to: [T.logGroup], kind: "audit", label: "execution history" },
];

export const CONNECTORS: Connector[] = [
  {
    type: "aws:s3/bucketNotification:BucketNotification",
    fromKey: "bucket",
    from: BUCKETS,
    toKey: "lambdaFunctions",
    to: [T.fn],
    kind: "auto",
    label: "object created",
  },
  {
    type: "aws:s3/bucketNotification:BucketNotification",
    fromKey: "bucket",
    from: BUCKETS,
    toKey: "queues",
    to: [T.queue],
    kind: "auto",
    label: "object created",
  },
  {
    type: "aws:s3/bucketNotification:BucketNotification",
    fromKey: "bucket",
    from: BUCKETS,
    toKey: "topics",
    to: [T.topic],
    kind: "auto",
    label: "object created",
  },
  {
    type: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    fromKey: "bucket",
    from: BUCKETS,
    toKey: "rules",
    to: BUCKETS,
    kind: "auto",
    label: "replicates",
  },
  {
    type: "aws:s3/bucketLogging:BucketLogging",
    fromKey: "bucket",
    from: BUCKETS,
    toKey: "targetBucket",
    to: BUCKETS,
    kind: "audit",
    label: "access logs",
  },
  {
    type: "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter",
    fromKey: "logGroup",
    from: [T.logGroup],
    toKey: "destinationArn",
    to: [T.firehose, T.fn, T.kinesis],
    kind: "audit",
    label: "subscription",
  },
  {
    type: "aws:backup/selection:Selection",
    fromKey: "resources",
    from: [T.table, T.rds, T.rdsCluster, ...BUCKETS],
    toKey: "planId",
    to: [T.backupPlan],
    kind: "phi",
    label: "backed up",
  },
  {
    type: "aws:lb/listener:Listener",
    fromKey: "loadBalancerArn",
    from: ALBS,
    toKey: "defaultActions",
    to: [T.targetGroup],
    kind: "auto",
    label: "HTTPS",
  },
  {
    type: "aws:cloudwatch/eventTarget:EventTarget",
    fromKey: "rule",
    from: [T.eventRule],
    toKey: "arn",
    to: [T.topic, T.fn, T.queue, T.sfn],
    kind: "audit",
    label: "alert",
  },
  {
    type: "aws:cloudwatch/metricAlarm:MetricAlarm",
    fromKey: "dimensions",
    from: [...MOVERS, ...STORES],
    toKey: "alarmActions",
    to: [T.topic],
    kind: "audit",
    label: "alarm",
  },
  {
    type: "aws:wafv2/webAclAssociation:WebAclAssociation",
    fromKey: "webAclArn",
    from: [T.webAcl],
    toKey: "resourceArn",
    to: ALBS,
    kind: "control",
    label: "inspects",
  },
  {
    type: "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
    fromKey: "resourceArn",
    from: [T.webAcl],
    toKey: "logDestinationConfigs",
    to: [T.logGroup],
    kind: "audit",
    label: "request logs",
  },
];
