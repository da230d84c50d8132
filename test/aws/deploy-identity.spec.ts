/**
 * The identities docs/deploy.md asks for, checked with the IAM simulation: the deployer's policies
 * (iam/deployer-*-policy.json, attached to the role `pulumi up` runs as) allow at least the create
 * call of every resource type in the dev and prod plans, and no more than the platform's own names
 * where IAM and S3 let a policy scope by name; CI's preview role (iam/preview-policy.json) is denied
 * every write the deployer may make.
 *
 * The create action of each type: the Service Authorization Reference,
 * https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 * (one page per service, e.g. .../list_amazonec2.html). The calls pulumi-aws makes beyond the create
 * (describe, tag, delete) are listed in the policies by service; a first deploy with CloudTrail on
 * shows any it lacks as AccessDenied events of the deployer role (docs/deploy.md, "First deploy").
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { loadPlan, planSpec, STACKS } from "../support/plans";
import type { PolicyIndex } from "./policy-index";

const ROOT = path.resolve(__dirname, "../..");
const DEPLOYER_FILES = ["iam/deployer-network-data-policy.json", "iam/deployer-platform-policy.json"];
const PREVIEW_FILE = "iam/preview-policy.json";
/** A customer managed policy holds at most 6,144 characters, whitespace not counted (IAM quotas:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html). */
const MANAGED_POLICY_MAX = 6144;

type PolicyDoc = { Version: string; Statement: { Effect: string; Action: string | string[] }[] };
const load = (f: string) => ({ name: path.basename(f), policy: JSON.parse(fs.readFileSync(path.join(ROOT, f), "utf8")) as PolicyDoc });
const deployer = DEPLOYER_FILES.map(load);
const preview = [load(PREVIEW_FILE)];

