/**
 * Each Pulumi resource type of the plans, mapped to the request shape of the AWS API call the
 * provider makes with its inputs (botocore service and shape). A Pulumi input is matched to the
 * shape's member of the same name (case-insensitive), recursively; `props` names the shape for a
 * Pulumi path (dot-separated, list indices left out) where the names differ, with `doc:<Name>` for
 * a constraint AWS documents outside its model (documented.ts), or gives the reason a top-level
 * input is not checked. Every top-level input must match, be mapped or be skipped: a new input
 * fails the spec until it is accounted for. Nested inputs that match nothing are reported.
 */

/**
 * A shape name; a reason the input is not checked; or `pairs`: a map input whose keys and values
 * are the API's Name/Value (Key/Value) pairs, checked against these two shapes.
 */
export { TAG_SHAPES } from "./tags";

export type Target = string | { readonly skip: string } | { readonly pairs: readonly [string, string] };

export interface TypeMapping {
  readonly service: string;
  /** The request (or request member) structure whose members the inputs are. */
  readonly shape: string;
  readonly props?: Readonly<Record<string, Target>>;
}

const PROVIDER = { skip: "provider-side setting, not sent to AWS" };
const REFERENCE = { skip: "another resource's id or ARN, filled by the engine (mock values in the plan)" };
const POLICY = { skip: "a JSON policy document: checked by the policy pack and the behaviour table, not a value pattern" };

