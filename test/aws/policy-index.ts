/**
 * The IAM side of a plan, indexed for simulation: per role (by name) its trust policy and the
 * managed policies attached to it; per bucket, key, topic, queue and function its resource policy;
 * and the ARNs of everything a behaviour row names. Built from the plan only (`pulumi stack export`
 * shape): IAM documents are the JSON strings of the inputs, ARNs come from the outputs the mock
 * cloud fills.
 *
 * AWS-managed policies (`arn:aws:iam::aws:policy/...`) are not in the plan: they are recorded per
 * role (`awsManaged`) so that a test can refuse to simulate a role whose permissions it cannot see.
 * Lambda permissions become statements of the function's resource policy, as Lambda builds them.
 */
import type { Deployment, DeploymentResource } from "../../tools/deployment";
import { asString } from "../../policy-pack/policies/lib/util";

export interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: "*" | Record<string, string | string[]>;
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version?: string;
  Statement: Statement[];
}

export interface RoleEntry {
  readonly name: string;
  readonly arn: string;
  readonly trust: PolicyDocument;
  /** Customer-managed policies attached to the role, with their documents. */
  readonly managed: { readonly name: string; readonly arn: string; readonly policy: PolicyDocument }[];
  /** AWS-managed policy ARNs attached to the role: their documents are not in the plan. */
  readonly awsManaged: string[];
}

export interface BucketEntry {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  readonly policy?: PolicyDocument;
  /** Default encryption: `aws:kms` with its key, `AES256`, or undefined when the plan sets none. */
  readonly sseAlgorithm?: string;
  readonly kmsKeyArn?: string;
}

export interface KeyEntry {
  readonly arn: string;
  readonly id: string;
  readonly region: string;
  /** Logical name of the resource (`encryption-audit-key`, `recovery-encryption-phi-key`). */
  readonly logicalName: string;
  readonly aliases: string[];
  readonly policy: PolicyDocument;
}

export interface EncryptedResource {
  readonly name: string;
  readonly arn: string;
  readonly kmsKeyArn?: string;
  readonly policy?: PolicyDocument;
}

export interface FunctionEntry extends EncryptedResource {
  readonly roleArn: string;
  readonly deadLetterArn?: string;
  readonly subnetIds: string[];
  readonly securityGroupIds: string[];
  /** The resource policy Lambda builds from the function's `aws:lambda/permission:Permission`s. */
  readonly policy: PolicyDocument;
}

export interface NamedArn {
  readonly name: string;
  readonly arn: string;
}

export const AWS_MANAGED_POLICY = /^arn:aws[a-z-]*:iam::aws:policy\//;

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const parse = (doc: unknown, where: string): PolicyDocument => {
  if (typeof doc !== "string") throw new Error(`${where}: the policy is not a JSON string (${typeof doc})`);
  const parsed = JSON.parse(doc) as PolicyDocument;
  if (!Array.isArray(parsed.Statement)) throw new Error(`${where}: the policy has no Statement array`);
  return parsed;
};
const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Converts one Lambda permission into the statement Lambda adds to the function's policy. */
export function lambdaPermissionStatement(inputs: Record<string, unknown>, functionArn: string): Statement {
  const principal = String(inputs.principal);
  const condition: NonNullable<Statement["Condition"]> = {};
  if (str(inputs.sourceArn)) condition.ArnLike = { "aws:SourceArn": String(inputs.sourceArn) };
  if (str(inputs.sourceAccount)) condition.StringEquals = { "aws:SourceAccount": String(inputs.sourceAccount) };
  if (str(inputs.principalOrgId))
    condition.StringEquals = { ...condition.StringEquals, "aws:PrincipalOrgID": String(inputs.principalOrgId) };
  return {
    Sid: str(inputs.statementId) ?? "permission",
    Effect: "Allow",
    Action: String(inputs.action),
    Resource: functionArn,
    Principal: principal.endsWith(".amazonaws.com") ? { Service: principal } : { AWS: principal },
    ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
  };
}

/**
 * The resources with the ARNs the offline mock cloud forms differently from AWS replaced, everywhere
 * they occur (outputs and the documents that embed them): a Firehose stream is
 * `arn:aws:firehose:<region>:<account>:deliverystream/<name>` (the mock: `firehoseDeliveryStream/<name>`,
 * which iam-simulate cannot match to a resource type), an OpenSearch domain `...:domain/<domainName>`
 * (the mock: the resource's auto-name).
 */
