// EC2 launch templates, instances and EBS: compute that may process PHI.

import { PolicyResource } from "@pulumi/policy";
import { CITES, hipaa } from "./lib/hipaa";
import { resourcePolicy, stackPolicy } from "./lib/define";
import { T } from "./lib/types";
import { get, isFalse, isTrue, list, present, probe, str, UNKNOWN } from "./lib/util";

const COMPUTE = [T.launchTemplate, T.instance, T.launchConfiguration];

export const ec2Imdsv2Required = resourcePolicy({
  name: "ec2-imdsv2-required",
  description: "Launch templates and instances require IMDSv2 session tokens for the instance metadata service.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa("164.308(a)(3)(i)", "164.308(a)(4)(ii)(A)", "164.308(a)(4)(ii)(C)", "164.312(a)(1)"),
  cdkNag: ["EC2IMDSv2Enabled"],
  awsConfig: ["ec2-imdsv2-check"],
  resourceTypes: COMPUTE,
  remediationSteps: 'Set `metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 }`.',
  validate: (ctx, report) => {
    const endpoint = str(get(ctx.props, "metadataOptions", "httpEndpoint"));
    if (endpoint === "disabled") {
      return;
    }
    if (str(get(ctx.props, "metadataOptions", "httpTokens")) !== "required") {
      report('IMDSv1 is allowed: set metadataOptions.httpTokens to "required" so credentials cannot be read through SSRF.');
    }
  },
});

export const ec2NoPublicIp = resourcePolicy({
  name: "ec2-no-public-ip",
  description: "Instances, launch templates and launch configurations do not associate public IP addresses.",
  severity: "critical",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.publicAccess),
  cdkNag: ["EC2InstanceNoPublicIp", "AutoScalingLaunchConfigPublicIpDisabled"],
  awsConfig: ["ec2-instance-no-public-ip", "autoscaling-launch-config-public-ip-disabled"],
  resourceTypes: COMPUTE,
  remediationSteps: "Remove `associatePublicIpAddress` (or set it false) and run the instances in private subnets behind the ALB.",
  validate: (ctx, report) => {
    if (ctx.type === T.launchTemplate) {
      list(get(ctx.props, "networkInterfaces")).forEach((ni, i) => {
        if (isTrue(get(ni, "associatePublicIpAddress"))) {
          report(`networkInterfaces[${i}] associates a public IP address.`);
        }
      });
      return;
    }
    if (isTrue(get(ctx.props, "associatePublicIpAddress"))) {
      report("associatePublicIpAddress is true: the instance is reachable from the internet.");
    }
  },
});

function encryptedFlag(v: unknown): "yes" | "no" | "unknown" {
  if (v === UNKNOWN) {
    return "unknown";
  }
  return isTrue(v) ? "yes" : "no";
}

/** Unencrypted EBS volumes declared by a compute resource (no mapping at all counts as the AMI's root volume). */
function unencryptedVolumes(r: PolicyResource): { problems: string[]; unknown: boolean } {
  const out = { problems: [] as string[], unknown: false };
  const check = (label: string, v: unknown) => {
    const e = encryptedFlag(v);
    if (e === "unknown") {
      out.unknown = true;
    } else if (e === "no") {
      out.problems.push(label);
    }
  };
  if (r.type === T.ebsVolume) {
    check("the volume", probe(r.props, "encrypted"));
  } else if (r.type === T.launchTemplate) {
    const mappings = list(get(r.props, "blockDeviceMappings")).filter((m) => get(m, "ebs") !== undefined && !get(m, "noDevice"));
    if (mappings.length === 0) {
      out.problems.push("the root volume (no blockDeviceMappings with ebs.encrypted)");
    }
    mappings.forEach((m, i) => check(`blockDeviceMappings[${i}] (${str(get(m, "deviceName")) ?? "device"})`, probe(m, "ebs", "encrypted")));
  } else {
    const root = get(r.props, "rootBlockDevice");
    if (root === undefined && r.type === T.instance && present(r.props, "launchTemplate")) {
      // the root volume comes from the launch template, which is checked on its own
    } else if (root === undefined) {
      out.problems.push("the root volume (no rootBlockDevice with encrypted: true)");
    } else {
      check("rootBlockDevice", probe(root, "encrypted"));
    }
    list(get(r.props, "ebsBlockDevices")).forEach((d, i) => check(`ebsBlockDevices[${i}]`, probe(d, "encrypted")));
  }
  return out;
}

