import { hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { T } from "../lib/types";

/** Resource types that take `tags` (the services this platform uses). */
export const TAGGABLE_TYPES = [
  T.kmsKey,
  T.trail,
  T.logGroup,
  T.metricAlarm,
  T.vpc,
  T.flowLog,
  T.subnet,
  T.securityGroup,
  T.sgIngressRule,
  T.defaultSecurityGroup,
  T.launchTemplate,
  T.instance,
  T.ebsVolume,
  T.lambdaFunction,
  T.dynamoTable,
  T.snsTopic,
  T.sqsQueue,
  T.rdsInstance,
  T.rdsCluster,
  T.secret,
  T.webAcl,
  T.openSearchDomain,
  T.firehose,
  T.kinesisStream,
  T.stateMachine,
  T.athenaWorkgroup,
  T.glueJob,
  T.glueCrawler,
  T.glueCatalogDatabase,
  T.iamRole,
  T.iamPolicy,
  T.iamUser,
  "aws:s3/bucket:Bucket",
  "aws:s3/bucketV2:BucketV2",
  "aws:lb/loadBalancer:LoadBalancer",
  "aws:alb/loadBalancer:LoadBalancer",
  "aws:lb/targetGroup:TargetGroup",
  "aws:alb/targetGroup:TargetGroup",
  "aws:lb/listener:Listener",
  "aws:alb/listener:Listener",
  "aws:ec2/natGateway:NatGateway",
  "aws:ec2/eip:Eip",
  "aws:ec2/internetGateway:InternetGateway",
  "aws:ec2/routeTable:RouteTable",
  "aws:ec2/vpcEndpoint:VpcEndpoint",
  "aws:rds/subnetGroup:SubnetGroup",
  "aws:rds/parameterGroup:ParameterGroup",
  "aws:sfn/activity:Activity",
  "aws:acm/certificate:Certificate",
  "aws:ssm/parameter:Parameter",
];

interface RequiredTagsConfig {
  requiredTags: string[];
  allowedValues: Record<string, string[]>;
}

export const requiredTags = resourcePolicy<RequiredTagsConfig>({
  name: "required-tags",
  description:
    "Taggable resources carry Project, Environment, DataClassification and Compliance tags (directly or as provider default tags).",
  severity: "medium",
  enforcementLevel: "advisory",
  category: "hygiene",
  framework: hipaa("164.308(a)(1)(ii)(B)", "164.316(b)(1)"),
  resourceTypes: TAGGABLE_TYPES,
  config: {
    requiredTags: {
      type: "array",
      items: { type: "string" },
      uniqueItems: true,
      default: ["Project", "Environment", "DataClassification", "Compliance"],
      description: "Tag keys every taggable resource needs.",
    },
    allowedValues: {
      type: "object",
      additionalProperties: { type: "array", items: { type: "string" } },
      default: {
        Project: ["healthcare-platform"],
        Environment: ["dev", "prod"],
        DataClassification: ["PHI", "Confidential", "Internal", "Public"],
        Compliance: ["HIPAA"],
      },
      description: "Allowed values per tag key.",
    },
  },
  remediationSteps: "Apply the platform tag set from components/lib/tags.ts (or the provider's defaultTags) to the resource.",
  validate: (ctx, report) => {
    const tags = ctx.tags();
    const missing = ctx.config.requiredTags.filter((k) => !tags[k] || tags[k].trim() === "");
    if (missing.length > 0) {
      report(`Missing tag(s): ${missing.join(", ")}.`);
    }
    for (const [key, allowed] of Object.entries(ctx.config.allowedValues)) {
      const v = tags[key];
      if (v !== undefined && v.trim() !== "" && !allowed.includes(v)) {
        report(`Tag ${key}=${v} is not one of ${allowed.join(", ")}.`);
      }
    }
  },
});
