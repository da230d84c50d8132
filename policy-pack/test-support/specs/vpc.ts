// Helpers shared by the specs of several vpc policies (no spec imports another spec).

import { Platform } from "../platform";

export const albSg = (p: Platform) => p.find("aws:ec2/securityGroup:SecurityGroup", "alb-sg");

export const world = (port: number, protocol = "tcp", to = port) => [{ protocol, fromPort: port, toPort: to, cidrBlocks: ["0.0.0.0/0"] }];
