/**
 * Compute of the application tier: the Auto Scaling group's service-linked role, the instance role
 * and profile, the boot script, as data; the launch template and group are built in index.ts.
 *
 * AWS facts relied on:
 * - The image: Amazon Linux 2023's latest AMI is the public parameter
 *   `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-<arch>`
 *   (https://docs.aws.amazon.com/linux/al2023/ug/ec2.html). It is read at deploy time and the launch
 *   template gets the AMI id, not `resolve:ssm:`: "you also cannot roll back to a launch template that
 *   is configured to use an AMI alias from the AWS Systems Manager Parameter Store"
 *   (https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-rollback.html), and the
 *   id each deploy launched is then recorded in its template version. A deploy after AWS publishes a
 *   new image makes a new version and an instance refresh, which stops when replacements fail their
 *   health checks; it does not roll back by itself (the provider saves the new version on the group
 *   before starting the refresh, so AWS's rollback target would be the new version: see the group in
 *   index.ts); a revert is a `pulumi up` of the previous commit, whose AMI id its version recorded.
 * - The service-linked role with a custom suffix is what the group names (`serviceLinkedRoleArn`) and
 *   what the PHI key's policy names; its ARN is known before it exists
 *   (https://docs.aws.amazon.com/autoscaling/ec2/userguide/autoscaling-service-linked-role.html).
 * - Session Manager needs, on the instance role, `ssm:UpdateInstanceInformation` and the
 *   `ssmmessages:*Channel` actions (https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-create-iam-instance-profile.html);
 *   the SSM Agent also polls `ec2messages` (Run Command), and State Manager and Patch Manager need the rest of
 *   AmazonSSMManagedInstanceCore's ssm actions. These replace that AWS-managed policy, which also grants
 *   ssm:GetParameter(s) on every parameter.
 * - The RDS-managed master secret (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html)
 *   is named `rds!db-<uuid>` and tagged `aws:rds:primaryDBInstanceArn` with its instance's ARN (the tag
 *   key AWS's own RDS service policies condition on; the RDS guide does not state it): that scopes the
 *   read to this database's secret before the secret exists, and fails closed if AWS ever tags it
 *   otherwise (verify on the first deploy, then the behaviour row's note). Secrets Manager uses
 *   the key with `SecretARN` as encryption context (https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { StackContext } from "../config";
import { autoScalingServiceLinkedRoleArn, physicalName } from "../lib/naming";
import type { PolicyStatement } from "../lib/service-role";
import {
  SESSION_MANAGER_CHANNEL_ACTIONS,
  SSM_AGENT_ACTIONS_BY_RESOURCE,
  SSM_AGENT_MESSAGE_ACTIONS,
  SSM_AGENT_REGISTRATION_ACTIONS,
  SSM_AGENT_WILDCARD_ACTIONS,
} from "../ssm-agent";

/** The Amazon Linux 2023 public parameter of an architecture. */
export function amazonLinux2023Parameter(arch: "x86_64" | "arm64"): string {
  return `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${arch}`;
}

/** The CPU architecture of an instance type: Graviton families carry a `g` after their generation (t4g, m7g, c6gn, r8g). */
export function instanceArchitecture(instanceType: string): "x86_64" | "arm64" {
  const family = instanceType.split(".")[0];
  return /^[a-z]+\d+[a-z]*g[a-z]*$/.test(family) && !/^(g|p|inf|trn|dl)\d/.test(family) ? "arm64" : "x86_64";
}

/** The latest Amazon Linux 2023 AMI id for an instance type, read from its public parameter at deploy time. */
export function imageIdFor(instanceType: string, opts: pulumi.InvokeOutputOptions): pulumi.Output<string> {
  return aws.ssm.getParameterOutput({ name: amazonLinux2023Parameter(instanceArchitecture(instanceType)) }, opts).value;
}

/** The suffix of the stack's Auto Scaling service-linked role (`AWSServiceRoleForAutoScaling_<suffix>`). */
export function autoScalingRoleSuffix(stack: string): string {
  return physicalName(stack, "serviceLinkedRoleSuffix", "app");
}

