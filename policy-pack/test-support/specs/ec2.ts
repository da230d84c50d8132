// Helpers shared by the specs of several ec2 policies (no spec imports another spec).

import { Platform } from "../platform";

export const lt = (p: Platform) => p.find("aws:ec2/launchTemplate:LaunchTemplate");

export const instance = (p: Platform, inputs: Record<string, unknown>) =>
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
