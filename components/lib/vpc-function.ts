/**
 * The one way this program builds a Lambda function: bundled with esbuild, in the VPC's private
 * subnets behind its own security group (no ingress, HTTPS egress only), with its own KMS-encrypted
 * log group created first and retained as the stack's data, an execution role from
 * {@link createServiceRole} that may do what the caller lists plus exactly what Lambda needs for
 * the function itself (its own log group, its network interfaces, X-Ray), its environment
 * encrypted with a customer-managed key, and active tracing.
 *
 * Not a component: the resources are children of the caller (`opts.parent`) with names derived from
 * `name` (`<name>-log-group`, `<name>-sg`, `<name>-role...`, `<name>-function`), so a component that
 * used to build them itself keeps its URNs.
 *
 * HIPAA Security Rule: 164.312(a)(1) access control (least privilege, no ingress), 164.312(a)(2)(iv)
 * encryption at rest (environment, logs), 164.312(b) audit controls (logs, traces).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { bundleLambda, cachedLambdaBundle, LAMBDA_RUNTIME } from "./lambda-bundle";
import type { PlatformConfig } from "../config";
import { lambdaLogGroupName, physicalName } from "./naming";
import { createServiceRole, kmsViaServiceCondition, PolicyStatement, ServiceRole } from "./service-role";
import { statefulOptions } from "./stateful";

/** Where the function runs: private subnets of the platform's VPC. */
export interface FunctionNetwork {
  readonly vpcId: pulumi.Input<string>;
  /** Private subnets for the function's network interfaces (routes out only through NAT and endpoints). */
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** The VPC's CIDR: the function may reach the interface endpoints in it on 443. */
  readonly vpcCidr: string;
  /**
   * Prefix lists of the S3 and DynamoDB gateway endpoints; with them, HTTPS egress is limited to the
   * VPC CIDR and these lists.
   * @default none: HTTPS egress to 0.0.0.0/0 on 443 instead (S3 and DynamoDB have public addresses)
   */
  readonly gatewayEndpointPrefixListIds?: readonly pulumi.Input<string>[];
}

/** The physical names of a function of the given purpose: one source, used here and by whoever must name its role first. */
export function vpcFunctionNames(stack: string, purpose: string): { functionName: string; roleName: string; securityGroupName: string } {
  return {
    functionName: physicalName(stack, "lambdaFunction", purpose),
    roleName: physicalName(stack, "iamRole", purpose),
    securityGroupName: physicalName(stack, "securityGroup", purpose),
  };
}

export interface VpcFunctionArgs {
  /** The stack (names), its log retention and its protection switch (the log group is protected, retained and deletion-protected with it). */
  readonly config: Pick<PlatformConfig, "stack" | "logRetentionInDays" | "protectData">;
  readonly description: string;
  /** The handler's entry file, bundled by esbuild into the function's `index.js`. */
  readonly entry: string;
  /** `index.handler` for every bundle of this program. */
  readonly handler: string;
  readonly memorySizeInMb: number;
  readonly timeoutInSeconds: number;
  /** @default none reserved (the account's unreserved pool) */
  readonly reservedConcurrency?: number;
  readonly environment: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** The customer-managed key that encrypts the environment. */
  readonly environmentKeyArn: pulumi.Input<string>;
  /** The key of the function's log group (CloudWatch Logs may use it for `/aws/lambda/hcp-<stack>-*`). */
  readonly logKeyArn: pulumi.Input<string>;
  /** Failed asynchronous invocations go here (the role may send to it). @default no dead-letter queue */
  readonly deadLetterQueueArn?: pulumi.Input<string>;
  readonly network: FunctionNetwork;
  /** The function's own permissions, besides what every function gets here. */
  readonly statements: readonly pulumi.Input<PolicyStatement>[];
  /** Tags of a child of the given purpose. */
  readonly tags: (purpose: string) => Record<string, string>;
  /**
   * What the function is for: its names ({@link vpcFunctionNames}: `hcp-<stack>-<purpose>` for the function,
   * its role and its security group; the log group `/aws/lambda/<function>`) and the purpose tags of its
   * children (`<purpose>`, `<purpose>-logs`, `<purpose>-role`).
   */
  readonly purpose: string;
  /** DataClassification of the function itself (what its environment and events may hold). @default the tags' */
  readonly functionTags?: Record<string, string>;
}