/**
 * The stack's EC2 Auto Scaling service-linked role, created before the keys (KMS refuses a key
 * policy naming a principal that does not exist) and passed to the Encryption component as
 * `autoScalingServiceLinkedRoleArn` and to the application tier. `arn` is the role's ARN as AWS
 * forms it, resolved only once the role exists (so depending on it orders the key after the role).
 */
export function createAutoScalingServiceLinkedRole(
  name: string,
  config: StackContext,
  opts: pulumi.CustomResourceOptions,
): { role: aws.iam.ServiceLinkedRole; arn: pulumi.Output<string> } {
  const suffix = autoScalingRoleSuffix(config.stack);
  const role = new aws.iam.ServiceLinkedRole(
    name,
    {
      awsServiceName: "autoscaling.amazonaws.com",
      customSuffix: suffix,
      description: `EC2 Auto Scaling of the ${config.stack} application tier (named in the PHI key's policy for encrypted volumes)`,
    },
    opts,
  );
  const invoke = { parent: opts.parent, provider: opts.provider };
  const identity = aws.getCallerIdentityOutput({}, invoke);
  const partition = aws.getPartitionOutput({}, invoke);
  const arn = pulumi
    .all([partition.partition, identity.accountId, role.id])
    .apply(([p, account]) => autoScalingServiceLinkedRoleArn(p, account, suffix));
  return { role, arn };
}

/** What the instance role's policy refers to (plain values: build it inside an apply). */
export interface InstanceRoleContext {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly logGroupArn: string;
  readonly phiKeyArn: string;
  /** ARN of the database instance whose managed master secret the instances read. */
  readonly databaseArn: string;
}

/** The instance role's permissions: the SSM Agent (Session Manager, State and Patch Manager), its own log group, the database secret. */
export function instanceRoleStatements(ctx: InstanceRoleContext): PolicyStatement[] {
  const secretPattern = `arn:${ctx.partition}:secretsmanager:${ctx.region}:${ctx.accountId}:secret:rds!db-*`;
  return [
    {
      sid: "SessionManagerRegisterThisInstance",
      effect: "Allow",
      actions: SSM_AGENT_REGISTRATION_ACTIONS,
      resources: [`arn:${ctx.partition}:ec2:${ctx.region}:${ctx.accountId}:instance/*`],
    },
    // State Manager and Patch Manager (HIPAA security updates; the S3 gateway admits Patch Manager's buckets): the SSM
    // Agent's core calls as AWS's AmazonSSMManagedInstanceCore grants them
    // (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonSSMManagedInstanceCore.html), scoped where the
    // Service Authorization Reference gives a resource type (this account's instances and associations, the Region's documents,
    // AWS-owned ones having no account: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssystemsmanager.html).
    {
      sid: "SsmAgentThisAccountsInstances",
      effect: "Allow",
      actions: SSM_AGENT_ACTIONS_BY_RESOURCE.instance,
      resources: [`arn:${ctx.partition}:ec2:${ctx.region}:${ctx.accountId}:instance/*`],
    },
    {
      sid: "SsmAgentThisAccountsAssociations",
      effect: "Allow",
      actions: SSM_AGENT_ACTIONS_BY_RESOURCE.association,
      resources: [`arn:${ctx.partition}:ssm:${ctx.region}:${ctx.accountId}:association/*`],
    },
    {
      sid: "SsmAgentDocuments",
      effect: "Allow",
      actions: SSM_AGENT_ACTIONS_BY_RESOURCE.document,
      resources: [`arn:${ctx.partition}:ssm:${ctx.region}:*:document/*`],
    },
    { sid: "SsmAgentWildcardOnly", effect: "Allow", actions: SSM_AGENT_WILDCARD_ACTIONS, resources: ["*"] },
    {
      // Wildcard-only actions (the Service Authorization Reference lists no resource type for them).
      sid: "SessionManagerChannels",
      effect: "Allow",
      actions: SESSION_MANAGER_CHANNEL_ACTIONS,
      resources: ["*"],
    },
    {
      sid: "SsmAgentMessages",
      effect: "Allow",
      actions: SSM_AGENT_MESSAGE_ACTIONS,
      resources: ["*"],
    },
    {
      sid: "WriteOwnLogGroup",
      effect: "Allow",
      actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
      resources: [ctx.logGroupArn, `${ctx.logGroupArn}:log-stream:*`],
    },
    {
      sid: "ReadTheDatabaseSecret",
      effect: "Allow",
      actions: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
      resources: [secretPattern],
      conditions: [{ test: "StringEquals", variable: "aws:ResourceTag/aws:rds:primaryDBInstanceArn", values: [ctx.databaseArn] }],
    },
    {
      sid: "DecryptTheDatabaseSecret",
      effect: "Allow",
      actions: ["kms:Decrypt"],
      resources: [ctx.phiKeyArn],
      conditions: [
        { test: "StringEquals", variable: "kms:ViaService", values: [`secretsmanager.${ctx.region}.amazonaws.com`] },
        { test: "StringLike", variable: "kms:EncryptionContext:SecretARN", values: [secretPattern] },
      ],
    },
  ];
}

