/**
 * The SSM Agent's calls, the one list the instance role (components/application/compute.ts) and the
 * ssm, ssmmessages and ec2messages VPC endpoints' policies (components/network/endpoint-policies.ts)
 * are built from: Session Manager, State Manager and Patch Manager as AWS's
 * AmazonSSMManagedInstanceCore grants them
 * (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonSSMManagedInstanceCore.html).
 */

/** Registration of the instance (Session Manager's first call). */
export const SSM_AGENT_REGISTRATION_ACTIONS = ["ssm:UpdateInstanceInformation"];

/**
 * The SSM Agent's State Manager and Patch Manager calls (AmazonSSMManagedInstanceCore) by the resource type the Service
 * Authorization Reference gives them (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssystemsmanager.html).
 */
export const SSM_AGENT_ACTIONS_BY_RESOURCE = {
  instance: [
    "ssm:DescribeAssociation",
    "ssm:ListInstanceAssociations",
    "ssm:PutComplianceItems",
    "ssm:UpdateAssociationStatus",
    "ssm:UpdateInstanceAssociationStatus",
  ],
  association: ["ssm:DescribeAssociation", "ssm:UpdateInstanceAssociationStatus"],
  document: ["ssm:DescribeAssociation", "ssm:DescribeDocument", "ssm:GetDocument", "ssm:UpdateAssociationStatus"],
};
/** The SSM Agent's calls of AmazonSSMManagedInstanceCore that the Service Authorization Reference gives no resource type. */
export const SSM_AGENT_WILDCARD_ACTIONS = [
  "ssm:GetDeployablePatchSnapshotForInstance",
  "ssm:GetManifest",
  "ssm:ListAssociations",
  "ssm:PutConfigurePackageResult",
  "ssm:PutInventory",
];

/** Session Manager's channels (wildcard-only actions). */
export const SESSION_MANAGER_CHANNEL_ACTIONS = [
  "ssmmessages:CreateControlChannel",
  "ssmmessages:CreateDataChannel",
  "ssmmessages:OpenControlChannel",
  "ssmmessages:OpenDataChannel",
];

/** The agent's message service (wildcard-only actions). */
export const SSM_AGENT_MESSAGE_ACTIONS = [
  "ec2messages:AcknowledgeMessage",
  "ec2messages:DeleteMessage",
  "ec2messages:FailMessage",
  "ec2messages:GetEndpoint",
  "ec2messages:GetMessages",
  "ec2messages:SendReply",
];

/** Every ssm: action the agent calls, sorted and without repeats. */
export function ssmAgentSsmActions(): string[] {
  return [
    ...new Set([...SSM_AGENT_REGISTRATION_ACTIONS, ...Object.values(SSM_AGENT_ACTIONS_BY_RESOURCE).flat(), ...SSM_AGENT_WILDCARD_ACTIONS]),
  ].sort();
}