export function awsFormArns(resources: readonly DeploymentResource[]): DeploymentResource[] {
  const replacements: [string, string][] = [];
  for (const r of resources) {
    const arn = str(r.outputs?.arn);
    if (!arn) continue;
    const [, partition, service, region, account] = arn.split(":");
    const prefix = `arn:${partition}:${service}:${region}:${account}:`;
    if (r.type === "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream")
      replacements.push([arn, `${prefix}deliverystream/${String(r.inputs.name)}`]);
    if (r.type === "aws:opensearch/domain:Domain" && str(r.inputs.domainName))
      replacements.push([arn, `${prefix}domain/${String(r.inputs.domainName)}`]);
  }
  const changed = replacements.filter(([from, to]) => from !== to);
  if (changed.length === 0) return [...resources];
  let text = JSON.stringify(resources);
  // Only the whole ARN (not a longer name it is a prefix of): a domain path or a qualifier may follow it.
  for (const [from, to] of changed) text = text.replace(new RegExp(`${from.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}(?![\\w.-])`, "g"), to);
  return JSON.parse(text) as DeploymentResource[];
}

/** Whether `arn` matches an IAM resource pattern (`*` any run of characters, `?` one). */
export function arnLike(pattern: string, arn: string): boolean {
  return new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
  ).test(arn);
}

/** Every service principal a policy document names (`Principal.Service`). */
export function servicePrincipals(doc: PolicyDocument | undefined): string[] {
  if (!doc) return [];
  return doc.Statement.flatMap((s) => (s.Principal && s.Principal !== "*" ? list(s.Principal.Service) : []));
}

export class PolicyIndex {
  readonly account: string;
  readonly region: string;
  readonly roles = new Map<string, RoleEntry>();
  readonly buckets = new Map<string, BucketEntry>();
  readonly keys = new Map<string, KeyEntry>();
  readonly topics = new Map<string, EncryptedResource>();
  readonly queues = new Map<string, EncryptedResource>();
  readonly functions = new Map<string, FunctionEntry>();
  readonly logGroups = new Map<string, EncryptedResource>();
  /** OpenSearch domains by ARN, with their access policy (`accessPolicies`: the domain's resource policy). */
  readonly domains = new Map<string, { readonly name: string; readonly arn: string; readonly policy?: PolicyDocument }>();
  /** CloudWatch Logs resource policies (account-wide): each governs the log groups its statements name. */
  readonly logResourcePolicies: { readonly name: string; readonly policy: PolicyDocument }[] = [];
  readonly resources: readonly DeploymentResource[];

