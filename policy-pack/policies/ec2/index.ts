// EC2 launch templates, instances and EBS: compute that may process PHI.

import { ec2Imdsv2Required } from "./ec2-imdsv2-required";
import { ec2NoPublicIp } from "./ec2-no-public-ip";
import { ebsEncryption } from "./ebs-encryption";
import { ec2DetailedMonitoring } from "./ec2-detailed-monitoring";
import { ec2InstanceProfileAttached } from "./ec2-instance-profile-attached";
import { autoscalingElbHealthCheck } from "./autoscaling-elb-health-check";

export { ec2Imdsv2Required, ec2NoPublicIp, ebsEncryption, ec2DetailedMonitoring, ec2InstanceProfileAttached, autoscalingElbHealthCheck };

export const ec2Policies = [
  ec2Imdsv2Required,
  ec2NoPublicIp,
  ebsEncryption,
  ec2DetailedMonitoring,
  ec2InstanceProfileAttached,
  autoscalingElbHealthCheck,
];