export interface VpcFunction {
  readonly fn: aws.lambda.Function;
  readonly role: ServiceRole;
  readonly securityGroup: aws.ec2.SecurityGroup;
  readonly logGroup: aws.cloudwatch.LogGroup;
  /** Hex SHA-256 of the bundle's `index.js`: known at plan time, changes exactly when the code does. */
  readonly codeSha256: string;
}

/** Creates the function and what it needs; every child of `opts.parent`. */
export function createVpcFunction(name: string, args: VpcFunctionArgs, opts: { parent: pulumi.Resource }): VpcFunction {
  const parent = { parent: opts.parent };
  const { functionName, roleName, securityGroupName } = vpcFunctionNames(args.config.stack, args.purpose);
  const { logRetentionInDays, protectData } = args.config;
  const identity = aws.getCallerIdentityOutput({}, parent);
  const region = aws.getRegionOutput({}, parent);
  const partition = aws.getPartitionOutput({}, parent);

  // Before the function: it must never write before its KMS-encrypted, retained log group exists
  // (Lambda would create an unencrypted one that never expires).
  const logGroup = new aws.cloudwatch.LogGroup(
    `${name}-log-group`,
    {
      name: lambdaLogGroupName(functionName),
      kmsKeyId: args.logKeyArn,
      retentionInDays: logRetentionInDays,
      deletionProtectionEnabled: protectData,
      tags: args.tags(`${args.purpose}-logs`),
    },
    statefulOptions(opts.parent, protectData),
  );

  // No inline rules: the group's rules are standalone resources only, so rules other components add
  // (e.g. to a domain's group) are never removed by this group (provider docs: inline rules and rule
  // resources must not be mixed). The provider revokes AWS's default allow-all egress rule when it
  // creates the group (terraform-provider-aws vpc_security_group.go, resourceSecurityGroupCreate).
  const securityGroup = new aws.ec2.SecurityGroup(
    `${name}-sg`,
    {
      vpcId: args.network.vpcId,
      name: securityGroupName,
      description: `${args.purpose} Lambda: no ingress, HTTPS to AWS APIs only`,
      tags: args.tags(args.purpose),
    },
    parent,
  );
  const https = { securityGroupId: securityGroup.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, tags: args.tags(args.purpose) };
  new aws.vpc.SecurityGroupEgressRule(
    `${name}-to-endpoints`,
    { ...https, description: "HTTPS to the interface VPC endpoints", cidrIpv4: args.network.vpcCidr },
    parent,
  );
  const prefixListIds = args.network.gatewayEndpointPrefixListIds;
  if (prefixListIds === undefined) {
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-to-aws-public`,
      { ...https, description: "HTTPS to S3 and DynamoDB (public service addresses)", cidrIpv4: "0.0.0.0/0" },
      parent,
    );
  } else {
    prefixListIds.forEach(
      (prefixListId, i) =>
        new aws.vpc.SecurityGroupEgressRule(
          `${name}-to-gateway-${i}`,
          { ...https, description: "HTTPS to a gateway endpoint (S3, DynamoDB)", prefixListId },
          parent,
        ),
    );
  }

  const ec2Arn = pulumi.interpolate`arn:${partition.partition}:ec2:${region.region}:${identity.accountId}:`;
  const role = createServiceRole(
    `${name}-role`,
    {
      roleName,
      description: `Execution role of the ${args.purpose} Lambda`,
      servicePrincipal: "lambda.amazonaws.com",
      trustConditions: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [identity.accountId] }],
      statements: [
        ...args.statements,
        ...(args.deadLetterQueueArn === undefined
          ? []
          : [
              {
                sid: "SendFailedEventsToDeadLetterQueue",
                effect: "Allow",
                actions: ["sqs:SendMessage"],
                resources: [args.deadLetterQueueArn],
              },
            ]),
        {
          sid: "WriteOwnLogs",
          effect: "Allow",
          actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
          resources: [logGroup.arn, pulumi.interpolate`${logGroup.arn}:log-stream:*`],
        },
        // Its own environment: Lambda decrypts it through lambda.<region> with the function's ARN as
        // encryption context (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html).
        {
          sid: "DecryptOwnEnvironment",
          effect: "Allow",
          actions: ["kms:Decrypt"],
          resources: [args.environmentKeyArn],
          conditions: [
            kmsViaServiceCondition(["lambda"], region.region, partition.dnsSuffix),
            {
              test: "StringEquals",
              variable: "kms:EncryptionContext:aws:lambda:FunctionArn",
              values: [
                pulumi.interpolate`arn:${partition.partition}:lambda:${region.region}:${identity.accountId}:function:${functionName}`,
              ],
            },
          ],
        },
        // The function's network interfaces in its VPC, and nothing else of EC2 (instead of the
        // AWS-managed AWSLambdaVPCAccessExecutionRole, whose logs:* on "*" would let the function
        // write into the CloudTrail and flow-log groups). AWS: DescribeNetworkInterfaces works only
        // on "*", and DeleteNetworkInterface needs every network-interface ID of the account and
        // region, not one (Lambda's ENIs are created and replaced by the service)
        // (https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html#configuration-vpc-permissions).
        {
          sid: "CreateNetworkInterfacesInOwnSubnetsAndSecurityGroup",
          effect: "Allow",
          actions: ["ec2:CreateNetworkInterface"],
          resources: pulumi
            .all([ec2Arn, pulumi.output(args.network.subnetIds), securityGroup.id])
            .apply(([arn, subnets, sg]) => [
              `${arn}network-interface/*`,
              ...subnets.map((id) => `${arn}subnet/${id}`),
              `${arn}security-group/${sg}`,
            ]),
        },
        {
          sid: "ManageOwnNetworkInterfaces",
          effect: "Allow",
          actions: ["ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"],
          resources: [pulumi.interpolate`${ec2Arn}network-interface/*`],
        },
        {
          sid: "DescribeNetworkInterfaces",
          effect: "Allow",
          actions: ["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"],
          resources: ["*"],
        },
        // X-Ray has no resource-level permissions: "*" is the only resource these actions accept.
        { sid: "WriteTraces", effect: "Allow", actions: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], resources: ["*"] },
      ],
      tags: args.tags(`${args.purpose}-role`),
    },
    parent,
  );

  const fn = new aws.lambda.Function(
    `${name}-function`,
    {
      name: functionName,
      description: args.description,
      runtime: LAMBDA_RUNTIME,
      handler: args.handler,
      code: bundleLambda(args.entry),
      role: role.role.arn,
      memorySize: args.memorySizeInMb,
      timeout: args.timeoutInSeconds,
      reservedConcurrentExecutions: args.reservedConcurrency,
      kmsKeyArn: args.environmentKeyArn,
      environment: { variables: args.environment },
      vpcConfig: { subnetIds: args.network.subnetIds, securityGroupIds: [securityGroup.id] },
      tracingConfig: { mode: "Active" },
      ...(args.deadLetterQueueArn === undefined ? {} : { deadLetterConfig: { targetArn: args.deadLetterQueueArn } }),
      loggingConfig: { logFormat: "JSON", logGroup: logGroup.name, applicationLogLevel: "INFO", systemLogLevel: "INFO" },
      tags: args.functionTags ?? args.tags(args.purpose),
    },
    // Lambda checks at creation that the role may create ENIs and send to the DLQ.
    { parent: opts.parent, dependsOn: [logGroup, ...role.ready] },
  );
  return { fn, role, securityGroup, logGroup, codeSha256: cachedLambdaBundle(args.entry).sha256 };
}