/**
 * The boot script: out of the box the instance serves `GET /health` (200) over HTTPS on `appPort`
 * with a certificate generated on the instance at boot (its key never leaves the instance, and the
 * load balancer does not validate target certificates:
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html#target-group-routing-configuration),
 * and ships its log to the instance's log group with the CloudWatch agent. A team replaces the
 * `hcp-health` service with its application (README, "Application tier").
 */
export function userData(args: { appPort: number; logGroupName: string }): string {
  return `#!/bin/bash
# hcp application instance bootstrap (components/application/compute.ts)
set -euo pipefail
install -d -m 0750 /etc/hcp-app /var/log/hcp-app
id hcp-app >/dev/null 2>&1 || useradd --system --no-create-home --shell /sbin/nologin hcp-app
openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=$(hostname -f)" \\
  -keyout /etc/hcp-app/key.pem -out /etc/hcp-app/cert.pem
chown -R hcp-app: /etc/hcp-app /var/log/hcp-app
chmod 0600 /etc/hcp-app/key.pem
cat > /usr/local/bin/hcp-health.py <<'PY'
import http.server, ssl, sys
class Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        ok = self.path == "/health"
        body = b'{"status":"ok"}' if ok else b'{"status":"not found"}'
        self.send_response(200 if ok else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, fmt, *args):
        sys.stdout.write("%s %s\\n" % (self.address_string(), fmt % args))
        sys.stdout.flush()
server = http.server.ThreadingHTTPServer(("0.0.0.0", ${args.appPort}), Health)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.minimum_version = ssl.TLSVersion.TLSv1_2
context.load_cert_chain("/etc/hcp-app/cert.pem", "/etc/hcp-app/key.pem")
server.socket = context.wrap_socket(server.socket, server_side=True)
server.serve_forever()
PY
cat > /etc/systemd/system/hcp-health.service <<'UNIT'
[Unit]
Description=hcp application health endpoint (replace with the application)
After=network-online.target
[Service]
User=hcp-app
ExecStart=/usr/bin/python3 /usr/local/bin/hcp-health.py
StandardOutput=append:/var/log/hcp-app/app.log
StandardError=append:/var/log/hcp-app/app.log
Restart=always
NoNewPrivileges=true
ProtectSystem=strict
ReadWritePaths=/var/log/hcp-app
[Install]
WantedBy=multi-user.target
UNIT
systemctl daemon-reload
systemctl enable --now hcp-health.service
dnf install -y amazon-cloudwatch-agent
cat > /opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json <<'JSON'
{"logs": {"logs_collected": {"files": {"collect_list": [
  {"file_path": "/var/log/hcp-app/*.log", "log_group_name": "${args.logGroupName}", "log_stream_name": "{instance_id}"}
]}}}}
JSON
/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s \\
  -c file:/opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json
`;
}