/** The call that creates each resource type the plans hold (Service Authorization Reference, per service). */
const CREATE: Record<string, string> = {
  "aws:athena/workgroup:Workgroup": "athena:CreateWorkGroup",
  "aws:autoscaling/group:Group": "autoscaling:CreateAutoScalingGroup",
  "aws:autoscaling/policy:Policy": "autoscaling:PutScalingPolicy",
  "aws:backup/plan:Plan": "backup:CreateBackupPlan",
  "aws:backup/selection:Selection": "backup:CreateBackupSelection",
  "aws:backup/vault:Vault": "backup:CreateBackupVault",
  "aws:backup/vaultLockConfiguration:VaultLockConfiguration": "backup:PutBackupVaultLockConfiguration",
  "aws:cloudtrail/trail:Trail": "cloudtrail:CreateTrail",
  "aws:cloudwatch/eventRule:EventRule": "events:PutRule",
  "aws:cloudwatch/eventTarget:EventTarget": "events:PutTargets",
  "aws:cloudwatch/logGroup:LogGroup": "logs:CreateLogGroup",
  "aws:cloudwatch/logMetricFilter:LogMetricFilter": "logs:PutMetricFilter",
  "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": "logs:PutResourcePolicy",
  "aws:cloudwatch/logStream:LogStream": "logs:CreateLogStream",
  "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter": "logs:PutSubscriptionFilter",
  "aws:cloudwatch/metricAlarm:MetricAlarm": "cloudwatch:PutMetricAlarm",
  "aws:dynamodb/table:Table": "dynamodb:CreateTable",
  "aws:dynamodb/tableItem:TableItem": "dynamodb:PutItem",
  "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl": "ec2:DeleteNetworkAclEntry",
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "ec2:RevokeSecurityGroupIngress",
  "aws:ec2/eip:Eip": "ec2:AllocateAddress",
  "aws:ec2/flowLog:FlowLog": "ec2:CreateFlowLogs",
  "aws:ec2/internetGateway:InternetGateway": "ec2:CreateInternetGateway",
  "aws:ec2/launchTemplate:LaunchTemplate": "ec2:CreateLaunchTemplate",
  "aws:ec2/natGateway:NatGateway": "ec2:CreateNatGateway",
  "aws:ec2/networkAcl:NetworkAcl": "ec2:CreateNetworkAcl",
  "aws:ec2/route:Route": "ec2:CreateRoute",
  "aws:ec2/routeTable:RouteTable": "ec2:CreateRouteTable",
  "aws:ec2/routeTableAssociation:RouteTableAssociation": "ec2:AssociateRouteTable",
  "aws:ec2/securityGroup:SecurityGroup": "ec2:CreateSecurityGroup",
  "aws:ec2/subnet:Subnet": "ec2:CreateSubnet",
  "aws:ec2/vpc:Vpc": "ec2:CreateVpc",
  "aws:ec2/vpcEndpoint:VpcEndpoint": "ec2:CreateVpcEndpoint",
  "aws:glue/catalogDatabase:CatalogDatabase": "glue:CreateDatabase",
  "aws:glue/catalogTable:CatalogTable": "glue:CreateTable",
  "aws:iam/instanceProfile:InstanceProfile": "iam:CreateInstanceProfile",
  "aws:iam/policy:Policy": "iam:CreatePolicy",
  "aws:iam/role:Role": "iam:CreateRole",
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "iam:AttachRolePolicy",
  "aws:iam/serviceLinkedRole:ServiceLinkedRole": "iam:CreateServiceLinkedRole",
  "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": "firehose:CreateDeliveryStream",
  "aws:kms/alias:Alias": "kms:CreateAlias",
  "aws:kms/key:Key": "kms:CreateKey",
  "aws:lambda/function:Function": "lambda:CreateFunction",
  "aws:lambda/invocation:Invocation": "lambda:InvokeFunction",
  "aws:lambda/permission:Permission": "lambda:AddPermission",
  "aws:lb/listener:Listener": "elasticloadbalancing:CreateListener",
  "aws:lb/loadBalancer:LoadBalancer": "elasticloadbalancing:CreateLoadBalancer",
  "aws:lb/targetGroup:TargetGroup": "elasticloadbalancing:CreateTargetGroup",
  "aws:opensearch/domain:Domain": "es:CreateDomain",
  "aws:rds/instance:Instance": "rds:CreateDBInstance",
  "aws:rds/parameterGroup:ParameterGroup": "rds:CreateDBParameterGroup",
  "aws:rds/subnetGroup:SubnetGroup": "rds:CreateDBSubnetGroup",
  "aws:s3/bucket:Bucket": "s3:CreateBucket",
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": "s3:PutLifecycleConfiguration",
  "aws:s3/bucketLogging:BucketLogging": "s3:PutBucketLogging",
  "aws:s3/bucketNotification:BucketNotification": "s3:PutBucketNotification",
  "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration": "s3:PutBucketObjectLockConfiguration",
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": "s3:PutBucketOwnershipControls",
  "aws:s3/bucketPolicy:BucketPolicy": "s3:PutBucketPolicy",
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": "s3:PutBucketPublicAccessBlock",
  "aws:s3/bucketReplicationConfig:BucketReplicationConfig": "s3:PutReplicationConfiguration",
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": "s3:PutEncryptionConfiguration",
  "aws:s3/bucketVersioning:BucketVersioning": "s3:PutBucketVersioning",
  "aws:secretsmanager/secretRotation:SecretRotation": "secretsmanager:RotateSecret",
  "aws:sfn/stateMachine:StateMachine": "states:CreateStateMachine",
  "aws:sns/topic:Topic": "sns:CreateTopic",
  "aws:sns/topicPolicy:TopicPolicy": "sns:SetTopicAttributes",
  "aws:sns/topicSubscription:TopicSubscription": "sns:Subscribe",
  "aws:sqs/queue:Queue": "sqs:CreateQueue",
  // A queue policy is the queue's Policy attribute.
  "aws:sqs/queuePolicy:QueuePolicy": "sqs:SetQueueAttributes",
  "aws:ssm/parameter:Parameter": "ssm:PutParameter",
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "ec2:AuthorizeSecurityGroupEgress",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "ec2:AuthorizeSecurityGroupIngress",
  "aws:wafv2/webAcl:WebAcl": "wafv2:CreateWebACL",
  "aws:wafv2/webAclAssociation:WebAclAssociation": "wafv2:AssociateWebACL",
  "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": "wafv2:PutLoggingConfiguration",
};