export const MAPPING: Readonly<Record<string, TypeMapping>> = {
  "aws:athena/workgroup:Workgroup": {
    service: "athena",
    shape: "CreateWorkGroupInput",
    props: {
      forceDestroy: PROVIDER,
      state: "WorkGroupState",
      "configuration.enforceWorkgroupConfiguration": "BoxedBoolean",
      "configuration.resultConfiguration.encryptionConfiguration.kmsKeyArn": REFERENCE,
    },
  },
  "aws:autoscaling/group:Group": {
    service: "autoscaling",
    shape: "CreateAutoScalingGroupType",
    props: {
      name: "XmlStringMaxLen255",
      launchTemplate: "LaunchTemplateSpecification",
      "launchTemplate.id": REFERENCE,
      vpcZoneIdentifiers: REFERENCE,
      targetGroupArns: REFERENCE,
      serviceLinkedRoleArn: REFERENCE,
      instanceRefresh: "StartInstanceRefreshType",
      "instanceRefresh.preferences": "RefreshPreferences",
    },
  },
  "aws:autoscaling/policy:Policy": {
    service: "autoscaling",
    shape: "PutScalingPolicyType",
    props: { autoscalingGroupName: "XmlStringMaxLen255" },
  },
  "aws:backup/plan:Plan": {
    service: "backup",
    shape: "BackupPlanInput",
    props: {
      name: "BackupPlanName",
      "rules.targetVaultName": "BackupVaultName",
      "rules.schedule": "CronExpression",
      "rules.startWindow": "WindowMinutes",
      "rules.completionWindow": "WindowMinutes",
      "rules.lifecycle.deleteAfter": "Long",
      "rules.copyActions.destinationVaultArn": REFERENCE,
      "rules.copyActions.lifecycle.deleteAfter": "Long",
    },
  },
  "aws:backup/selection:Selection": {
    service: "backup",
    shape: "BackupSelection",
    props: { name: "BackupSelectionName", planId: REFERENCE, iamRoleArn: REFERENCE, resources: REFERENCE },
  },
  "aws:backup/vault:Vault": {
    service: "backup",
    shape: "CreateBackupVaultInput",
    props: { name: "BackupVaultName", kmsKeyArn: REFERENCE, forceDestroy: PROVIDER },
  },
  "aws:backup/vaultLockConfiguration:VaultLockConfiguration": {
    service: "backup",
    shape: "PutBackupVaultLockConfigurationInput",
  },
  "aws:cfg/conformancePack:ConformancePack": {
    service: "config",
    shape: "PutConformancePackRequest",
    props: { name: "ConformancePackName", templateBody: "TemplateBody" },
  },
  "aws:cfg/deliveryChannel:DeliveryChannel": {
    service: "config",
    shape: "DeliveryChannel",
    props: { s3KmsKeyArn: REFERENCE, snapshotDeliveryProperties: "ConfigSnapshotDeliveryProperties" },
  },
  "aws:cfg/recorder:Recorder": { service: "config", shape: "ConfigurationRecorder", props: { roleArn: REFERENCE } },
  "aws:cfg/recorderStatus:RecorderStatus": {
    service: "config",
    shape: "StartConfigurationRecorderRequest",
    props: { name: "RecorderName", isEnabled: { skip: "StartConfigurationRecorder/StopConfigurationRecorder call, boolean" } },
  },
  "aws:cloudtrail/trail:Trail": {
    service: "cloudtrail",
    shape: "CreateTrailRequest",
    props: {
      cloudWatchLogsGroupArn: REFERENCE,
      cloudWatchLogsRoleArn: REFERENCE,
      kmsKeyId: REFERENCE,
      enableLogging: { skip: "StartLogging/StopLogging call, no value" },
      advancedEventSelectors: "AdvancedEventSelectors",
      "advancedEventSelectors.fieldSelectors": "AdvancedFieldSelectors",
    },
  },
  "aws:cloudwatch/eventRule:EventRule": { service: "events", shape: "PutRuleRequest" },
  "aws:cloudwatch/eventTarget:EventTarget": {
    service: "events",
    shape: "Target",
    props: { targetId: "TargetId", rule: "RuleName", arn: REFERENCE },
  },
  "aws:cloudwatch/logGroup:LogGroup": {
    service: "logs",
    shape: "CreateLogGroupRequest",
    props: { name: "LogGroupName", retentionInDays: "Days", kmsKeyId: REFERENCE },
  },
  "aws:cloudwatch/logMetricFilter:LogMetricFilter": {
    service: "logs",
    shape: "PutMetricFilterRequest",
    props: {
      name: "FilterName",
      pattern: "FilterPattern",
      metricTransformation: "MetricTransformation",
      "metricTransformation.namespace": "MetricNamespace",
      "metricTransformation.name": "MetricName",
      "metricTransformation.value": "MetricValue",
    },
  },
  "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": {
    service: "logs",
    shape: "PutResourcePolicyRequest",
    props: { policyDocument: POLICY },
  },
  "aws:cloudwatch/logStream:LogStream": {
    service: "logs",
    shape: "CreateLogStreamRequest",
    props: { name: "LogStreamName" },
  },
  "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter": {
    service: "logs",
    shape: "PutSubscriptionFilterRequest",
    props: { name: "FilterName", logGroup: "LogGroupName", destinationArn: REFERENCE, roleArn: REFERENCE },
  },
  "aws:cloudwatch/metricAlarm:MetricAlarm": {
    service: "cloudwatch",
    shape: "PutMetricAlarmInput",
    props: {
      name: "AlarmName",
      alarmActions: REFERENCE,
      okActions: REFERENCE,
      dimensions: { pairs: ["DimensionName", "DimensionValue"] },
    },
  },
  "aws:dynamodb/table:Table": {
    service: "dynamodb",
    shape: "CreateTableInput",
    props: {
      name: "TableName",
      attributes: "AttributeDefinitions",
      "attributes.name": "KeySchemaAttributeName",
      "attributes.type": "ScalarAttributeType",
      "pointInTimeRecovery.enabled": "BooleanObject",
      hashKey: "KeySchemaAttributeName",
      rangeKey: "KeySchemaAttributeName",
      pointInTimeRecovery: "PointInTimeRecoverySpecification",
      serverSideEncryption: "SSESpecification",
      "serverSideEncryption.kmsKeyArn": REFERENCE,
      ttl: "TimeToLiveSpecification",
    },
  },
  "aws:dynamodb/tableItem:TableItem": {
    service: "dynamodb",
    shape: "PutItemInput",
    props: {
      hashKey: "KeySchemaAttributeName",
      rangeKey: "KeySchemaAttributeName",
      item: { skip: "a JSON item (DynamoDB JSON): attribute values have no pattern" },
    },
  },
  "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl": {
    service: "ec2",
    shape: "CreateNetworkAclEntryRequest",
    props: {
      defaultNetworkAclId: REFERENCE,
      ingress: { skip: "entries with no constrained member in the model" },
      egress: { skip: "entries with no constrained member in the model" },
    },
  },
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": {
    service: "ec2",
    shape: "CreateSecurityGroupRequest",
    props: {
      vpcId: REFERENCE,
      ingress: "IpPermissionList",
      egress: "IpPermissionList",
      "ingress.description": "doc:SecurityGroupRuleDescription",
      "egress.description": "doc:SecurityGroupRuleDescription",
    },
  },
  "aws:ec2/eip:Eip": { service: "ec2", shape: "AllocateAddressRequest" },
  "aws:ec2/flowLog:FlowLog": {
    service: "ec2",
    shape: "CreateFlowLogsRequest",
    props: { iamRoleArn: REFERENCE, logDestination: REFERENCE, vpcId: REFERENCE },
  },
  "aws:ec2/internetGateway:InternetGateway": { service: "ec2", shape: "AttachInternetGatewayRequest", props: { vpcId: REFERENCE } },
  "aws:ec2/launchTemplate:LaunchTemplate": {
    service: "ec2",
    shape: "RequestLaunchTemplateData",
    props: {
      name: "LaunchTemplateName",
      description: "VersionDescription",
      updateDefaultVersion: PROVIDER,
      imageId: { skip: "resolve:ssm: parameter reference in the plan, an AMI id at deploy time" },
      "iamInstanceProfile.arn": REFERENCE,
      "networkInterfaces.securityGroups": REFERENCE,
      "networkInterfaces.subnetId": REFERENCE,
      "blockDeviceMappings.ebs.kmsKeyId": REFERENCE,
    },
  },
  "aws:ec2/natGateway:NatGateway": {
    service: "ec2",
    shape: "CreateNatGatewayRequest",
    props: { allocationId: REFERENCE, subnetId: REFERENCE },
  },
  "aws:ec2/networkAcl:NetworkAcl": {
    service: "ec2",
    shape: "CreateNetworkAclRequest",
    props: {
      vpcId: REFERENCE,
      subnetIds: REFERENCE,
      ingress: { skip: "entries with no constrained member in the model" },
      egress: { skip: "entries with no constrained member in the model" },
    },
  },
  "aws:ec2/route:Route": {
    service: "ec2",
    shape: "CreateRouteRequest",
    props: { gatewayId: REFERENCE, natGatewayId: REFERENCE, routeTableId: REFERENCE },
  },
  "aws:ec2/routeTable:RouteTable": { service: "ec2", shape: "CreateRouteTableRequest", props: { vpcId: REFERENCE } },
  "aws:ec2/routeTableAssociation:RouteTableAssociation": {
    service: "ec2",
    shape: "AssociateRouteTableRequest",
    props: { routeTableId: REFERENCE, subnetId: REFERENCE },
  },
  "aws:ec2/securityGroup:SecurityGroup": {
    service: "ec2",
    shape: "CreateSecurityGroupRequest",
    props: {
      name: "doc:SecurityGroupName",
      description: "doc:SecurityGroupDescription",
      vpcId: REFERENCE,
      revokeRulesOnDelete: PROVIDER,
      ingress: "IpPermissionList",
      egress: "IpPermissionList",
      "ingress.description": "doc:SecurityGroupRuleDescription",
      "egress.description": "doc:SecurityGroupRuleDescription",
      "ingress.protocol": "String",
      "egress.protocol": "String",
      "ingress.cidrBlocks": { skip: "CIDR blocks: the model gives CidrIp no constraint" },
      "egress.cidrBlocks": { skip: "CIDR blocks: the model gives CidrIp no constraint" },
      "ingress.securityGroups": REFERENCE,
      "egress.securityGroups": REFERENCE,
      "egress.prefixListIds": REFERENCE,
    },
  },
  "aws:ec2/subnet:Subnet": {
    service: "ec2",
    shape: "CreateSubnetRequest",
    props: { vpcId: REFERENCE, mapPublicIpOnLaunch: { skip: "ModifySubnetAttribute boolean" } },
  },
  "aws:ec2/vpc:Vpc": {
    service: "ec2",
    shape: "CreateVpcRequest",
    props: { enableDnsHostnames: { skip: "ModifyVpcAttribute boolean" }, enableDnsSupport: { skip: "ModifyVpcAttribute boolean" } },
  },
  "aws:ec2/vpcEndpoint:VpcEndpoint": {
    service: "ec2",
    shape: "CreateVpcEndpointRequest",
    props: { vpcId: REFERENCE, routeTableIds: REFERENCE, securityGroupIds: REFERENCE, subnetIds: REFERENCE, policy: POLICY },
  },
  "aws:glue/catalogDatabase:CatalogDatabase": { service: "glue", shape: "DatabaseInput" },
  "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings": {
    service: "glue",
    shape: "PutDataCatalogEncryptionSettingsRequest",
  },
  "aws:guardduty/detector:Detector": { service: "guardduty", shape: "CreateDetectorRequest" },
  "aws:guardduty/detectorFeature:DetectorFeature": {
    service: "guardduty",
    shape: "DetectorFeatureConfiguration",
    props: { detectorId: REFERENCE },
  },
  "aws:glue/catalogTable:CatalogTable": {
    service: "glue",
    shape: "TableInput",
    props: { databaseName: "NameString" },
  },
  "aws:iam/instanceProfile:InstanceProfile": {
    service: "iam",
    shape: "CreateInstanceProfileRequest",
    props: { name: "instanceProfileNameType", role: "roleNameType" },
  },
  "aws:iam/policy:Policy": {
    service: "iam",
    shape: "CreatePolicyRequest",
    props: { name: "policyNameType", policy: "policyDocumentType" },
  },
  "aws:iam/role:Role": {
    service: "iam",
    shape: "CreateRoleRequest",
    props: { name: "roleNameType", assumeRolePolicy: "policyDocumentType" },
  },
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
    service: "iam",
    shape: "AttachRolePolicyRequest",
    props: { role: "roleNameType", policyArn: "arnType" },
  },
  "aws:iam/serviceLinkedRole:ServiceLinkedRole": { service: "iam", shape: "CreateServiceLinkedRoleRequest" },
  "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": {
    service: "firehose",
    shape: "CreateDeliveryStreamInput",
    props: {
      name: "DeliveryStreamName",
      destination: { skip: "the provider's selector of the destination member (opensearch), not an API value" },
      opensearchConfiguration: "AmazonopensearchserviceDestinationConfiguration",
      serverSideEncryption: "DeliveryStreamEncryptionConfigurationInput",
    },
  },
  "aws:kms/alias:Alias": { service: "kms", shape: "CreateAliasRequest", props: { name: "AliasNameType", targetKeyId: REFERENCE } },
  "aws:kms/key:Key": {
    service: "kms",
    shape: "CreateKeyRequest",
    props: {
      policy: "PolicyType",
      customerMasterKeySpec: "CustomerMasterKeySpec",
      deletionWindowInDays: "PendingWindowInDaysType",
      enableKeyRotation: { skip: "EnableKeyRotation call, boolean" },
      isEnabled: { skip: "EnableKey/DisableKey call, boolean" },
      rotationPeriodInDays: "RotationPeriodInDaysType",
    },
  },
  "aws:lambda/function:Function": {
    service: "lambda",
    shape: "CreateFunctionRequest",
    props: {
      name: "FunctionName",
      code: { skip: "an asset archive" },
      role: REFERENCE,
      kmsKeyArn: REFERENCE,
      deadLetterConfig: REFERENCE,
      reservedConcurrentExecutions: "ReservedConcurrentExecutions",
      "vpcConfig.subnetIds": REFERENCE,
      "vpcConfig.securityGroupIds": REFERENCE,
    },
  },
  "aws:lambda/invocation:Invocation": {
    service: "lambda",
    shape: "InvocationRequest",
    props: { functionName: "NamespacedFunctionName", input: { skip: "a JSON payload" }, triggers: PROVIDER },
  },
  "aws:lambda/permission:Permission": {
    service: "lambda",
    shape: "AddPermissionRequest",
    props: { function: "FunctionName", sourceArn: REFERENCE },
  },
  "aws:lb/listener:Listener": {
    service: "elbv2",
    shape: "CreateListenerInput",
    props: {
      loadBalancerArn: REFERENCE,
      certificateArn: REFERENCE,
      "defaultActions.targetGroupArn": REFERENCE,
      "defaultActions.redirect": "RedirectActionConfig",
    },
  },
  "aws:lb/loadBalancer:LoadBalancer": {
    service: "elbv2",
    shape: "CreateLoadBalancerInput",
    props: {
      loadBalancerType: "LoadBalancerTypeEnum",
      securityGroups: REFERENCE,
      subnets: REFERENCE,
      internal: { skip: "Scheme (internal / internet-facing) from a boolean" },
      accessLogs: { skip: "load balancer attributes (key/value strings), no constrained shape" },
      desyncMitigationMode: { skip: "load balancer attribute routing.http.desync_mitigation_mode" },
      dropInvalidHeaderFields: { skip: "load balancer attribute" },
      enableDeletionProtection: { skip: "load balancer attribute" },
      enableHttp2: { skip: "load balancer attribute" },
      enableWafFailOpen: { skip: "load balancer attribute" },
    },
  },
  "aws:lb/targetGroup:TargetGroup": {
    service: "elbv2",
    shape: "CreateTargetGroupInput",
    props: {
      name: "TargetGroupName",
      vpcId: REFERENCE,
      deregistrationDelay: { skip: "target group attribute deregistration_delay.timeout_seconds" },
      // The provider's healthCheck block is the request's flattened HealthCheck* members.
      healthCheck: "CreateTargetGroupInput",
      "healthCheck.enabled": "HealthCheckEnabled",
      "healthCheck.healthyThreshold": "HealthCheckThresholdCount",
      "healthCheck.unhealthyThreshold": "HealthCheckThresholdCount",
      "healthCheck.interval": "HealthCheckIntervalSeconds",
      "healthCheck.timeout": "HealthCheckTimeoutSeconds",
      "healthCheck.matcher": "HttpCode",
      "healthCheck.path": "Path",
      "healthCheck.port": "HealthCheckPort",
      "healthCheck.protocol": "ProtocolEnum",
    },
  },
  "aws:macie2/account:Account": { service: "macie2", shape: "EnableMacieRequest" },
  "aws:opensearch/domain:Domain": {
    service: "opensearch",
    shape: "CreateDomainRequest",
    props: {
      encryptAtRest: "EncryptionAtRestOptions",
      nodeToNodeEncryption: "NodeToNodeEncryptionOptions",
      // The model's OpenSearchPartitionInstanceType enum (103 values in botocore 1.43) lags the
      // instance types OpenSearch supports: no Graviton3 m7g/r7g/c7g, which AWS lists at
      // https://docs.aws.amazon.com/opensearch-service/latest/developerguide/supported-instance-types.html
      "clusterConfig.instanceType": { skip: "the model's instance-type enum lags AWS's supported list (no m7g/r7g)" },
      "clusterConfig.dedicatedMasterType": { skip: "the model's instance-type enum lags AWS's supported list (no m7g/r7g)" },
      accessPolicies: "PolicyDocument",
      "vpcOptions.subnetIds": REFERENCE,
      "vpcOptions.securityGroupIds": REFERENCE,
      "encryptAtRest.kmsKeyId": REFERENCE,
      "logPublishingOptions.cloudwatchLogGroupArn": REFERENCE,
    },
  },
  "aws:rds/instance:Instance": {
    service: "rds",
    shape: "CreateDBInstanceMessage",
    props: {
      identifier: "String",
      caCertIdentifier: "String",
      performanceInsightsEnabled: "BooleanOptional",
      instanceClass: "String",
      backupWindow: "doc:RdsBackupWindow",
      maintenanceWindow: "doc:RdsMaintenanceWindow",
      username: "String",
      dbName: "String",
      applyImmediately: PROVIDER,
      skipFinalSnapshot: PROVIDER,
      finalSnapshotIdentifier: PROVIDER,
      deleteAutomatedBackups: PROVIDER,
      kmsKeyId: REFERENCE,
      masterUserSecretKmsKeyId: REFERENCE,
      performanceInsightsKmsKeyId: REFERENCE,
      monitoringRoleArn: REFERENCE,
      vpcSecurityGroupIds: REFERENCE,
      dbSubnetGroupName: REFERENCE,
      parameterGroupName: REFERENCE,
      multiAz: "BooleanOptional",
      enabledCloudwatchLogsExports: "LogTypeList",
      iamDatabaseAuthenticationEnabled: "BooleanOptional",
    },
  },
  "aws:rds/parameterGroup:ParameterGroup": {
    service: "rds",
    shape: "CreateDBParameterGroupMessage",
    props: { name: "String", family: "String", parameters: "ParametersList", "parameters.name": "String", "parameters.value": "String" },
  },
  "aws:rds/subnetGroup:SubnetGroup": {
    service: "rds",
    shape: "CreateDBSubnetGroupMessage",
    props: { name: "String", description: "String", subnetIds: REFERENCE },
  },
  "aws:s3/bucket:Bucket": {
    service: "s3",
    shape: "CreateBucketRequest",
    props: { forceDestroy: PROVIDER, objectLockEnabled: "ObjectLockEnabledForBucket" },
  },
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": {
    service: "s3",
    shape: "PutBucketLifecycleConfigurationRequest",
    props: { rules: "LifecycleRules" },
  },
  "aws:s3/bucketLogging:BucketLogging": { service: "s3", shape: "LoggingEnabled", props: { bucket: "BucketName" } },
  "aws:s3/bucketNotification:BucketNotification": {
    service: "s3",
    shape: "PutBucketNotificationConfigurationRequest",
    props: { lambdaFunctions: "LambdaFunctionConfigurationList", "lambdaFunctions.lambdaFunctionArn": REFERENCE },
  },
  "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration": {
    service: "s3",
    shape: "ObjectLockConfiguration",
    props: { bucket: "BucketName", rule: "ObjectLockRule" },
  },
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": {
    service: "s3",
    shape: "OwnershipControls",
    props: { bucket: "BucketName", rule: "OwnershipControlsRule" },
  },
  "aws:s3/bucketPolicy:BucketPolicy": { service: "s3", shape: "PutBucketPolicyRequest", props: { policy: POLICY } },
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": {
    service: "s3",
    shape: "PublicAccessBlockConfiguration",
    props: { bucket: "BucketName" },
  },
  "aws:s3/bucketReplicationConfig:BucketReplicationConfig": {
    service: "s3",
    shape: "ReplicationConfiguration",
    props: { bucket: "BucketName", role: REFERENCE, rules: "ReplicationRules" },
  },
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": {
    service: "s3",
    shape: "ServerSideEncryptionConfiguration",
    props: { bucket: "BucketName", rules: "ServerSideEncryptionRules" },
  },
  "aws:s3/bucketVersioning:BucketVersioning": {
    service: "s3",
    shape: "PutBucketVersioningRequest",
    props: { versioningConfiguration: "VersioningConfiguration" },
  },
  "aws:secretsmanager/secretRotation:SecretRotation": {
    service: "secretsmanager",
    shape: "RotateSecretRequest",
    props: { secretId: REFERENCE },
  },
  "aws:sfn/stateMachine:StateMachine": {
    service: "stepfunctions",
    shape: "CreateStateMachineInput",
    props: { roleArn: REFERENCE, definition: { skip: "Amazon States Language: validated by asl-validator in test/incident" } },
  },
  "aws:sns/topic:Topic": {
    service: "sns",
    shape: "CreateTopicInput",
    props: { name: "topicName", kmsMasterKeyId: REFERENCE },
  },
  "aws:sns/topicPolicy:TopicPolicy": { service: "sns", shape: "SetTopicAttributesInput", props: { arn: REFERENCE, policy: POLICY } },
  "aws:sns/topicSubscription:TopicSubscription": {
    service: "sns",
    shape: "SubscribeInput",
    props: {
      topic: REFERENCE,
      endpoint: REFERENCE,
      filterPolicy: { skip: "a subscription attribute (SubscriptionAttributesMap, string values; the filter is tested in test/canary)" },
      filterPolicyScope: { skip: "a subscription attribute (SubscriptionAttributesMap, string values)" },
      rawMessageDelivery: { skip: "a subscription attribute (SubscriptionAttributesMap, string values)" },
    },
  },
  "aws:sqs/queue:Queue": {
    service: "sqs",
    shape: "CreateQueueRequest",
    props: {
      name: "String",
      kmsMasterKeyId: REFERENCE,
      kmsDataKeyReusePeriodSeconds: { skip: "a queue attribute (string map in the API)" },
      messageRetentionSeconds: { skip: "a queue attribute (string map in the API)" },
      visibilityTimeoutSeconds: { skip: "a queue attribute (string map in the API; its range is asserted in test/canary)" },
      redrivePolicy: { skip: "a queue attribute (a JSON string; its maxReceiveCount range is asserted in test/canary)" },
    },
  },
  // The queue policy is the queue's `Policy` attribute (CreateQueue/SetQueueAttributes Attributes map).
  "aws:sqs/queuePolicy:QueuePolicy": { service: "sqs", shape: "CreateQueueRequest", props: { queueUrl: REFERENCE, policy: POLICY } },
  "aws:ssm/parameter:Parameter": {
    service: "ssm",
    shape: "PutParameterRequest",
    props: { name: "PSParameterName", keyId: REFERENCE, type: "ParameterType" },
  },
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": {
    service: "ec2",
    shape: "SecurityGroupRuleRequest",
    props: {
      securityGroupId: REFERENCE,
      referencedSecurityGroupId: REFERENCE,
      prefixListId: REFERENCE,
      description: "doc:SecurityGroupRuleDescription",
    },
  },
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": {
    service: "ec2",
    shape: "SecurityGroupRuleRequest",
    props: { securityGroupId: REFERENCE, referencedSecurityGroupId: REFERENCE, description: "doc:SecurityGroupRuleDescription" },
  },
  "aws:wafv2/webAcl:WebAcl": { service: "wafv2", shape: "CreateWebACLRequest" },
  "aws:wafv2/webAclAssociation:WebAclAssociation": {
    service: "wafv2",
    shape: "AssociateWebACLRequest",
    props: { webAclArn: REFERENCE, resourceArn: REFERENCE },
  },
  "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": {
    service: "wafv2",
    shape: "LoggingConfiguration",
    props: { resourceArn: REFERENCE, logDestinationConfigs: REFERENCE },
  },
};
