// VPC and security groups: network isolation of PHI workloads and records of the traffic.

import { vpcFlowLogsEnabled } from "./vpc-flow-logs-enabled";
import { vpcDefaultSecurityGroupClosed } from "./vpc-default-security-group-closed";
import { vpcSubnetNoPublicIpOnLaunch } from "./vpc-subnet-no-public-ip-on-launch";
import { ec2RestrictedSsh } from "./ec2-restricted-ssh";
import { ec2RestrictedCommonPorts } from "./ec2-restricted-common-ports";
import { vpcSgOpenOnlyToAuthorizedPorts } from "./vpc-sg-open-only-to-authorized-ports";

export {
  vpcFlowLogsEnabled,
  vpcDefaultSecurityGroupClosed,
  vpcSubnetNoPublicIpOnLaunch,
  ec2RestrictedSsh,
  ec2RestrictedCommonPorts,
  vpcSgOpenOnlyToAuthorizedPorts,
};

export const vpcPolicies = [
  vpcFlowLogsEnabled,
  vpcDefaultSecurityGroupClosed,
  vpcSubnetNoPublicIpOnLaunch,
  ec2RestrictedSsh,
  ec2RestrictedCommonPorts,
  vpcSgOpenOnlyToAuthorizedPorts,
];