interface Request {
  readonly action: string;
  readonly resource: string;
  readonly context?: Record<string, string>;
}

/** The create request of one planned resource: its own ARN where the policy scopes by name (S3, IAM), else "*". */
function createRequest(ix: PolicyIndex, r: PolicyIndex["resources"][number]): Request {
  const inputs = r.inputs ?? {};
  const action = CREATE[r.type];
  const iam = (kind: string, name: unknown) => `arn:aws:iam::${ix.account}:${kind}/${String(name)}`;
  if (r.type.startsWith("aws:s3/")) return { action, resource: `arn:aws:s3:::${String(inputs.bucket)}` };
  if (r.type === "aws:iam/role:Role") return { action, resource: iam("role", inputs.name) };
  if (r.type === "aws:iam/policy:Policy") return { action, resource: iam("policy", inputs.name) };
  if (r.type === "aws:iam/instanceProfile:InstanceProfile") return { action, resource: iam("instance-profile", inputs.name) };
  if (r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment") return { action, resource: iam("role", inputs.role) };
  if (r.type === "aws:iam/serviceLinkedRole:ServiceLinkedRole") {
    const service = String(inputs.awsServiceName);
    return { action, resource: iam("role", `aws-service-role/${service}/slr`), context: { "iam:AWSServiceName": service } };
  }
  return { action, resource: "*" };
}

async function decide(policies: typeof deployer, account: string, req: Request): Promise<string> {
  const result = await runSimulation(
    {
      request: {
        principal: `arn:aws:iam::${account}:role/hcp-ci`,
        action: req.action,
        resource: { resource: req.resource, accountId: account },
        contextVariables: req.context ?? {},
      },
      identityPolicies: policies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (result.resultType === "error")
    throw new Error(`iam-simulate refused ${req.action} ${req.resource}: ${JSON.stringify(result.errors)}`);
  return result.overallResult;
}

const actionsOf = (docs: typeof deployer) =>
  docs.flatMap((d) => d.policy.Statement.filter((s) => s.Effect === "Allow").flatMap((s) => [s.Action].flat()));
const isRead = (action: string) => /^[a-z0-9-]+:(Describe|Get|List)/.test(action);

describe("deploy identities (docs/deploy.md): the deployer's and the preview role's policies, simulated", function () {
  this.timeout(600_000);

  it("docs/deploy.md, linked from the README, names exactly these policy files, and no npm script that does not exist", () => {
    const guide = fs.readFileSync(path.join(ROOT, "docs/deploy.md"), "utf8");
    assert.match(fs.readFileSync(path.join(ROOT, "README.md"), "utf8"), /\]\(docs\/deploy\.md\)/);
    const named = [...new Set([...guide.matchAll(/iam\/[\w-]+\.json/g)].map((m) => m[0]))].sort();
    assert.deepStrictEqual(named, [...DEPLOYER_FILES, PREVIEW_FILE].sort());
    const scripts = Object.keys((JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: object }).scripts);
    for (const [, script] of guide.matchAll(/npm run ([\w:-]+)/g)) {
      if (!scripts.includes(script)) assert.match(guide, new RegExp(`npm run ${script}\` does not exist yet`), `npm run ${script}`);
    }
  });

  it("each policy file is a managed policy IAM accepts (size quota)", () => {
    for (const { name, policy } of [...deployer, ...preview]) {
      assert.strictEqual(policy.Version, "2012-10-17", name);
      const size = JSON.stringify(policy).replace(/\s/g, "").length;
      assert.ok(size <= MANAGED_POLICY_MAX, `${name}: ${size} characters > ${MANAGED_POLICY_MAX}`);
    }
  });

  for (const stack of STACKS) {
    it(`${stack}: every resource type of the plan has its create call, the deployer may make it, the preview role may not`, async () => {
      const ix = await loadPlan(planSpec(stack));
      const types = [...new Set(ix.resources.filter((r) => r.custom !== false && !r.type.startsWith("pulumi:")).map((r) => r.type))];
      assert.deepStrictEqual(
        types.filter((t) => !(t in CREATE)),
        [],
        "a resource type without its create call: add it to CREATE and to the deployer's policy",
      );
      const seen = new Set<string>();
      const failures: string[] = [];
      for (const r of ix.resources.filter((x) => x.type in CREATE)) {
        const req = createRequest(ix, r);
        const key = `${req.action} ${req.resource}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const asDeployer = await decide(deployer, ix.account, req);
        if (asDeployer !== "Allowed") failures.push(`deployer ${key}: ${asDeployer}`);
        const asPreview = await decide(preview, ix.account, req);
        if (asPreview === "Allowed") failures.push(`preview ${key}: Allowed`);
      }
      assert.deepStrictEqual(failures, []);
      assert.ok(seen.size >= types.length);
    });
  }

  it("every action the deployer's policies name exists in IAM, and the preview role is denied each write among them", async () => {
    const named = [...new Set(actionsOf(deployer))].filter((a) => !a.includes("*"));
    const writes = named.filter((a) => !isRead(a));
    assert.ok(writes.length > 150, `${writes.length} write actions`);
    const allowed: string[] = [];
    // Every named action is simulated: iam-simulate refuses an action IAM does not have, so a typo fails here.
    for (const action of named) {
      const decision = await decide(preview, "123456789012", { action, resource: "*" });
      if (decision === "Allowed" && !isRead(action)) allowed.push(action);
    }
    assert.deepStrictEqual(allowed, []);
    assert.deepStrictEqual(
      actionsOf(preview).filter((a) => !isRead(a)),
      [],
      "the preview policy names only Describe/Get/List actions",
    );
  });

  it("the deployer reaches only the platform's names where IAM and S3 scope by name, and never reads PHI", async () => {
    const account = "123456789012";
    const denied: Request[] = [
      { action: "iam:CreateRole", resource: `arn:aws:iam::${account}:role/Admin` },
      { action: "iam:AttachRolePolicy", resource: `arn:aws:iam::${account}:role/OrganizationAccountAccessRole` },
      { action: "iam:PassRole", resource: `arn:aws:iam::${account}:role/Admin` },
      { action: "iam:CreateUser", resource: `arn:aws:iam::${account}:user/someone` },
      { action: "s3:PutBucketPolicy", resource: "arn:aws:s3:::another-team-bucket" },
      { action: "s3:GetObject", resource: `arn:aws:s3:::hcp-prod-phi-data-${account}-us-east-1/patient/1.json` },
      {
        action: "iam:CreateServiceLinkedRole",
        resource: `arn:aws:iam::${account}:role/aws-service-role/sso.amazonaws.com/slr`,
        context: { "iam:AWSServiceName": "sso.amazonaws.com" },
      },
    ];
    for (const req of denied) assert.notStrictEqual(await decide(deployer, account, req), "Allowed", `${req.action} ${req.resource}`);
    // The OpenSearch service-linked role: the deployer may create it when the account lacks it (docs/deploy.md).
    assert.strictEqual(
      await decide(deployer, account, {
        action: "iam:CreateServiceLinkedRole",
        resource: `arn:aws:iam::${account}:role/aws-service-role/opensearchservice.amazonaws.com/AWSServiceRoleForAmazonOpenSearchService`,
        context: { "iam:AWSServiceName": "opensearchservice.amazonaws.com" },
      }),
      "Allowed",
    );
  });
});