  constructor(
    readonly stack: string,
    deployment: Deployment,
  ) {
    const resources = awsFormArns(deployment.deployment.resources);
    this.resources = resources;
    const ofType = (type: string) => resources.filter((r) => r.type === type);
    const where = (r: DeploymentResource) => r.urn.split("::").pop() ?? r.urn;

    for (const k of ofType("aws:kms/key:Key")) {
      const arn = String(k.outputs.arn);
      this.keys.set(arn, {
        arn,
        id: String(k.id),
        region: arn.split(":")[3],
        logicalName: where(k),
        aliases: [],
        policy: parse(k.inputs.policy, where(k)),
      });
    }
    for (const a of ofType("aws:kms/alias:Alias")) {
      const key = [...this.keys.values()].find((k) => k.id === a.inputs.targetKeyId || k.arn === a.inputs.targetKeyId);
      key?.aliases.push(String(a.inputs.name));
    }
    const anyKey = [...this.keys.values()][0];
    const anyArn = anyKey?.arn ?? String(ofType("aws:iam/role:Role")[0]?.outputs.arn);
    this.account = anyArn.split(":")[4];
    const trail = ofType("aws:cloudtrail/trail:Trail")[0];
    this.region = trail ? String(trail.outputs.arn).split(":")[3] : (anyKey?.region ?? "us-east-1");

    const policies = new Map(
      ofType("aws:iam/policy:Policy").map((p) => [
        String(p.outputs.arn),
        { name: String(p.inputs.name), arn: String(p.outputs.arn), policy: parse(p.inputs.policy, where(p)) },
      ]),
    );
    for (const r of ofType("aws:iam/role:Role")) {
      const name = String(r.inputs.name ?? r.outputs.name);
      this.roles.set(name, {
        name,
        arn: String(r.outputs.arn),
        trust: parse(r.inputs.assumeRolePolicy, where(r)),
        managed: [],
        awsManaged: [],
      });
    }
    for (const a of ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")) {
      const roleName = String(a.inputs.role).split("/").pop()!;
      const role = this.roles.get(roleName);
      if (!role) throw new Error(`${where(a)}: attaches to ${roleName}, which is not a role of the plan`);
      const policyArn = String(a.inputs.policyArn);
      if (AWS_MANAGED_POLICY.test(policyArn)) role.awsManaged.push(policyArn);
      else {
        const policy = policies.get(policyArn);
        if (!policy) throw new Error(`${where(a)}: ${policyArn} is neither AWS-managed nor a policy of the plan`);
        role.managed.push(policy);
      }
    }
    for (const type of ["aws:iam/rolePolicy:RolePolicy", "aws:iam/roleInlinePolicy:RoleInlinePolicy"]) {
      if (ofType(type).length > 0) throw new Error(`the plan has ${type}: the policy index does not read inline role policies yet`);
    }

    const sse = new Map(
      ofType("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").map((c) => {
        const rule = (
          c.inputs.rules as { applyServerSideEncryptionByDefault?: { sseAlgorithm?: string; kmsMasterKeyId?: string } }[] | undefined
        )?.[0];
        return [String(c.inputs.bucket), rule?.applyServerSideEncryptionByDefault ?? {}];
      }),
    );
    const bucketPolicies = new Map(
      ofType("aws:s3/bucketPolicy:BucketPolicy").map((p) => [String(p.inputs.bucket), parse(p.inputs.policy, where(p))]),
    );
    for (const b of ofType("aws:s3/bucket:Bucket")) {
      const name = String(b.inputs.bucket ?? b.outputs.bucket);
      const enc = sse.get(name);
      const kmsKey = enc?.kmsMasterKeyId ? this.keyArn(enc.kmsMasterKeyId) : undefined;
      this.buckets.set(name, {
        name,
        arn: String(b.outputs.arn),
        region: asString(b.outputs.region ?? b.inputs.region ?? this.region),
        policy: bucketPolicies.get(name),
        sseAlgorithm: enc?.sseAlgorithm,
        kmsKeyArn: kmsKey,
      });
    }

    const topicPolicies = new Map(
      ofType("aws:sns/topicPolicy:TopicPolicy").map((p) => [String(p.inputs.arn), parse(p.inputs.policy, where(p))]),
    );
    for (const t of ofType("aws:sns/topic:Topic")) {
      const arn = String(t.outputs.arn);
      this.topics.set(arn, {
        name: String(t.outputs.name),
        arn,
        kmsKeyArn: this.keyArn(str(t.outputs.kmsMasterKeyId)),
        policy: topicPolicies.get(arn),
      });
    }
    const queuePolicies = new Map(
      ofType("aws:sqs/queuePolicy:QueuePolicy").map((p) => [String(p.inputs.queueUrl), parse(p.inputs.policy, where(p))]),
    );
    for (const q of ofType("aws:sqs/queue:Queue")) {
      const arn = String(q.outputs.arn);
      const inline = str(q.inputs.policy) ? parse(q.inputs.policy, where(q)) : undefined;
      this.queues.set(arn, {
        name: String(q.outputs.name),
        arn,
        kmsKeyArn: this.keyArn(str(q.outputs.kmsMasterKeyId)),
        policy: queuePolicies.get(String(q.outputs.url)) ?? inline,
      });
    }
    for (const f of ofType("aws:lambda/function:Function")) {
      const arn = String(f.outputs.arn);
      const name = String(f.inputs.name ?? f.outputs.name);
      const vpc = (f.inputs.vpcConfig ?? {}) as { subnetIds?: string[]; securityGroupIds?: string[] };
      const permissions = ofType("aws:lambda/permission:Permission").filter((p) => p.inputs.function === name || p.inputs.function === arn);
      this.functions.set(name, {
        name,
        arn,
        roleArn: String(f.inputs.role),
        kmsKeyArn: this.keyArn(str(f.inputs.kmsKeyArn)),
        deadLetterArn: str((f.inputs.deadLetterConfig as { targetArn?: string } | undefined)?.targetArn),
        subnetIds: vpc.subnetIds ?? [],
        securityGroupIds: vpc.securityGroupIds ?? [],
        policy: { Version: "2012-10-17", Statement: permissions.map((p) => lambdaPermissionStatement(p.inputs, arn)) },
      });
    }
    for (const p of ofType("aws:lambda/permission:Permission")) {
      const fn = String(p.inputs.function);
      if (![...this.functions.values()].some((f) => f.name === fn || f.arn === fn))
        throw new Error(`${where(p)}: permission for ${fn}, not a function of the plan`);
    }
    for (const g of ofType("aws:cloudwatch/logGroup:LogGroup")) {
      const name = String(g.inputs.name);
      this.logGroups.set(name, { name, arn: String(g.outputs.arn).replace(/:\*$/, ""), kmsKeyArn: this.keyArn(str(g.inputs.kmsKeyId)) });
    }
    for (const d of ofType("aws:opensearch/domain:Domain")) {
      const arn = String(d.outputs.arn);
      this.domains.set(arn, {
        name: String(d.inputs.domainName),
        arn,
        policy: str(d.inputs.accessPolicies) ? parse(d.inputs.accessPolicies, where(d)) : undefined,
      });
    }
    for (const p of ofType("aws:cloudwatch/logResourcePolicy:LogResourcePolicy")) {
      this.logResourcePolicies.push({ name: String(p.inputs.policyName), policy: parse(p.inputs.policyDocument, where(p)) });
    }
  }