export const ebsEncryption = stackPolicy({
  name: "ebs-encryption",
  description: "EBS volumes, and the volumes that launch templates and instances create, are encrypted.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.encryptionAtRest),
  awsConfig: ["encrypted-volumes", "ec2-ebs-encryption-by-default"],
  resourceTypes: [T.ebsVolume, ...COMPUTE],
  relatedTypes: [T.ebsEncryptionByDefault],
  remediationSteps:
    'Set `encrypted: true` ("true" in launch templates) with a customer-managed `kmsKeyId` on every EBS ' +
    "mapping, including the root device, or enable account-wide encryption with aws.ebs.EncryptionByDefault in this stack.",
  validate: (ctx, report) => {
    const byDefault = ctx.ofType([T.ebsEncryptionByDefault]).some((r) => !isFalse(probe(r.props, "enabled")));
    if (byDefault) {
      return; // EBS encryption by default encrypts every new volume in the region
    }
    ctx.each(ctx.ofType([T.ebsVolume, ...COMPUTE]), (r) => {
      const { problems, unknown } = unencryptedVolumes(r);
      if (problems.length > 0) {
        report(r.urn, `Unencrypted EBS storage: ${problems.join(", ")}.`);
      } else if (unknown) {
        ctx.undecided([r.type, r.name, "encrypted"]);
      }
    });
  },
});

export const ec2DetailedMonitoring = resourcePolicy({
  name: "ec2-detailed-monitoring",
  description: "Instances and launch templates enable detailed (1-minute) CloudWatch monitoring.",
  severity: "low",
  enforcementLevel: "advisory",
  category: "hygiene",
  framework: hipaa("164.312(b)"),
  cdkNag: ["EC2InstanceDetailedMonitoringEnabled"],
  awsConfig: ["ec2-instance-detailed-monitoring-enabled"],
  resourceTypes: COMPUTE,
  remediationSteps: "Set `monitoring: { enabled: true }` on launch templates, `monitoring: true` on instances.",
  validate: (ctx, report) => {
    const enabled =
      ctx.type === T.launchTemplate
        ? isTrue(get(ctx.props, "monitoring", "enabled"))
        : ctx.type === T.instance
          ? isTrue(get(ctx.props, "monitoring"))
          : !isFalse(get(ctx.props, "enableMonitoring"));
    if (!enabled) {
      report("Detailed monitoring is not enabled.");
    }
  },
});

export const ec2InstanceProfileAttached = resourcePolicy({
  name: "ec2-instance-profile-attached",
  description: "Instances and launch templates run with an IAM instance profile (least-privilege role, no static keys).",
  severity: "medium",
  enforcementLevel: "advisory",
  category: "hygiene",
  framework: hipaa(...CITES.leastPrivilege),
  cdkNag: ["EC2InstanceProfileAttached"],
  awsConfig: ["ec2-instance-profile-attached"],
  resourceTypes: COMPUTE,
  remediationSteps: "Attach an aws.iam.InstanceProfile whose role has only the permissions the workload needs.",
  validate: (ctx, report) => {
    const ok =
      ctx.type === T.launchTemplate
        ? present(ctx.props, "iamInstanceProfile", "arn") || present(ctx.props, "iamInstanceProfile", "name")
        : present(ctx.props, "iamInstanceProfile");
    if (!ok) {
      report("No IAM instance profile is attached.");
    }
  },
});

export const autoscalingElbHealthCheck = resourcePolicy({
  name: "autoscaling-elb-health-check",
  description: "Auto Scaling groups behind a load balancer use ELB health checks.",
  severity: "medium",
  enforcementLevel: "advisory",
  category: "hygiene",
  framework: hipaa("164.312(b)", ...CITES.availability),
  cdkNag: ["AutoScalingGroupELBHealthCheckRequired"],
  awsConfig: ["autoscaling-group-elb-healthcheck-required"],
  resourceTypes: [T.autoscalingGroup],
  remediationSteps: 'Set `healthCheckType: "ELB"` (with a grace period) on groups that register with target groups.',
  validate: (ctx, report) => {
    const behindLb = ["targetGroupArns", "loadBalancers", "trafficSources"].some((k) => present(ctx.props, k));
    if (behindLb && str(get(ctx.props, "healthCheckType")) !== "ELB") {
      report('The group serves a load balancer but uses EC2 health checks: set healthCheckType: "ELB".');
    }
  },
});

export const ec2Policies = [
  ec2Imdsv2Required,
  ec2NoPublicIp,
  ebsEncryption,
  ec2DetailedMonitoring,
  ec2InstanceProfileAttached,
  autoscalingElbHealthCheck,
];
