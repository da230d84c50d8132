// Resource type tokens (@pulumi/aws v7). Deprecated aliases (BucketV2, the ...V2 companions,
// aws:alb/*) are listed with their current names so that they are judged alike.

export const T = {
  stack: "pulumi:pulumi:Stack",
  // KMS
  kmsKey: "aws:kms/key:Key",
  kmsKeyPolicy: "aws:kms/keyPolicy:KeyPolicy",
  // CloudTrail / CloudWatch
  trail: "aws:cloudtrail/trail:Trail",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  metricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  compositeAlarm: "aws:cloudwatch/compositeAlarm:CompositeAlarm",
  // VPC
  vpc: "aws:ec2/vpc:Vpc",
  flowLog: "aws:ec2/flowLog:FlowLog",
  subnet: "aws:ec2/subnet:Subnet",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
  sgIngressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  sgEgressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  defaultSecurityGroup: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
  // EC2 / EBS
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  launchConfiguration: "aws:ec2/launchConfiguration:LaunchConfiguration",
  instance: "aws:ec2/instance:Instance",
  ebsVolume: "aws:ebs/volume:Volume",
  ebsEncryptionByDefault: "aws:ebs/encryptionByDefault:EncryptionByDefault",
  autoscalingGroup: "aws:autoscaling/group:Group",
  // Lambda
  lambdaFunction: "aws:lambda/function:Function",
  lambdaPermission: "aws:lambda/permission:Permission",
  lambdaInvocation: "aws:lambda/invocation:Invocation",
  lambdaFunctionUrl: "aws:lambda/functionUrl:FunctionUrl",
  lambdaEventInvokeConfig: "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
  // DynamoDB
  dynamoTable: "aws:dynamodb/table:Table",
  appAutoscalingTarget: "aws:appautoscaling/target:Target",
  // SNS / SQS
  snsTopic: "aws:sns/topic:Topic",
  sqsQueue: "aws:sqs/queue:Queue",
  // RDS
  rdsInstance: "aws:rds/instance:Instance",
  rdsCluster: "aws:rds/cluster:Cluster",
  // Secrets Manager
  secret: "aws:secretsmanager/secret:Secret",
  secretRotation: "aws:secretsmanager/secretRotation:SecretRotation",
  // WAFv2
  webAcl: "aws:wafv2/webAcl:WebAcl",
  wafRuleGroup: "aws:wafv2/ruleGroup:RuleGroup",
  wafIpSet: "aws:wafv2/ipSet:IpSet",
  wafRegexPatternSet: "aws:wafv2/regexPatternSet:RegexPatternSet",
  webAclAssociation: "aws:wafv2/webAclAssociation:WebAclAssociation",
  webAclLogging: "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
  // OpenSearch
  openSearchDomain: "aws:opensearch/domain:Domain",
  // Firehose / Kinesis
  firehose: "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
  kinesisStream: "aws:kinesis/stream:Stream",
  // Step Functions
  stateMachine: "aws:sfn/stateMachine:StateMachine",
  // Athena
  athenaWorkgroup: "aws:athena/workgroup:Workgroup",
  // Glue
  glueSecurityConfiguration: "aws:glue/securityConfiguration:SecurityConfiguration",
  glueJob: "aws:glue/job:Job",
  glueCrawler: "aws:glue/crawler:Crawler",
  glueCatalogEncryption: "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings",
  glueCatalogDatabase: "aws:glue/catalogDatabase:CatalogDatabase",
  glueCatalogTable: "aws:glue/catalogTable:CatalogTable",
  // IAM
  iamRole: "aws:iam/role:Role",
  iamPolicy: "aws:iam/policy:Policy",
  iamRolePolicy: "aws:iam/rolePolicy:RolePolicy",
  iamUserPolicy: "aws:iam/userPolicy:UserPolicy",
  iamGroupPolicy: "aws:iam/groupPolicy:GroupPolicy",
  iamRolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  iamUserPolicyAttachment: "aws:iam/userPolicyAttachment:UserPolicyAttachment",
  iamGroupPolicyAttachment: "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
  iamPolicyAttachment: "aws:iam/policyAttachment:PolicyAttachment",
  iamUser: "aws:iam/user:User",
  iamGroup: "aws:iam/group:Group",
  iamUserGroupMembership: "aws:iam/userGroupMembership:UserGroupMembership",
  iamGroupMembership: "aws:iam/groupMembership:GroupMembership",
} as const;

/** S3 buckets: the v7 name and its deprecated alias. */
export const BUCKET_TYPES = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"] as const;

export const S3 = {
  encryption: [
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
  ],
  versioning: ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"],
  publicAccessBlock: ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"],
  accountPublicAccessBlock: ["aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock"],
  logging: ["aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2"],
  lifecycle: [
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
  ],
  policy: ["aws:s3/bucketPolicy:BucketPolicy"],
  objectLock: [
    "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
    "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2",
  ],
  acl: ["aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2"],
  ownership: ["aws:s3/bucketOwnershipControls:BucketOwnershipControls"],
  replication: ["aws:s3/bucketReplicationConfig:BucketReplicationConfig"],
} as const;

/** Application load balancers and listeners: aws:lb and the aws:alb aliases. */
export const LB_TYPES = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"] as const;
export const LISTENER_TYPES = ["aws:lb/listener:Listener", "aws:alb/listener:Listener"] as const;

export const IAM_POLICY_DOC_TYPES = [T.iamPolicy, T.iamRolePolicy, T.iamUserPolicy, T.iamGroupPolicy] as const;
export const IAM_ATTACHMENT_TYPES = [
  T.iamRolePolicyAttachment,
  T.iamUserPolicyAttachment,
  T.iamGroupPolicyAttachment,
  T.iamPolicyAttachment,
] as const;