  /** The key ARN for a key id, key ARN or alias (undefined stays undefined). */
  keyArn(idOrArn: string | undefined): string | undefined {
    if (!idOrArn) return undefined;
    const key = [...this.keys.values()].find((k) => k.arn === idOrArn || k.id === idOrArn || k.aliases.includes(idOrArn));
    return key?.arn ?? idOrArn;
  }

  ofType(type: string): DeploymentResource[] {
    return this.resources.filter((r) => r.type === type);
  }

  /** The role named `name`; throws when the plan has none. */
  role(name: string): RoleEntry {
    const role = this.roles.get(name);
    if (!role) throw new Error(`${this.stack}: no role ${name} in the plan (roles: ${[...this.roles.keys()].join(", ")})`);
    return role;
  }

  bucket(predicate: (name: string) => boolean, what: string): BucketEntry {
    const found = [...this.buckets.values()].filter((b) => predicate(b.name));
    if (found.length !== 1)
      throw new Error(`${this.stack}: expected one ${what} bucket, found ${found.map((b) => b.name).join(", ") || "none"}`);
    return found[0];
  }

  key(logicalName: string): KeyEntry {
    const key = [...this.keys.values()].find((k) => k.logicalName === logicalName);
    if (!key)
      throw new Error(`${this.stack}: no key ${logicalName} (keys: ${[...this.keys.values()].map((k) => k.logicalName).join(", ")})`);
    return key;
  }

  /** The key policy, bucket/topic/queue/function policy or trust policy that governs `resourceArn`. */
  resourcePolicy(resourceArn: string): PolicyDocument | undefined {
    const [, , service, , , rest] = resourceArn.split(":");
    if (service === "kms") return this.keys.get(resourceArn)?.policy;
    if (service === "s3") return this.buckets.get(resourceArn.split(":::")[1].split("/")[0])?.policy;
    if (service === "sns") return this.topics.get(resourceArn)?.policy;
    if (service === "sqs") return this.queues.get(resourceArn)?.policy;
    if (service === "lambda")
      return [...this.functions.values()].find((f) => resourceArn === f.arn || resourceArn.startsWith(`${f.arn}:`))?.policy;
    if (service === "iam" && rest?.startsWith("role/")) return [...this.roles.values()].find((r) => r.arn === resourceArn)?.trust;
    if (service === "es")
      return [...this.domains.values()].find((d) => resourceArn === d.arn || resourceArn.startsWith(`${d.arn}/`))?.policy;
    if (service === "logs") {
      // The statements of every log resource policy that name this log group or stream (CloudWatch Logs evaluates them all).
      const statements = this.logResourcePolicies.flatMap((p) =>
        p.policy.Statement.filter((s) => list(s.Resource).some((r) => arnLike(r, resourceArn))),
      );
      return statements.length > 0 ? { Version: "2012-10-17", Statement: statements } : undefined;
    }
    return undefined;
  }

  /** Every service principal of a trust, key, bucket, topic or queue policy or a Lambda permission, with where it appears. */
  servicePrincipals(): { principal: string; where: string }[] {
    const out: { principal: string; where: string }[] = [];
    const add = (doc: PolicyDocument | undefined, where: string) =>
      servicePrincipals(doc).forEach((principal) => out.push({ principal, where }));
    for (const r of this.roles.values()) add(r.trust, `trust of role ${r.name}`);
    for (const k of this.keys.values()) add(k.policy, `key policy of ${k.logicalName}`);
    for (const b of this.buckets.values()) add(b.policy, `bucket policy of ${b.name}`);
    for (const t of this.topics.values()) add(t.policy, `topic policy of ${t.name}`);
    for (const q of this.queues.values()) add(q.policy, `queue policy of ${q.name}`);
    for (const f of this.functions.values()) add(f.policy, `Lambda permissions of ${f.name}`);
    for (const d of this.domains.values()) add(d.policy, `access policy of domain ${d.name}`);
    for (const p of this.logResourcePolicies) add(p.policy, `log resource policy ${p.name}`);
    return out;
  }

  arnsOf(type: string): NamedArn[] {
    return this.ofType(type).map((r) => ({ name: asString(r.inputs.name ?? r.id), arn: asString(r.outputs.arn) }));
  }
}
