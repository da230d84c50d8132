import { UNKNOWN_ARRAY, UNKNOWN_BOOLEAN, UNKNOWN_NUMBER, UNKNOWN_STRING } from "../../policy-pack/policies/lib/unknown";
import {
  ec2RestrictedCommonPorts,
  ec2RestrictedSsh,
  vpcDefaultSecurityGroupClosed,
  vpcFlowLogsEnabled,
  vpcSgOpenOnlyToAuthorizedPorts,
  vpcSubnetNoPublicIpOnLaunch,
} from "../../policy-pack/policies/vpc";
import { set } from "../../policy-pack/test-support/builder";
import { Platform } from "../../policy-pack/test-support/platform";
import { policySuite } from "../../policy-pack/test-support/suite";

const flow = (p: Platform) => p.find("aws:ec2/flowLog:FlowLog");
const dsg = (p: Platform) => p.find("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
const albSg = (p: Platform) => p.find("aws:ec2/securityGroup:SecurityGroup", "alb-sg");
const sgRule = (p: Platform) => p.find("aws:ec2/securityGroupRule:SecurityGroupRule");
const ingressRule = (p: Platform) => p.find("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
const world = (port: number, protocol = "tcp", to = port) => [{ protocol, fromPort: port, toPort: to, cidrBlocks: ["0.0.0.0/0"] }];

describe("vpc", () => {
  policySuite(vpcFlowLogsEnabled, {
    cases: [
      { name: "no flow log", mutate: (p) => p.remove(flow(p)), expect: { violation: "vpc", message: /no flow log/ } },
      { name: "REJECT-only flow log", mutate: (p) => set(flow(p), "trafficType", "REJECT"), expect: { violation: "vpc", message: /ALL/ } },
      {
        name: "a flow log of another VPC does not count",
        mutate: (p) => {
          set(flow(p), "vpcId", "vpc-00000000000000000");
          flow(p).propertyDependencies = {};
          flow(p).dependencies = [];
        },
        expect: { violation: "vpc" },
      },
      {
        name: "joined by id when there are no property dependencies",
        mutate: (p) => {
          flow(p).propertyDependencies = {};
        },
        expect: "clean",
      },
      {
        name: "joined by dependencies when property dependencies are absent and the id is unknown",
        mutate: (p) => {
          flow(p).propertyDependencies = {};
          set(flow(p), "vpcId", UNKNOWN_STRING);
        },
        expect: "clean",
      },
      {
        name: "preview: vpcId unknown but joined through propertyDependencies -> passes",
        mutate: (p) => set(flow(p), "vpcId", UNKNOWN_STRING),
        expect: "clean",
      },
      { name: "preview: trafficType unknown -> can't run", mutate: (p) => set(flow(p), "trafficType", UNKNOWN_STRING), expect: "unknown" },
    ],
  });
  policySuite(vpcDefaultSecurityGroupClosed, {
    cases: [
      { name: "default security group not managed", mutate: (p) => p.remove(dsg(p)), expect: { violation: "vpc" } },
      {
        name: "default security group with rules",
        mutate: (p) => set(dsg(p), "ingress", [{ protocol: "-1", fromPort: 0, toPort: 0, self: true }]),
        expect: { violation: "vpc-default-sg" },
      },
      { name: "preview: rules unknown -> can't run", mutate: (p) => set(dsg(p), "egress", UNKNOWN_ARRAY), expect: "unknown" },
    ],
  });
  policySuite(vpcSubnetNoPublicIpOnLaunch, {
    cases: [
      {
        name: "auto-assigned public IPs",
        mutate: (p) => set(p.find("aws:ec2/subnet:Subnet", "public-subnet-a"), "mapPublicIpOnLaunch", true),
        expect: { violation: "public-subnet-a" },
      },
      {
        name: "preview: flag unknown -> can't run",
        mutate: (p) => set(p.find("aws:ec2/subnet:Subnet", "public-subnet-a"), "mapPublicIpOnLaunch", UNKNOWN_BOOLEAN),
        expect: "unknown",
      },
    ],
  });
  policySuite(ec2RestrictedSsh, {
    cases: [
      {
        name: "inline ingress 22 from the internet",
        mutate: (p) => set(albSg(p), "ingress", world(22)),
        expect: { violation: "alb-sg", message: /SSH/ },
      },
      {
        name: "all traffic from ::/0",
        mutate: (p) => set(albSg(p), "ingress", [{ protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] }]),
        expect: { violation: "alb-sg" },
      },
      {
        name: "SecurityGroupRule with a port range over 22",
        mutate: (p) => {
          set(sgRule(p), "fromPort", 0);
          set(sgRule(p), "toPort", 1024);
          set(sgRule(p), "cidrBlocks", ["0.0.0.0/0"]);
        },
        expect: { violation: "db-from-app" },
      },
      {
        name: "vpc.SecurityGroupIngressRule from 0.0.0.0/0",
        mutate: (p) => {
          set(ingressRule(p), "referencedSecurityGroupId", undefined);
          set(ingressRule(p), "cidrIpv4", "0.0.0.0/0");
          set(ingressRule(p), "fromPort", 22);
          set(ingressRule(p), "toPort", 22);
        },
        expect: { violation: "app-from-alb" },
      },
      {
        name: "egress rules are not ingress",
        mutate: (p) => {
          set(sgRule(p), "type", "egress");
          set(sgRule(p), "fromPort", 22);
          set(sgRule(p), "toPort", 22);
          set(sgRule(p), "cidrBlocks", ["0.0.0.0/0"]);
        },
        expect: "clean",
      },
      {
        name: "preview: a CIDR unknown is a computed range, not the internet -> passes",
        mutate: (p) => set(sgRule(p), "cidrBlocks", [UNKNOWN_STRING]),
        expect: "clean",
      },
      {
        name: "preview: port of a world-open rule unknown -> can't run",
        mutate: (p) => set(albSg(p), "ingress", [{ protocol: "tcp", fromPort: UNKNOWN_NUMBER, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }]),
        expect: "unknown",
      },
    ],
  });
  policySuite(ec2RestrictedCommonPorts, {
    cases: [
      {
        name: "PostgreSQL open to the internet",
        mutate: (p) => set(albSg(p), "ingress", world(5432)),
        expect: { violation: "alb-sg", message: /5432/ },
      },
      {
        name: "RDP open to the internet",
        mutate: (p) => set(albSg(p), "ingress", world(3389)),
        expect: { violation: "alb-sg", message: /3389/ },
      },
      { name: "UDP 3306 is not a TCP exposure", mutate: (p) => set(albSg(p), "ingress", world(3306, "udp")), expect: "clean" },
      {
        name: "configured blocked ports",
        config: { "ec2-restricted-common-ports": { blockedPorts: [443] } },
        expect: { violation: "alb-sg", message: /443/ },
      },
      {
        name: "preview: protocol unknown on a world-open rule -> can't run",
        mutate: (p) => set(albSg(p), "ingress", [{ protocol: UNKNOWN_STRING, fromPort: 3306, toPort: 3306, cidrBlocks: ["0.0.0.0/0"] }]),
        expect: "unknown",
      },
    ],
  });
  policySuite(vpcSgOpenOnlyToAuthorizedPorts, {
    cases: [
      {
        name: "8080 open to the internet",
        mutate: (p) => set(albSg(p), "ingress", world(8080)),
        expect: { violation: "alb-sg", message: /not authorized/ },
      },
      {
        name: "all ports open",
        mutate: (p) => set(albSg(p), "ingress", world(0, "-1", 0)),
        expect: { violation: "alb-sg", message: /every port/ },
      },
      {
        name: "a range including 443 and more",
        mutate: (p) => set(albSg(p), "ingress", world(400, "tcp", 500)),
        expect: { violation: "alb-sg" },
      },
      { name: "ICMP from the internet carries no port", mutate: (p) => set(albSg(p), "ingress", world(-1, "icmp", -1)), expect: "clean" },
      {
        name: "port 80 not authorized by config",
        config: { "vpc-sg-open-only-to-authorized-ports": { authorizedTcpPorts: [443] } },
        expect: { violation: "alb-sg", message: /authorized: 443/ },
      },
      {
        name: "preview: toPort unknown on a world-open rule -> can't run",
        mutate: (p) => set(albSg(p), "ingress", [{ protocol: "tcp", fromPort: 443, toPort: UNKNOWN_NUMBER, cidrBlocks: ["0.0.0.0/0"] }]),
        expect: "unknown",
      },
    ],
  });
});
