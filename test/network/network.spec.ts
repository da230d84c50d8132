/**
 * The Network component under the shared mock cloud, for a dev and a prod stack: what it
 * registers, and the security-relevant inputs of each resource.
 */
import * as assert from "assert";
import type { Output } from "@pulumi/pulumi";
import { installMocks, testConfig, policyOf, ACCOUNT_ID, REGION, RecordedResource } from "../mocks";

const cloud = installMocks();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Network, DEFAULT_INTERFACE_ENDPOINT_SERVICES }: typeof import("../../components/network") = require("../../components/network");
type NetworkT = InstanceType<typeof Network>;

const AUDIT_KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/0b2c3d4e-aaaa-4bbb-8ccc-123456789abc`;
const ANYWHERE = "0.0.0.0/0";

const T = {
  network: "healthcare:network:Network",
  vpc: "aws:ec2/vpc:Vpc",
  subnet: "aws:ec2/subnet:Subnet",
  igw: "aws:ec2/internetGateway:InternetGateway",
  eip: "aws:ec2/eip:Eip",
  nat: "aws:ec2/natGateway:NatGateway",
  routeTable: "aws:ec2/routeTable:RouteTable",
  route: "aws:ec2/route:Route",
  association: "aws:ec2/routeTableAssociation:RouteTableAssociation",
  endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  defaultSecurityGroup: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
  nacl: "aws:ec2/networkAcl:NetworkAcl",
  defaultNacl: "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  role: "aws:iam/role:Role",
  policy: "aws:iam/policy:Policy",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  flowLog: "aws:ec2/flowLog:FlowLog",
} as const;

/** Types that take tags (every one must carry them) and types that cannot. */
const TAGGABLE: readonly string[] = [
  T.vpc,
  T.subnet,
  T.igw,
  T.eip,
  T.nat,
  T.routeTable,
  T.endpoint,
  T.securityGroup,
  T.defaultSecurityGroup,
  T.nacl,
  T.defaultNacl,
  T.logGroup,
  T.role,
  T.policy,
  T.flowLog,
];
const UNTAGGABLE: readonly string[] = [T.network, T.route, T.association, T.attachment];

function valueOf<V>(output: Output<V>): Promise<V> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

/** What one build registered, with lookups by type, logical name and id. */
class Recorded {
  constructor(readonly resources: readonly RecordedResource[]) {}
  ofType(type: string): RecordedResource[] {
    return this.resources.filter((r) => r.type === type);
  }
  named(type: string, name: string): RecordedResource {
    const found = this.ofType(type).filter((r) => r.name === name);
    assert.strictEqual(found.length, 1, `expected one ${type} named ${name}, found ${found.length}`);
    return found[0];
  }
  countsByType(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const r of this.resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
    return counts;
  }
}

async function build(
  env: "dev" | "prod",
  overrides: Record<string, string> = {},
  extra: { interfaceEndpointServices?: readonly string[]; isolatedTierPorts?: readonly number[] } = {},
): Promise<{ network: NetworkT; rec: Recorded }> {
  cloud.reset();
  const network = new Network("net", { config: testConfig(env, overrides), auditKeyArn: AUDIT_KEY_ARN, ...extra });
  await cloud.settle();
  return { network, rec: new Recorded([...cloud.resources]) };
}

interface EnvCase {
  env: "dev" | "prod";
  vpcCidr: string;
  azs: string[];
  /** The AZ IDs of `azs` in the mock's fixed name -> id mapping. */
  azIds: string[];
  /** Indexes of the private subnets the lambda endpoint gets (the mock offers lambda in every us-east-1 zone but use1-az3). */
  lambdaSubnets: number[];
  natCount: number;
  retentionInDays: number;
  protect: boolean;
  cidrs: Record<"public" | "private" | "isolated", string[]>;
  counts: Record<string, number>;
}

const ENVIRONMENTS: EnvCase[] = [
  {
    env: "dev",
    vpcCidr: "10.20.0.0/16",
    azs: ["us-east-1a", "us-east-1b"],
    azIds: ["use1-az1", "use1-az2"],
    lambdaSubnets: [0, 1],
    natCount: 1,
    retentionInDays: 30,
    protect: false,
    cidrs: {
      public: ["10.20.96.0/21", "10.20.104.0/21"],
      private: ["10.20.0.0/20", "10.20.16.0/20"],
      isolated: ["10.20.144.0/21", "10.20.152.0/21"],
    },
    counts: {
      [T.network]: 1,
      [T.vpc]: 1,
      [T.subnet]: 6,
      [T.igw]: 1,
      [T.eip]: 1,
      [T.nat]: 1,
      [T.routeTable]: 4,
      [T.route]: 3,
      [T.association]: 6,
      [T.endpoint]: 10,
      [T.securityGroup]: 1,
      [T.defaultSecurityGroup]: 1,
      [T.nacl]: 3,
      [T.defaultNacl]: 1,
      [T.logGroup]: 1,
      [T.role]: 1,
      [T.policy]: 1,
      [T.attachment]: 1,
      [T.flowLog]: 1,
    },
  },
  {
    env: "prod",
    vpcCidr: "10.30.0.0/16",
    azs: ["us-east-1a", "us-east-1b", "us-east-1c"],
    azIds: ["use1-az1", "use1-az2", "use1-az3"],
    lambdaSubnets: [0, 1],
    natCount: 3,
    retentionInDays: 2192,
    protect: true,
    cidrs: {
      public: ["10.30.96.0/21", "10.30.104.0/21", "10.30.112.0/21"],
      private: ["10.30.0.0/20", "10.30.16.0/20", "10.30.32.0/20"],
      isolated: ["10.30.144.0/21", "10.30.152.0/21", "10.30.160.0/21"],
    },
    counts: {
      [T.network]: 1,
      [T.vpc]: 1,
      [T.subnet]: 9,
      [T.igw]: 1,
      [T.eip]: 3,
      [T.nat]: 3,
      [T.routeTable]: 5,
      [T.route]: 4,
      [T.association]: 9,
      [T.endpoint]: 10,
      [T.securityGroup]: 1,
      [T.defaultSecurityGroup]: 1,
      [T.nacl]: 3,
      [T.defaultNacl]: 1,
      [T.logGroup]: 1,
      [T.role]: 1,
      [T.policy]: 1,
      [T.attachment]: 1,
      [T.flowLog]: 1,
    },
  },
];

const TIERS = ["public", "private", "isolated"] as const;

for (const c of ENVIRONMENTS) {
  describe(`Network (${c.env})`, () => {
    let network: NetworkT;
    let rec: Recorded;
    const n = c.azs.length;
    const az = (i: number) => `az${i + 1}`;
    const subnet = (tier: string, i: number) => rec.named(T.subnet, `net-${tier}-${az(i)}`);
    const vpc = () => rec.named(T.vpc, "net-vpc");
    const publicTable = () => rec.named(T.routeTable, "net-public-rt");
    const privateTable = (i: number) => rec.named(T.routeTable, `net-private-rt-${az(i)}`);
    const isolatedTable = () => rec.named(T.routeTable, "net-isolated-rt");
    const endpointSg = () => rec.named(T.securityGroup, "net-endpoints-sg");
    const idsOf = (rs: RecordedResource[]) => rs.map((r) => r.id);

    before(async () => {
      ({ network, rec } = await build(c.env));
    });

    it(`registers exactly ${Object.values(c.counts).reduce((a, b) => a + b, 0)} resources of these types`, () => {
      assert.deepStrictEqual(rec.countsByType(), c.counts);
    });

    it("parents every child to the Network component", () => {
      const [component] = rec.ofType(T.network);
      assert.strictEqual(component.name, "net");
      for (const r of rec.resources.filter((x) => x !== component)) {
        assert.strictEqual(r.parent, component.urn, `${r.type} ${r.name} is not a child of the component`);
      }
    });

    it("creates the VPC from config with DNS support and hostnames", () => {
      assert.strictEqual(vpc().inputs.cidrBlock, c.vpcCidr);
      assert.strictEqual(vpc().inputs.enableDnsSupport, true);
      assert.strictEqual(vpc().inputs.enableDnsHostnames, true);
    });

    it(`puts one subnet per tier in each of ${n} AZs, with the planned CIDRs and a Tier tag`, () => {
      assert.strictEqual(rec.ofType(T.subnet).length, 3 * n);
      for (const tier of TIERS) {
        c.cidrs[tier].forEach((cidr, i) => {
          const s = subnet(tier, i);
          assert.strictEqual(s.inputs.cidrBlock, cidr, `${tier} ${az(i)}`);
          assert.strictEqual(s.inputs.availabilityZone, c.azs[i]);
          assert.strictEqual(s.inputs.vpcId, vpc().id);
          assert.strictEqual((s.inputs.tags as Record<string, string>).Tier, tier);
          assert.strictEqual((s.inputs.tags as Record<string, string>).Name, `hcp-${c.env}-${tier}-${c.azs[i]}`);
        });
      }
    });

    it("maps no public IP on launch in any subnet, public ones included", () => {
      for (const s of rec.ofType(T.subnet)) assert.strictEqual(s.inputs.mapPublicIpOnLaunch, false, s.name);
    });

    it(`runs ${c.natCount} NAT gateway(s), each with its own VPC Elastic IP, in the public subnet(s) of the first AZ(s)`, () => {
      const nats = rec.ofType(T.nat);
      const eips = rec.ofType(T.eip);
      assert.strictEqual(nats.length, c.natCount);
      assert.strictEqual(eips.length, c.natCount);
      for (let i = 0; i < c.natCount; i++) {
        const eip = rec.named(T.eip, `net-nat-${az(i)}`);
        const nat = rec.named(T.nat, `net-nat-${az(i)}`);
        assert.strictEqual(eip.inputs.domain, "vpc");
        assert.strictEqual(nat.inputs.allocationId, eip.outputs.allocationId);
        assert.strictEqual(nat.inputs.subnetId, subnet("public", i).id);
        assert.strictEqual(nat.inputs.connectivityType, "public");
      }
    });

    it("routes the public tier to the internet gateway", () => {
      const igw = rec.named(T.igw, "net-igw");
      assert.strictEqual(igw.inputs.vpcId, vpc().id);
      const routes = rec.ofType(T.route).filter((r) => r.inputs.routeTableId === publicTable().id);
      assert.deepStrictEqual(
        routes.map((r) => r.inputs),
        [{ routeTableId: publicTable().id, destinationCidrBlock: ANYWHERE, gatewayId: igw.id }],
      );
    });

    it(c.natCount === 1 ? "routes every private table to the single NAT" : "routes each AZ's private table to that AZ's NAT", () => {
      for (let i = 0; i < n; i++) {
        const nat = rec.named(T.nat, `net-nat-${az(Math.min(i, c.natCount - 1))}`);
        const routes = rec.ofType(T.route).filter((r) => r.inputs.routeTableId === privateTable(i).id);
        assert.deepStrictEqual(
          routes.map((r) => r.inputs),
          [{ routeTableId: privateTable(i).id, destinationCidrBlock: ANYWHERE, natGatewayId: nat.id }],
          az(i),
        );
      }
    });

    it("gives the isolated tier a route table with no route out at all", () => {
      const table = isolatedTable();
      assert.strictEqual(table.inputs.routes, undefined);
      assert.deepStrictEqual(
        rec.ofType(T.route).filter((r) => r.inputs.routeTableId === table.id),
        [],
      );
      // The only routes anywhere: public -> IGW and private -> NAT.
      const targets = rec.ofType(T.route).map((r) => (r.inputs.gatewayId ? "igw" : r.inputs.natGatewayId ? "nat" : "other"));
      assert.deepStrictEqual(targets.sort(), ["igw", ...Array<string>(n).fill("nat")]);
    });

    it("associates every subnet with its tier's route table", () => {
      const tableOf = new Map(rec.ofType(T.association).map((a) => [a.inputs.subnetId, a.inputs.routeTableId]));
      assert.strictEqual(tableOf.size, 3 * n);
      for (let i = 0; i < n; i++) {
        assert.strictEqual(tableOf.get(subnet("public", i).id), publicTable().id);
        assert.strictEqual(tableOf.get(subnet("private", i).id), privateTable(i).id);
        assert.strictEqual(tableOf.get(subnet("isolated", i).id), isolatedTable().id);
      }
    });

    it("gives every gateway and interface endpoint a policy: this account's principals, its service's platform actions, the stack's buckets and tables", () => {
      // Without a policy AWS attaches full access (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html).
      for (const e of rec.ofType(T.endpoint)) {
        const svc = String(e.inputs.serviceName).split(".").slice(3).join(".");
        assert.ok(e.inputs.policy, `${svc}: no endpoint policy`);
        const doc = policyOf(e.inputs.policy);
        // Except AWS's own public repository buckets, read anonymously by dnf (endpoint-policies.ts).
        for (const st of doc.Statement.filter((x) => x.Effect === "Allow" && x.Sid !== "AwsOwnedBucketsInstancesRead")) {
          assert.deepStrictEqual(
            (st.Condition as Record<string, Record<string, string>>).StringEquals["aws:PrincipalAccount"],
            ACCOUNT_ID,
            svc,
          );
          const prefix = svc === "kinesis-firehose" ? "firehose" : svc;
          for (const a of [st.Action].flat())
            assert.ok(String(a).startsWith(`${prefix}:`) && !String(a).includes("*"), `${svc}: ${String(a)}`);
        }
        if (svc === "s3") {
          const stack = doc.Statement.find((x) => x.Sid === "StackBucketsOfThisAccount")!;
          assert.deepStrictEqual(stack.Resource, `arn:aws:s3:::hcp-${c.env}-*/*`);
          const owned = doc.Statement.find((x) => x.Sid === "AwsOwnedBucketsInstancesRead")!;
          // AWS's repository bucket by its exact name, never a wildcard an outsider could register a bucket under.
          assert.ok([owned.Resource].flat().includes(`arn:aws:s3:::al2023-repos-${REGION}-de612dc2/*`));
          assert.ok([owned.Resource].flat().includes(`arn:aws:s3:::patch-baseline-snapshot-${REGION}/*`));
          assert.deepStrictEqual(owned.Action, "s3:GetObject");
        }
        if (svc === "dynamodb")
          assert.deepStrictEqual(doc.Statement[0].Resource, `arn:aws:dynamodb:${REGION}:${ACCOUNT_ID}:table/hcp-${c.env}-*`);
      }
    });

    it("adds S3 and DynamoDB gateway endpoints to the private and isolated route tables only", () => {
      const gateways = rec.ofType(T.endpoint).filter((e) => e.inputs.vpcEndpointType === "Gateway");
      assert.deepStrictEqual(gateways.map((g) => g.inputs.serviceName).sort(), [
        `com.amazonaws.${REGION}.dynamodb`,
        `com.amazonaws.${REGION}.s3`,
      ]);
      const expected = [...Array.from({ length: n }, (_, i) => privateTable(i).id), isolatedTable().id];
      for (const g of gateways) {
        assert.strictEqual(g.inputs.vpcId, vpc().id);
        assert.deepStrictEqual(g.inputs.routeTableIds, expected);
      }
    });

    it(`puts each interface endpoint in the private subnets whose AZ offers its service (lambda: ${c.lambdaSubnets.map(az).join(", ")})`, async () => {
      const interfaces = rec.ofType(T.endpoint).filter((e) => e.inputs.vpcEndpointType === "Interface");
      const all = Array.from({ length: n }, (_, i) => i);
      for (const e of interfaces) {
        const svc = String(e.inputs.serviceName).split(".").slice(3).join(".");
        const expected = (svc === "lambda" ? c.lambdaSubnets : all).map((i) => subnet("private", i).id);
        assert.deepStrictEqual(e.inputs.subnetIds, expected, svc);
        assert.deepStrictEqual(await valueOf(network.interfaceEndpointSubnetIds[svc]), expected, svc);
      }
    });

    it("creates interface endpoints with private DNS for exactly the default services, in private subnets only", () => {
      const interfaces = rec.ofType(T.endpoint).filter((e) => e.inputs.vpcEndpointType === "Interface");
      assert.deepStrictEqual(
        interfaces.map((e) => e.inputs.serviceName).sort(),
        ["ec2messages", "logs", "secretsmanager", "sns", "sqs", "ssm", "ssmmessages", "states"].map((s) => `com.amazonaws.${REGION}.${s}`),
      );
      for (const e of interfaces) {
        assert.strictEqual(e.inputs.privateDnsEnabled, true, e.name);
        assert.strictEqual(e.inputs.vpcId, vpc().id);
        const privateIds = Array.from({ length: n }, (_, i) => subnet("private", i).id);
        const ids = e.inputs.subnetIds as string[];
        assert.ok(ids.length >= 1 && ids.every((id) => privateIds.includes(id)), `${e.name} in ${ids.join(", ")}`);
        assert.deepStrictEqual(e.inputs.securityGroupIds, [endpointSg().id]);
      }
      assert.deepStrictEqual(network.interfaceEndpointServices, DEFAULT_INTERFACE_ENDPOINT_SERVICES);
    });

    it("lets only HTTPS from the VPC CIDR into the endpoint security group, and nothing out", () => {
      const sg = endpointSg();
      assert.strictEqual(sg.inputs.vpcId, vpc().id);
      assert.strictEqual(sg.inputs.name, `hcp-${c.env}-vpc-endpoints`);
      assert.deepStrictEqual(
        (sg.inputs.ingress as Record<string, unknown>[]).map(
          ({ protocol, fromPort, toPort, cidrBlocks, ipv6CidrBlocks, securityGroups, self }) => ({
            protocol,
            fromPort,
            toPort,
            cidrBlocks,
            ipv6CidrBlocks,
            securityGroups,
            self,
          }),
        ),
        [
          {
            protocol: "tcp",
            fromPort: 443,
            toPort: 443,
            cidrBlocks: [c.vpcCidr],
            ipv6CidrBlocks: undefined,
            securityGroups: undefined,
            self: undefined,
          },
        ],
      );
      assert.deepStrictEqual(sg.inputs.egress, []);
    });

    it("empties the VPC's default security group", () => {
      const sg = rec.named(T.defaultSecurityGroup, "net-default-sg");
      assert.strictEqual(sg.inputs.vpcId, vpc().id);
      assert.deepStrictEqual(sg.inputs.ingress, []);
      assert.deepStrictEqual(sg.inputs.egress, []);
    });

    it("admits 0.0.0.0/0 in no security group, and in network ACLs only to the public 443/80/ephemeral and private ephemeral ports", () => {
      assert.deepStrictEqual(
        rec.resources.filter((r) => /securityGroup(Ingress)?Rule/.test(r.type)).map((r) => r.type),
        [],
        "no standalone security-group rules",
      );
      for (const sg of [...rec.ofType(T.securityGroup), ...rec.ofType(T.defaultSecurityGroup)]) {
        for (const rule of (sg.inputs.ingress as Record<string, unknown>[] | undefined) ?? []) {
          assert.ok(!((rule.cidrBlocks as string[] | undefined) ?? []).includes(ANYWHERE), `${sg.name} admits ${ANYWHERE}`);
          assert.strictEqual(rule.ipv6CidrBlocks, undefined);
        }
      }
      const open = rec
        .ofType(T.nacl)
        .flatMap((acl) =>
          (acl.inputs.ingress as Record<string, unknown>[])
            .filter((e) => e.cidrBlock === ANYWHERE || e.ipv6CidrBlock !== undefined)
            .map((e) => `${acl.name} ${String(e.action)} ${String(e.protocol)} ${String(e.fromPort)}-${String(e.toPort)}`),
        );
      assert.deepStrictEqual(open.sort(), [
        "net-private-nacl allow tcp 1024-3388",
        "net-private-nacl allow tcp 3390-65535",
        "net-public-nacl allow tcp 1024-3388",
        "net-public-nacl allow tcp 3390-65535",
        "net-public-nacl allow tcp 443-443",
        "net-public-nacl allow tcp 80-80",
      ]);
    });

    it("attaches one network ACL per tier to exactly that tier's subnets", () => {
      for (const tier of TIERS) {
        const acl = rec.named(T.nacl, `net-${tier}-nacl`);
        assert.strictEqual(acl.inputs.vpcId, vpc().id);
        assert.deepStrictEqual(
          acl.inputs.subnetIds,
          Array.from({ length: n }, (_, i) => subnet(tier, i).id),
          tier,
        );
        assert.strictEqual((acl.inputs.tags as Record<string, string>).Tier, tier);
      }
    });

    it("lets only PostgreSQL and HTTPS from the VPC into the isolated tier, and only answers inside the VPC out", () => {
      const acl = rec.named(T.nacl, "net-isolated-nacl");
      assert.deepStrictEqual(acl.inputs.ingress, [
        { ruleNo: 100, action: "allow", protocol: "tcp", cidrBlock: c.vpcCidr, fromPort: 5432, toPort: 5432 },
        { ruleNo: 110, action: "allow", protocol: "tcp", cidrBlock: c.vpcCidr, fromPort: 443, toPort: 443 },
      ]);
      assert.deepStrictEqual(acl.inputs.egress, [
        { ruleNo: 100, action: "allow", protocol: "tcp", cidrBlock: c.vpcCidr, fromPort: 1024, toPort: 65535 },
      ]);
    });

    it("manages the default network ACL with no rules (deny all)", () => {
      const acl = rec.named(T.defaultNacl, "net-default-nacl");
      assert.strictEqual(acl.inputs.defaultNetworkAclId, vpc().outputs.defaultNetworkAclId);
      assert.deepStrictEqual(acl.inputs.ingress, []);
      assert.deepStrictEqual(acl.inputs.egress, []);
      assert.strictEqual(acl.inputs.subnetIds, undefined);
    });

    it(`logs ALL traffic to a log group encrypted with the audit key, kept ${c.retentionInDays} days`, () => {
      const group = rec.named(T.logGroup, "net-flow-logs");
      assert.strictEqual(group.inputs.name, `/hcp/${c.env}/vpc-flow-logs`);
      assert.strictEqual(group.inputs.kmsKeyId, AUDIT_KEY_ARN);
      assert.strictEqual(group.inputs.retentionInDays, c.retentionInDays);
      const log = rec.named(T.flowLog, "net-flow-log");
      assert.strictEqual(log.inputs.vpcId, vpc().id);
      assert.strictEqual(log.inputs.trafficType, "ALL");
      assert.strictEqual(log.inputs.logDestinationType, "cloud-watch-logs");
      assert.strictEqual(log.inputs.logDestination, group.outputs.arn);
      assert.strictEqual(log.inputs.iamRoleArn, rec.named(T.role, "net-flow-logs").outputs.arn);
      assert.strictEqual(log.inputs.maxAggregationInterval, 60);
      assert.match(String(log.inputs.logFormat), /^\$\{version\} \$\{account-id\} .*\$\{pkt-srcaddr\} /);
      assert.ok(log.dependencies.includes(rec.named(T.attachment, "net-flow-logs-permissions").urn), "waits for the role's permissions");
    });

    it(c.protect ? "protects and retains the flow-log group (deletion protection on)" : "leaves the flow-log group destroyable", () => {
      const group = rec.named(T.logGroup, "net-flow-logs");
      assert.strictEqual(group.protect, c.protect);
      assert.strictEqual(group.retainOnDelete, c.protect);
      assert.strictEqual(group.inputs.deletionProtectionEnabled, c.protect);
    });

    it("lets only VPC Flow Logs of this account assume the flow-log role", () => {
      const role = rec.named(T.role, "net-flow-logs");
      assert.strictEqual(role.inputs.name, `hcp-${c.env}-vpc-flow-logs`);
      const trust = policyOf(role.inputs.assumeRolePolicy);
      assert.deepStrictEqual(trust.Statement, [
        {
          Sid: "AssumeRoleFromThisAccountOnly",
          Effect: "Allow",
          Action: "sts:AssumeRole",
          Principal: { Service: "vpc-flow-logs.amazonaws.com" },
          Condition: {
            StringEquals: { "aws:SourceAccount": ACCOUNT_ID },
            ArnLike: { "aws:SourceArn": `arn:aws:ec2:${REGION}:${ACCOUNT_ID}:vpc-flow-log/*` },
          },
        },
      ]);
    });

    it("grants the flow-log role, in a managed policy (never an inline one), AWS's documented actions on its own log group", () => {
      const group = rec.named(T.logGroup, "net-flow-logs");
      const policy = rec.named(T.policy, "net-flow-logs-policy");
      const attachment = rec.named(T.attachment, "net-flow-logs-permissions");
      assert.strictEqual(attachment.inputs.role, rec.named(T.role, "net-flow-logs").inputs.name);
      assert.strictEqual(attachment.inputs.policyArn, policy.outputs.arn);
      assert.strictEqual(policy.inputs.name, `hcp-${c.env}-vpc-flow-logs`);
      const doc = policyOf(policy.inputs.policy);
      // What AWS documents for this role (VPC user guide, flow-logs-iam-role), DescribeLogGroups on
      // "*" only because it has no resource-level permission.
      assert.deepStrictEqual(doc.Statement, [
        {
          Sid: "WriteFlowLogsToTheirLogGroup",
          Effect: "Allow",
          Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          Resource: [group.outputs.arn, `${String(group.outputs.arn)}:*`],
        },
        { Sid: "DescribeLogGroupsHasNoResourceLevelPermission", Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: "*" },
      ]);
      assert.strictEqual(group.outputs.arn, `arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:/hcp/${c.env}/vpc-flow-logs`);
    });

    it("tags every taggable resource with the platform tags and a Name", () => {
      for (const r of rec.resources) {
        assert.ok(TAGGABLE.includes(r.type) || UNTAGGABLE.includes(r.type), `classify ${r.type} as taggable or not`);
        if (!TAGGABLE.includes(r.type)) continue;
        const tags = r.inputs.tags as Record<string, string> | undefined;
        assert.ok(tags, `${r.type} ${r.name} has no tags`);
        assert.strictEqual(tags.Project, "healthcare-platform", r.name);
        assert.strictEqual(tags.Environment, c.env, r.name);
        assert.strictEqual(tags.Stack, c.env, r.name);
        assert.strictEqual(tags.Compliance, "HIPAA", r.name);
        assert.strictEqual(tags.DataClassification, "PHI", r.name);
        if (r.type !== T.logGroup && r.type !== T.role && r.type !== T.policy)
          assert.match(tags.Name, new RegExp(`^hcp-${c.env}-[a-z0-9-]+$`), r.name);
      }
      for (const tier of TIERS) {
        for (const r of [...rec.ofType(T.subnet), ...rec.ofType(T.routeTable), ...rec.ofType(T.nacl)].filter((x) =>
          x.name.startsWith(`net-${tier}-`),
        )) {
          assert.strictEqual((r.inputs.tags as Record<string, string>).Tier, tier, r.name);
        }
      }
    });

    it("exposes ids, AZs and the flow-log group for the other components", async () => {
      assert.strictEqual(await valueOf(network.vpcId), vpc().id);
      assert.strictEqual(await valueOf(network.vpcCidr), c.vpcCidr);
      assert.deepStrictEqual(await valueOf(network.availabilityZones), c.azs);
      assert.deepStrictEqual(await valueOf(network.availabilityZoneIds), c.azIds);
      assert.deepStrictEqual(await valueOf(network.publicSubnetIds), idsOf(c.azs.map((_, i) => subnet("public", i))));
      assert.deepStrictEqual(await valueOf(network.privateSubnetIds), idsOf(c.azs.map((_, i) => subnet("private", i))));
      assert.deepStrictEqual(await valueOf(network.isolatedSubnetIds), idsOf(c.azs.map((_, i) => subnet("isolated", i))));
      assert.deepStrictEqual(network.subnetCidrs, c.cidrs);
      assert.strictEqual(await valueOf(network.endpointSecurityGroupId), endpointSg().id);
      assert.strictEqual(await valueOf(network.flowLogGroupName), `/hcp/${c.env}/vpc-flow-logs`);
      assert.strictEqual(await valueOf(network.flowLogGroupArn), rec.named(T.logGroup, "net-flow-logs").outputs.arn);
    });
  });
}

describe("Network options", () => {
  it("gives dev a NAT per AZ when natGatewayMode is per-az", async () => {
    const { rec } = await build("dev", { natGatewayMode: "per-az" });
    const nats = rec.ofType(T.nat);
    assert.strictEqual(nats.length, 2);
    assert.strictEqual(rec.ofType(T.eip).length, 2);
    for (let i = 0; i < 2; i++) {
      const table = rec.named(T.routeTable, `net-private-rt-az${i + 1}`);
      const route = rec.ofType(T.route).find((r) => r.inputs.routeTableId === table.id);
      assert.strictEqual(route?.inputs.natGatewayId, rec.named(T.nat, `net-nat-az${i + 1}`).id);
    }
  });

  it("spreads over us-east-1's six AZs when asked (18 subnets), lambda's endpoint in the five that offer it", async () => {
    // lambda is not a default endpoint (nothing in the platform's VPC invokes a function); asked for here.
    const { network, rec } = await build("prod", { availabilityZoneCount: "6" }, { interfaceEndpointServices: ["logs", "lambda"] });
    assert.strictEqual(rec.ofType(T.subnet).length, 18);
    assert.strictEqual(rec.ofType(T.nat).length, 6);
    assert.deepStrictEqual(
      await valueOf(network.availabilityZones),
      ["a", "b", "c", "d", "e", "f"].map((s) => `${REGION}${s}`),
    );
    assert.deepStrictEqual(
      await valueOf(network.availabilityZoneIds),
      [1, 2, 3, 4, 5, 6].map((i) => `use1-az${i}`),
    );
    const privateIds = [0, 1, 2, 3, 4, 5].map((i) => rec.named(T.subnet, `net-private-az${i + 1}`).id);
    assert.deepStrictEqual(
      rec.named(T.endpoint, "net-lambda-endpoint").inputs.subnetIds,
      privateIds.filter((_, i) => i !== 2),
    );
    assert.deepStrictEqual(rec.named(T.endpoint, "net-logs-endpoint").inputs.subnetIds, privateIds);
  });

  it("fails, naming the service, the zones that offer it and the fix, when an endpoint service is offered in none of the network's AZs", async () => {
    cloud.reset();
    cloud.withholdEndpointService(REGION, "sqs", ["use1-az1", "use1-az2"]);
    new Network("net", { config: testConfig("dev"), auditKeyArn: AUDIT_KEY_ARN });
    await assert.rejects(cloud.settle(), (err: Error) => {
      assert.match(err.message, /^No subnet can hold 1 interface endpoint\(s\):/);
      assert.match(
        err.message,
        /com\.amazonaws\.us-east-1\.sqs is offered in us-east-1c, us-east-1d, us-east-1e, us-east-1f of us-east-1, none of the network's availability zones \(us-east-1a, us-east-1b\)/,
      );
      assert.match(err.message, /remove "sqs" from interfaceEndpointServices, or raise healthcare-platform:availabilityZoneCount/);
      return true;
    });
    assert.deepStrictEqual(
      cloud.resources.filter((r) => r.type === T.endpoint && String(r.inputs.serviceName).endsWith(".sqs")),
      [],
      "no sqs endpoint",
    );
    cloud.reset();
  });

  it("creates exactly the interface endpoints it is given, named after the service", async () => {
    const { network, rec } = await build("dev", {}, { interfaceEndpointServices: ["logs", "ecr.api"] });
    const interfaces = rec.ofType(T.endpoint).filter((e) => e.inputs.vpcEndpointType === "Interface");
    assert.deepStrictEqual(
      interfaces.map((e) => [e.name, e.inputs.serviceName]),
      [
        ["net-logs-endpoint", `com.amazonaws.${REGION}.logs`],
        ["net-ecr-api-endpoint", `com.amazonaws.${REGION}.ecr.api`],
      ],
    );
    assert.deepStrictEqual(network.interfaceEndpointServices, ["logs", "ecr.api"]);
    assert.strictEqual(rec.ofType(T.endpoint).filter((e) => e.inputs.vpcEndpointType === "Gateway").length, 2);
  });

  it("opens the isolated tier to the ports it is given", async () => {
    const { rec } = await build("dev", {}, { isolatedTierPorts: [3306] });
    const acl = rec.named(T.nacl, "net-isolated-nacl");
    assert.deepStrictEqual(acl.inputs.ingress, [
      { ruleNo: 100, action: "allow", protocol: "tcp", cidrBlock: "10.20.0.0/16", fromPort: 3306, toPort: 3306 },
    ]);
  });

  it("refuses bad args with every problem and its fix, before registering anything", async () => {
    cloud.reset();
    assert.throws(
      () =>
        new Network("bad", {
          config: testConfig("dev"),
          auditKeyArn: "alias/hcp-dev-audit",
          interfaceEndpointServices: ["firehose", "s3"],
        }),
      (err: Error) => {
        assert.match(err.message, /^Invalid args for Network "bad" \(3\):/);
        assert.match(err.message, /interfaceEndpointServices\[0\] = "firehose" .*Did you mean kinesis-firehose\?/);
        assert.match(err.message, /interfaceEndpointServices\[1\] = "s3" is always created as a gateway endpoint/);
        assert.match(err.message, /auditKeyArn must be a KMS key ARN/);
        return true;
      },
    );
    await cloud.settle();
    assert.deepStrictEqual(
      cloud.resources.map((r) => r.type),
      [],
    );
  });
});

describe("Network in the region of its provider: the region's real zones only", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const aws: typeof import("@pulumi/aws") = require("@pulumi/aws");
  const inRegion = (region: string, overrides: Record<string, string>) => {
    cloud.reset();
    const provider = new aws.Provider(`mock-${region}`, { region });
    return new Network("net", { config: testConfig("prod", overrides), auditKeyArn: AUDIT_KEY_ARN }, { providers: [provider] });
  };

  const fits: [string, number, string[], string[]][] = [
    ["us-west-2", 4, ["us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d"], ["usw2-az1", "usw2-az2", "usw2-az3", "usw2-az4"]],
    ["us-west-1", 2, ["us-west-1a", "us-west-1c"], ["usw1-az1", "usw1-az3"]],
    ["eu-west-1", 3, ["eu-west-1a", "eu-west-1b", "eu-west-1c"], ["euw1-az1", "euw1-az2", "euw1-az3"]],
  ];
  for (const [region, count, names, ids] of fits) {
    it(`${region}: availabilityZoneCount ${count} uses its ${count} zones (${ids.join(", ")}), endpoints in each`, async () => {
      const network = inRegion(region, { availabilityZoneCount: String(count), ...(count < 3 ? { environment: "dev" } : {}) });
      await cloud.settle();
      assert.deepStrictEqual(await valueOf(network.availabilityZones), names);
      assert.deepStrictEqual(await valueOf(network.availabilityZoneIds), ids);
      const subnets = cloud.ofType(T.subnet).filter((r) => r.name.startsWith("net-private-"));
      assert.deepStrictEqual(
        subnets.map((r) => r.inputs.availabilityZone),
        names,
      );
      const states = cloud.one(T.endpoint, "net-states-endpoint");
      assert.strictEqual(states.inputs.serviceName, `com.amazonaws.${region}.states`);
      assert.deepStrictEqual(
        states.inputs.subnetIds,
        subnets.map((r) => r.id),
      );
    });
  }

  const tooMany: [string, number, number][] = [
    ["us-west-2", 5, 4],
    ["us-west-2", 6, 4],
    ["us-west-1", 3, 2],
    ["eu-central-1", 4, 3],
  ];
  for (const [region, asked, has] of tooMany) {
    it(`${region}: availabilityZoneCount ${asked} fails naming the key, the region and its ${has} zones, and creates no subnet`, async () => {
      inRegion(region, { availabilityZoneCount: String(asked) });
      const expected = new RegExp(
        `^availabilityZoneCount is ${asked} but region ${region} has only ${has} available availability zone\\(s\\) .*at most ${has}`,
      );
      await assert.rejects(cloud.settle(), (err: Error) => expected.test(err.message));
      assert.deepStrictEqual(cloud.ofType(T.subnet), []);
      cloud.reset();
    });
  }

  it("a region the mock cloud does not know is an error naming it, not a guess", async () => {
    inRegion("ap-south-2", { availabilityZoneCount: "3" });
    await assert.rejects(cloud.settle(), /region "ap-south-2" is not one the mock knows/);
    cloud.reset();
  });
});
