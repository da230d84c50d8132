/**
 * The application tier under mocks: the security-relevant inputs of every part, the security-group
 * chain as a graph, the WAF rules and the MFA policy as data, prod against dev, and the config keys.
 */
import * as assert from "assert";
import { ENDPOINT_ACTIONS } from "../../components/network/endpoint-policies";
import { installMocks, testConfig, ACCOUNT_ID, REGION, policyOf, RecordedResource } from "../mocks";
import { testPlatform } from "../support/platform";
import { parsePlatformConfig, PlatformConfigError } from "../../components/config";

const cloud = installMocks();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const application: typeof import("../../components/application") = require("../../components/application");

const CERT = `arn:aws:acm:${REGION}:${ACCOUNT_ID}:certificate/00000000-0000-4000-8000-000000000001`;
const PHI_KEY = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/pppppppp-2222-4333-a444-555555555555`;
const AUDIT_KEY = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/aaaaaaaa-2222-4333-a444-555555555555`;
const SLR = `arn:aws:iam::${ACCOUNT_ID}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling_hcp-prod-app`;
const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT_ID}:hcp-prod-security-alerts`;

async function build(env: "dev" | "prod", overrides: Record<string, string> = {}) {
  cloud.reset();
  const tier = new application.ApplicationTier("application", {
    platform: testPlatform(testConfig(env, { certificateArn: CERT, ...overrides }), {
      keyArns: { phi: PHI_KEY, audit: AUDIT_KEY },
      accessLogBucket: "hcp-prod-access-logs-123456789012-us-east-1",
      alertTopicArn: TOPIC,
    }),
    vpcId: "vpc-0123456789abcdef0",
    publicSubnetIds: ["subnet-pub1", "subnet-pub2"],
    privateSubnetIds: ["subnet-prv1", "subnet-prv2"],
    isolatedSubnetIds: ["subnet-iso1", "subnet-iso2"],
    endpointSecurityGroupId: "sg-endpoints",
    gatewayPrefixListIds: ["pl-s3", "pl-dynamodb"],
    autoScalingServiceLinkedRoleArn: SLR,
  });
  await cloud.settle();
  return tier;
}

const one = (type: string, name?: string): RecordedResource => cloud.one(type, name);
const all = (type: string): RecordedResource[] => cloud.ofType(type);

describe("application tier", function () {
  this.timeout(30_000);

  describe("security groups: the three-tier chain as a graph", () => {
    let sgs: Map<string, string>;
    type Edge = { from: string; to: string; port: number };
    let edges: Edge[];
    before(async () => {
      await build("prod");
      sgs = new Map(all("aws:ec2/securityGroup:SecurityGroup").map((g) => [String(g.id), g.name.replace(/^application-|-sg$/g, "")]));
      const peerOf = (r: RecordedResource) =>
        r.inputs.cidrIpv4 === "0.0.0.0/0"
          ? "internet"
          : r.inputs.prefixListId
            ? "s3"
            : (sgs.get(String(r.inputs.referencedSecurityGroupId)) ?? "endpoints");
      edges = [
        ...all("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map((r) => ({
          from: peerOf(r),
          to: sgs.get(String(r.inputs.securityGroupId))!,
          port: Number(r.inputs.fromPort),
        })),
        ...all("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").map((r) => ({
          from: sgs.get(String(r.inputs.securityGroupId))!,
          to: peerOf(r),
          port: Number(r.inputs.fromPort),
        })),
      ];
    });

    it("has no inline rules and no default egress: every rule is a standalone resource", () => {
      for (const g of all("aws:ec2/securityGroup:SecurityGroup")) {
        assert.strictEqual(g.inputs.ingress, undefined, g.name);
        assert.strictEqual(g.inputs.egress, undefined, g.name);
      }
    });

    it("nothing reaches the database but the application group, on 5432 only; the database sends nothing", () => {
      assert.deepStrictEqual(
        edges.filter((e) => e.to === "db"),
        [
          { from: "app", to: "db", port: 5432 },
          { from: "app", to: "db", port: 5432 },
        ],
      );
      assert.deepStrictEqual(
        edges.filter((e) => e.from === "db"),
        [],
      );
    });

    it("nothing from the internet reaches the application group directly; the ALB reaches it on the app port only", () => {
      assert.deepStrictEqual(
        edges.filter((e) => e.to === "app").map((e) => `${e.from}:${e.port}`),
        ["alb:8443", "alb:8443"],
      );
      assert.deepStrictEqual(
        edges
          .filter((e) => e.from === "internet")
          .map((e) => `${e.to}:${e.port}`)
          .sort(),
        ["alb:443", "alb:80"],
      );
      assert.deepStrictEqual(
        edges.filter((e) => e.from === "alb").map((e) => `${e.to}:${e.port}`),
        ["app:8443", "app:8443"],
        "its ingress and egress rule",
      );
    });

    it("the chain's data: the internet reaches the database only through the ALB and the application", () => {
      const rules = application.securityGroupChain(8443);
      const withoutApp = rules.filter((r) => r.from !== "app");
      assert.ok(application.reachable(rules, "internet").has("db"));
      assert.ok(!application.reachable(withoutApp, "internet").has("db"));
      assert.ok(
        !application
          .reachable(
            rules.filter((r) => r.from !== "alb"),
            "internet",
          )
          .has("app"),
      );
    });
  });

  describe("load balancer", () => {
    before(() => build("prod"));

    it("is internet-facing in the public subnets, drops invalid headers, strictest desync mitigation, protected, logging", () => {
      const alb = one("aws:lb/loadBalancer:LoadBalancer");
      assert.deepStrictEqual(alb.inputs.subnets, ["subnet-pub1", "subnet-pub2"]);
      assert.strictEqual(alb.inputs.internal, false);
      assert.strictEqual(alb.inputs.dropInvalidHeaderFields, true);
      assert.strictEqual(alb.inputs.desyncMitigationMode, "strictest");
      assert.strictEqual(alb.inputs.enableDeletionProtection, true);
      const logs = alb.inputs.accessLogs as { bucket: string; prefix: string; enabled: boolean };
      assert.deepStrictEqual({ enabled: logs.enabled, prefix: logs.prefix }, { enabled: true, prefix: "alb" });
      assert.match(logs.bucket, /^hcp-prod-alb-logs-/);
      const policy = one("aws:s3/bucketPolicy:BucketPolicy", "alb-logs");
      assert.ok(alb.dependencies.includes(policy.urn), "ELB checks the bucket policy when logging is enabled");
    });

    it("writes logs into an SSE-S3 bucket whose policy admits us-east-1's ELB account under the prefix only", () => {
      const sse = one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "alb-logs");
      assert.deepStrictEqual(sse.inputs.rules, [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
      const doc = policyOf(one("aws:s3/bucketPolicy:BucketPolicy", "alb-logs").inputs.policy);
      const grant = doc.Statement.find((s) => s.Sid === "AllowElbAccessLogDelivery")!;
      assert.deepStrictEqual(grant.Principal, { AWS: "arn:aws:iam::127311923021:root" });
      assert.match(String(grant.Resource), /\/alb\/AWSLogs\/123456789012\/\*$/);
      assert.ok(
        all("aws:s3/bucketLogging:BucketLogging").some((l) => String(l.inputs.bucket).startsWith("hcp-prod-alb-logs-")),
        "its own access is logged",
      );
    });

    it("serves HTTPS with a TLS 1.3 policy and the configured certificate; port 80 only redirects (301)", () => {
      const listeners = all("aws:lb/listener:Listener");
      const https = listeners.find((l) => l.inputs.protocol === "HTTPS")!;
      assert.strictEqual(https.inputs.sslPolicy, "ELBSecurityPolicy-TLS13-1-2-Res-2021-06");
      assert.strictEqual(https.inputs.certificateArn, CERT);
      const http = listeners.find((l) => l.inputs.protocol === "HTTP")!;
      assert.deepStrictEqual(http.inputs.defaultActions, [
        { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
      ]);
    });

    it("checks an HTTPS health endpoint on the instances' port", () => {
      const tg = one("aws:lb/targetGroup:TargetGroup");
      assert.strictEqual(tg.inputs.protocol, "HTTPS");
      assert.strictEqual(tg.inputs.port, 8443);
      assert.deepStrictEqual(
        {
          protocol: (tg.inputs.healthCheck as Record<string, unknown>).protocol,
          path: (tg.inputs.healthCheck as Record<string, unknown>).path,
        },
        { protocol: "HTTPS", path: "/health" },
      );
    });
  });

  describe("WAF", () => {
    before(() => build("prod"));

    it("applies the four managed groups blocking (overrideAction none), a rate rule, and re-blocks oversize bodies outside /fhir/", () => {
      const acl = one("aws:wafv2/webAcl:WebAcl");
      assert.strictEqual(acl.inputs.scope, "REGIONAL");
      const rules = acl.inputs.rules as {
        name: string;
        priority: number;
        overrideAction?: unknown;
        action?: unknown;
        statement: Record<string, unknown>;
      }[];
      const groups = rules.filter((r) => r.statement.managedRuleGroupStatement);
      assert.deepStrictEqual(
        groups.map((r) => r.name),
        application.MANAGED_RULE_GROUPS.map((g) => g.name),
      );
      for (const g of groups) assert.deepStrictEqual(g.overrideAction, { none: {} }, g.name);
      const crs = groups.find((g) => g.name === "AWSManagedRulesCommonRuleSet")!.statement.managedRuleGroupStatement as {
        ruleActionOverrides: unknown[];
      };
      assert.deepStrictEqual(crs.ruleActionOverrides, [{ name: "SizeRestrictions_BODY", actionToUse: { count: {} } }]);
      const rate = rules.find((r) => r.statement.rateBasedStatement)!;
      assert.deepStrictEqual(rate.statement.rateBasedStatement, { limit: 1000, aggregateKeyType: "IP", evaluationWindowSec: 300 });
      assert.deepStrictEqual(rate.action, { block: {} });
      const oversize = rules.find((r) => r.name === "BlockOversizeBodiesOutsideFhir")!;
      assert.deepStrictEqual(oversize.action, { block: {} });
      assert.ok(oversize.priority > rules.find((r) => r.name === "AWSManagedRulesCommonRuleSet")!.priority, "after the group that labels");
      assert.match(JSON.stringify(oversize.statement), /awswaf:managed:aws:core-rule-set:SizeRestrictions_Body/);
      assert.match(JSON.stringify(oversize.statement), /"searchString":"\/fhir\/"/);
      assert.deepStrictEqual(new Set(rules.map((r) => r.priority)).size, rules.length, "unique priorities");
    });

    it("is associated with the load balancer after its listeners exist", () => {
      const assoc = one("aws:wafv2/webAclAssociation:WebAclAssociation");
      assert.strictEqual(assoc.inputs.resourceArn, one("aws:lb/loadBalancer:LoadBalancer").outputs.arn);
      for (const l of all("aws:lb/listener:Listener")) assert.ok(assoc.dependencies.includes(l.urn));
    });

    it("logs to an aws-waf-logs-* group under the audit key, redacting authorization, cookies and the query string", () => {
      const group = all("aws:cloudwatch/logGroup:LogGroup").find((g) => String(g.inputs.name).startsWith("aws-waf-logs-"))!;
      assert.strictEqual(group.inputs.name, "aws-waf-logs-hcp-prod-app");
      assert.strictEqual(group.inputs.kmsKeyId, AUDIT_KEY);
      const logging = one("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration");
      assert.deepStrictEqual(logging.inputs.logDestinationConfigs, [group.outputs.arn]);
      assert.deepStrictEqual(logging.inputs.redactedFields, [
        { singleHeader: { name: "authorization" } },
        { singleHeader: { name: "cookie" } },
        { queryString: {} },
      ]);
    });
  });

  describe("compute", () => {
    before(() => build("prod"));

    it("launches Amazon Linux 2023 by an AMI id resolved at deploy time, IMDSv2 only, no public IP, no key pair, root volume under the PHI key", () => {
      const lt = one("aws:ec2/launchTemplate:LaunchTemplate");
      // An AMI id, not `resolve:ssm:`: Auto Scaling cannot roll back to a launch template whose image is a
      // Parameter Store alias (https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-rollback.html),
      // and the id each deploy launched is recorded in the template version.
      assert.match(String(lt.inputs.imageId), /^ami-[0-9a-f]{17}$/);
      const asg = one("aws:autoscaling/group:Group");
      const refresh = asg.inputs.instanceRefresh as { preferences: { autoRollback?: boolean; minHealthyPercentage: number } };
      // No auto rollback: AWS rolls back to "the configuration that you last saved on the Auto Scaling group before
      // starting the instance refresh" (https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-rollback.html),
      // and the provider saves the new version before StartInstanceRefresh (hashicorp/terraform-provider-aws#34189), so
      // a rollback would relaunch the new AMI. A bad AMI stops the refresh at the minimum healthy percentage instead.
      assert.strictEqual(refresh.preferences.autoRollback, undefined);
      assert.strictEqual(refresh.preferences.minHealthyPercentage, 90);
      assert.match(String((asg.inputs.launchTemplate as { version: string }).version), /^\d+$/, "a numbered version, never $Latest");
      assert.deepStrictEqual(lt.inputs.metadataOptions, {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: "disabled",
      });
      assert.strictEqual(lt.inputs.keyName, undefined);
      const [nic] = lt.inputs.networkInterfaces as { associatePublicIpAddress: string }[];
      assert.strictEqual(nic.associatePublicIpAddress, "false");
      const [root] = lt.inputs.blockDeviceMappings as { ebs: Record<string, unknown> }[];
      assert.deepStrictEqual(
        { encrypted: root.ebs.encrypted, kmsKeyId: root.ebs.kmsKeyId, volumeType: root.ebs.volumeType },
        { encrypted: "true", kmsKeyId: PHI_KEY, volumeType: "gp3" },
      );
      const specs = (lt.inputs.tagSpecifications as { resourceType: string; tags: Record<string, string> }[]).map((t) => t.resourceType);
      assert.deepStrictEqual(specs, ["instance", "volume", "network-interface"]);
      const script = Buffer.from(String(lt.inputs.userData), "base64").toString("utf8");
      assert.match(script, /ThreadingHTTPServer\(\("0\.0\.0\.0", 8443\)/);
      assert.doesNotMatch(script, /sshd|authorized_keys/);
    });

    it("runs the group in the private subnets with ELB health checks, rolling refresh and the stack's service-linked role", () => {
      const asg = one("aws:autoscaling/group:Group");
      assert.deepStrictEqual(asg.inputs.vpcZoneIdentifiers, ["subnet-prv1", "subnet-prv2"]);
      assert.strictEqual(asg.inputs.healthCheckType, "ELB");
      assert.strictEqual(asg.inputs.serviceLinkedRoleArn, SLR);
      assert.strictEqual((asg.inputs.instanceRefresh as { strategy: string }).strategy, "Rolling");
      assert.deepStrictEqual(asg.inputs.targetGroupArns, [one("aws:lb/targetGroup:TargetGroup").outputs.arn]);
    });

    it("gives the instance role only Session Manager, its log group and this database's secret", () => {
      const trust = policyOf(one("aws:iam/role:Role", "instance-role").inputs.assumeRolePolicy);
      assert.deepStrictEqual(trust.Statement[0].Principal, { Service: "ec2.amazonaws.com" });
      assert.strictEqual(trust.Statement[0].Condition, undefined, "the documented ec2InstanceProfile exception");
      const doc = policyOf(all("aws:iam/policy:Policy").find((p) => p.inputs.name === "hcp-prod-app-instance")!.inputs.policy);
      const actions = doc.Statement.flatMap((s) => [s.Action].flat() as string[]);
      assert.ok(
        actions.every((a) =>
          /^(ssm:(UpdateInstanceInformation|DescribeAssociation|GetDeployablePatchSnapshotForInstance|GetDocument|DescribeDocument|GetManifest|ListAssociations|ListInstanceAssociations|PutInventory|PutComplianceItems|PutConfigurePackageResult|UpdateAssociationStatus|UpdateInstanceAssociationStatus)$|ssmmessages:|ec2messages:|logs:|secretsmanager:(GetSecretValue|DescribeSecret)|kms:Decrypt)/.test(
            a,
          ),
        ),
        actions.join(),
      );
      const secret = doc.Statement.find((s) => s.Sid === "ReadTheDatabaseSecret")!;
      assert.deepStrictEqual(secret.Condition, {
        StringEquals: { "aws:ResourceTag/aws:rds:primaryDBInstanceArn": `arn:aws:rds:${REGION}:${ACCOUNT_ID}:db:hcp-prod-app-db` },
      });
    });

    it("grants the SSM Agent AmazonSSMManagedInstanceCore's ssm calls (State Manager, Patch Manager), and the ssm endpoint admits them", () => {
      // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonSSMManagedInstanceCore.html, less GetParameter(s).
      const core = [
        "ssm:DescribeAssociation",
        "ssm:GetDeployablePatchSnapshotForInstance",
        "ssm:GetDocument",
        "ssm:DescribeDocument",
        "ssm:GetManifest",
        "ssm:ListAssociations",
        "ssm:ListInstanceAssociations",
        "ssm:PutInventory",
        "ssm:PutComplianceItems",
        "ssm:PutConfigurePackageResult",
        "ssm:UpdateAssociationStatus",
        "ssm:UpdateInstanceAssociationStatus",
        "ssm:UpdateInstanceInformation",
      ];
      const doc = policyOf(all("aws:iam/policy:Policy").find((p) => p.inputs.name === "hcp-prod-app-instance")!.inputs.policy);
      const granted = doc.Statement.flatMap((s) => [s.Action].flat() as string[]);
      assert.deepStrictEqual(
        core.filter((a) => !granted.includes(a)),
        [],
      );
      // The ssm interface endpoint admits them (its policy is built from ENDPOINT_ACTIONS).
      assert.deepStrictEqual(
        core.filter((a) => !ENDPOINT_ACTIONS.ssm.includes(a)),
        [],
      );
    });

    it("knows the architecture of Graviton and x86 instance types", () => {
      assert.deepStrictEqual(
        ["t4g.small", "m7g.large", "c6gn.xlarge", "t3.small", "m6i.large", "g5.xlarge"].map(application.instanceArchitecture),
        ["arm64", "arm64", "arm64", "x86_64", "x86_64", "x86_64"],
      );
    });
  });

  describe("database", () => {
    it("prod: Multi-AZ, protected, final snapshot, encrypted with the PHI key, managed rotated secret, IAM auth, logs first", async () => {
      await build("prod");
      const db = one("aws:rds/instance:Instance");
      const i = db.inputs;
      assert.deepStrictEqual(
        [
          i.multiAz,
          i.deletionProtection,
          i.skipFinalSnapshot,
          i.storageEncrypted,
          i.kmsKeyId,
          i.performanceInsightsKmsKeyId,
          i.masterUserSecretKmsKeyId,
        ],
        [true, true, false, true, PHI_KEY, PHI_KEY, PHI_KEY],
      );
      assert.deepStrictEqual(
        [i.manageMasterUserPassword, i.iamDatabaseAuthenticationEnabled, i.publiclyAccessible, i.copyTagsToSnapshot],
        [true, true, false, true],
      );
      // Set, not RDS's random pick: apart from the AWS Backup plan's start window (test/backup/windows.spec.ts).
      assert.deepStrictEqual([i.backupWindow, i.maintenanceWindow], ["07:30-08:00", "sun:08:30-sun:09:30"]);
      assert.notStrictEqual(i.username, "postgres");
      assert.deepStrictEqual(i.enabledCloudwatchLogsExports, ["postgresql", "upgrade"]);
      assert.ok(db.protect && db.retainOnDelete);
      for (const type of ["postgresql", "upgrade"]) {
        const group = all("aws:cloudwatch/logGroup:LogGroup").find((g) => g.inputs.name === `/aws/rds/instance/hcp-prod-app-db/${type}`)!;
        assert.strictEqual(group.inputs.kmsKeyId, AUDIT_KEY);
        assert.ok(db.dependencies.includes(group.urn), `${type} log group before the instance`);
      }
      const params = one("aws:rds/parameterGroup:ParameterGroup").inputs.parameters as { name: string; value: string }[];
      assert.deepStrictEqual(
        params.filter((p) => ["rds.force_ssl", "log_connections"].includes(p.name)).map((p) => p.value),
        ["1", "1"],
      );
      assert.deepStrictEqual(one("aws:rds/subnetGroup:SubnetGroup").inputs.subnetIds, ["subnet-iso1", "subnet-iso2"]);
      assert.deepStrictEqual(
        (one("aws:secretsmanager/secretRotation:SecretRotation").inputs.rotationRules as { automaticallyAfterDays: number })
          .automaticallyAfterDays,
        7,
      );
      const monitoring = policyOf(one("aws:iam/role:Role", "db-monitoring-role").inputs.assumeRolePolicy).Statement[0];
      assert.deepStrictEqual(monitoring.Condition, {
        StringEquals: { "aws:SourceAccount": ACCOUNT_ID },
        ArnLike: { "aws:SourceArn": `arn:aws:rds:${REGION}:${ACCOUNT_ID}:db:hcp-prod-app-db` },
      });
    });

    it("dev: single-AZ, destroyable, no final snapshot", async () => {
      await build("dev", { appMinInstances: "1", appMaxInstances: "2" });
      const db = one("aws:rds/instance:Instance");
      assert.deepStrictEqual(
        [db.inputs.multiAz, db.inputs.deletionProtection, db.inputs.skipFinalSnapshot, db.protect],
        [false, false, true, false],
      );
      assert.strictEqual(one("aws:lb/loadBalancer:LoadBalancer").inputs.enableDeletionProtection, false);
    });
  });

  describe("alerts", () => {
    before(() => build("prod"));
    it("alerts on the tier's WAF, load balancer, database and launch template changes, and on unhealthy targets", () => {
      const rule = one("aws:cloudwatch/eventRule:EventRule");
      const pattern = JSON.parse(String(rule.inputs.eventPattern)) as { detail: { eventSource: string[]; eventName: string[] } };
      for (const name of [
        "UpdateWebACL",
        "DisassociateWebACL",
        "DeleteLoggingConfiguration",
        "ModifyListener",
        "ModifyDBInstance",
        "ModifyDBParameterGroup",
      ]) {
        assert.ok(pattern.detail.eventName.includes(name), name);
      }
      assert.strictEqual(one("aws:cloudwatch/eventTarget:EventTarget").inputs.arn, TOPIC);
      assert.deepStrictEqual(one("aws:cloudwatch/metricAlarm:MetricAlarm").inputs.alarmActions, [TOPIC]);
    });
  });

  describe("people", () => {
    it("makes no developers group unless enableDevelopersGroup", async () => {
      const tier = await build("prod");
      assert.strictEqual(all("aws:iam/group:Group").length, 0);
      assert.strictEqual(tier.developersGroupName, undefined);
    });

    it("attaches AWS's MFA statement set to the group: everything but enrolment denied without MFA", async () => {
      await build("prod", { enableDevelopersGroup: "true" });
      const group = one("aws:iam/group:Group");
      const policy = all("aws:iam/policy:Policy").find((p) => p.inputs.name === "hcp-prod-developers")!;
      assert.strictEqual(one("aws:iam/groupPolicyAttachment:GroupPolicyAttachment").inputs.policyArn, policy.outputs.arn);
      assert.strictEqual(one("aws:iam/groupPolicyAttachment:GroupPolicyAttachment").inputs.group, group.outputs.name ?? group.inputs.name);
      const deny = policyOf(policy.inputs.policy).Statement.find((s) => s.Sid === "DenyAllExceptListedIfNoMFA")!;
      assert.strictEqual(deny.Effect, "Deny");
      assert.deepStrictEqual(deny.NotAction, [...application.MFA_ENROLMENT_ACTIONS]);
      assert.deepStrictEqual(deny.Condition, { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } });
    });
  });

  describe("arguments and config", () => {
    it("refuses to build without a certificate, naming the key and the fix", () => {
      assert.deepStrictEqual(application.applicationTierArgProblems({ config: testConfig("prod") }).length, 1);
      assert.match(
        application.applicationTierArgProblems({ config: testConfig("prod") })[0],
        /certificateArn is required.*pulumi config set certificateArn/,
      );
      assert.deepStrictEqual(application.applicationTierArgProblems({ config: testConfig("prod", { certificateArn: CERT }) }), []);
    });

    const raw = { environment: "prod", alertEmail: "a@example.org", recoveryRegion: "us-west-2" };
    const problems = (overrides: Record<string, string>): string[] => {
      try {
        parsePlatformConfig({ ...raw, ...overrides }, { stack: "prod", awsRegion: REGION });
        return [];
      } catch (err) {
        return (err as PlatformConfigError).problems.map((p) => `${p.key}: ${p.message}`);
      }
    };
    const cases: [string, Record<string, string>, RegExp | undefined][] = [
      ["a valid application config", { certificateArn: CERT, dbEngineVersion: "16.4" }, undefined],
      [
        "a certificate of another region",
        { certificateArn: CERT.replace(REGION, "eu-west-1") },
        /certificateArn: must be a certificate of aws:region us-east-1/,
      ],
      [
        "not an ACM ARN",
        { certificateArn: "arn:aws:iam::123456789012:server-certificate/x" },
        /certificateArn: must be an ACM certificate ARN/,
      ],
      ["one instance in prod", { appMinInstances: "1" }, /appMinInstances: prod must run at least 2/],
      ["max below min", { appMinInstances: "3", appMaxInstances: "2" }, /appMaxInstances: must be at least appMinInstances \(3\)/],
      ["a privileged port", { appPort: "443" }, /appPort: must be from 1024 to 65535/],
      ["a class without Performance Insights", { dbInstanceClass: "db.t4g.micro" }, /dbInstanceClass: micro and small classes/],
      ["an unsupported major", { dbEngineVersion: "12" }, /dbEngineVersion: must be a PostgreSQL major version/],
      [
        "storage ceiling below storage",
        { dbAllocatedStorageInGb: "100", dbMaxAllocatedStorageInGb: "50" },
        /dbMaxAllocatedStorageInGb: must be at least/,
      ],
      ["a rate limit below WAF's minimum", { wafRateLimitPer5Minutes: "5" }, /wafRateLimitPer5Minutes: must be from 10/],
    ];
    for (const [name, overrides, expected] of cases) {
      it(`config: ${name}`, () => {
        const found = problems(overrides);
        if (expected === undefined) assert.deepStrictEqual(found, []);
        else
          assert.ok(
            found.some((p) => expected.test(p)),
            found.join("\n"),
          );
      });
    }
  });
});
