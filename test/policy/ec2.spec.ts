import {
  autoscalingElbHealthCheck,
  ebsEncryption,
  ec2DetailedMonitoring,
  ec2Imdsv2Required,
  ec2InstanceProfileAttached,
  ec2NoPublicIp,
} from "../../policy-pack/policies/ec2";
import { UNKNOWN_BOOLEAN, UNKNOWN_STRING } from "../../policy-pack/policies/lib/unknown";
import { set } from "../../policy-pack/test-support/builder";
import { Platform } from "../../policy-pack/test-support/platform";
import { policySuite } from "../../policy-pack/test-support/suite";

const lt = (p: Platform) => p.find("aws:ec2/launchTemplate:LaunchTemplate");
const asg = (p: Platform) => p.find("aws:autoscaling/group:Group");
const volume = (p: Platform) => p.find("aws:ebs/volume:Volume");
const instance = (p: Platform, inputs: Record<string, unknown>) =>
  p.add("aws:ec2/instance:Instance", "bastion", {
    ami: "ami-0123456789abcdef0",
    instanceType: "t3.micro",
    subnetId: "subnet-1",
    iamInstanceProfile: "profile",
    monitoring: true,
    metadataOptions: { httpTokens: "required" },
    rootBlockDevice: { encrypted: true },
    ...inputs,
  });

describe("ec2", () => {
  policySuite(ec2Imdsv2Required, {
    cases: [
      {
        name: "launch template allows IMDSv1",
        mutate: (p) => set(lt(p), "metadataOptions.httpTokens", "optional"),
        expect: { violation: "app-lt" },
      },
      {
        name: "launch template without metadata options",
        mutate: (p) => set(lt(p), "metadataOptions", undefined),
        expect: { violation: "app-lt" },
      },
      {
        name: "instance allows IMDSv1",
        mutate: (p) => instance(p, { metadataOptions: { httpTokens: "optional" } }),
        expect: { violation: "bastion" },
      },
      {
        name: "metadata endpoint disabled passes",
        mutate: (p) => set(lt(p), "metadataOptions", { httpEndpoint: "disabled" }),
        expect: "clean",
      },
      {
        name: "preview: httpTokens unknown -> can't run",
        mutate: (p) => set(lt(p), "metadataOptions.httpTokens", UNKNOWN_STRING),
        expect: "unknown",
      },
    ],
  });
  policySuite(ec2NoPublicIp, {
    cases: [
      {
        name: "launch template network interface with a public IP",
        mutate: (p) => set(lt(p), "networkInterfaces", [{ associatePublicIpAddress: "true", deviceIndex: 0 }]),
        expect: { violation: "app-lt" },
      },
      {
        name: "instance with a public IP",
        mutate: (p) => instance(p, { associatePublicIpAddress: true }),
        expect: { violation: "bastion" },
      },
      {
        name: "launch configuration with a public IP",
        mutate: (p) =>
          p.add("aws:ec2/launchConfiguration:LaunchConfiguration", "lc", {
            imageId: "ami-1",
            instanceType: "t3.micro",
            associatePublicIpAddress: true,
          }),
        expect: { violation: "lc" },
      },
      {
        name: "preview: associatePublicIpAddress unknown -> can't run",
        mutate: (p) => instance(p, { associatePublicIpAddress: UNKNOWN_BOOLEAN }),
        expect: "unknown",
      },
    ],
  });
  policySuite(ebsEncryption, {
    cases: [
      { name: "unencrypted volume", mutate: (p) => set(volume(p), "encrypted", false), expect: { violation: "scratch-volume" } },
      {
        name: "launch template mapping not encrypted",
        mutate: (p) => set(lt(p), "blockDeviceMappings.0.ebs.encrypted", "false"),
        expect: { violation: "app-lt", message: /blockDeviceMappings\[0\]/ },
      },
      {
        name: "launch template without mappings uses the AMI root volume",
        mutate: (p) => set(lt(p), "blockDeviceMappings", undefined),
        expect: { violation: "app-lt", message: /root volume/ },
      },
      {
        name: "instance without rootBlockDevice",
        mutate: (p) => instance(p, { rootBlockDevice: undefined }),
        expect: { violation: "bastion" },
      },
      {
        name: "instance from a launch template relies on the template",
        mutate: (p) => instance(p, { rootBlockDevice: undefined, launchTemplate: { id: "lt-1" } }),
        expect: "clean",
      },
      {
        name: "EBS encryption by default in the stack covers everything",
        mutate: (p) => {
          set(volume(p), "encrypted", false);
          set(lt(p), "blockDeviceMappings", undefined);
          p.add("aws:ebs/encryptionByDefault:EncryptionByDefault", "ebs-default", { enabled: true });
        },
        expect: "clean",
      },
      { name: "preview: encrypted unknown -> can't run", mutate: (p) => set(volume(p), "encrypted", UNKNOWN_BOOLEAN), expect: "unknown" },
    ],
  });
  policySuite(ec2DetailedMonitoring, {
    cases: [
      {
        name: "launch template without detailed monitoring",
        mutate: (p) => set(lt(p), "monitoring", undefined),
        expect: { violation: "app-lt" },
      },
      { name: "instance without detailed monitoring", mutate: (p) => instance(p, { monitoring: false }), expect: { violation: "bastion" } },
      {
        name: "preview: monitoring unknown -> can't run",
        mutate: (p) => set(lt(p), "monitoring.enabled", UNKNOWN_BOOLEAN),
        expect: "unknown",
      },
    ],
  });
  policySuite(ec2InstanceProfileAttached, {
    cases: [
      {
        name: "launch template without instance profile",
        mutate: (p) => set(lt(p), "iamInstanceProfile", undefined),
        expect: { violation: "app-lt" },
      },
      {
        name: "instance without instance profile",
        mutate: (p) => instance(p, { iamInstanceProfile: undefined }),
        expect: { violation: "bastion" },
      },
      {
        name: "preview: profile ARN unknown -> passes (profile being created)",
        mutate: (p) => set(lt(p), "iamInstanceProfile", { arn: UNKNOWN_STRING }),
        expect: "clean",
      },
    ],
  });
  policySuite(autoscalingElbHealthCheck, {
    cases: [
      {
        name: "EC2 health checks behind a target group",
        mutate: (p) => set(asg(p), "healthCheckType", "EC2"),
        expect: { violation: "app-asg" },
      },
      {
        name: "no load balancer, EC2 checks are fine",
        mutate: (p) => {
          set(asg(p), "targetGroupArns", undefined);
          set(asg(p), "healthCheckType", "EC2");
        },
        expect: "clean",
      },
      {
        name: "preview: healthCheckType unknown -> can't run",
        mutate: (p) => set(asg(p), "healthCheckType", UNKNOWN_STRING),
        expect: "unknown",
      },
    ],
  });
});
