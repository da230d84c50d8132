// Helpers shared by the specs of several constraints policies (no spec imports another spec).

import { Platform } from "../platform";

export const sg = (p: Platform, name = "alb-sg") => p.find("aws:ec2/securityGroup:SecurityGroup", name);
