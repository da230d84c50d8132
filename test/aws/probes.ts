/**
 * Dangerous calls each role of a plan must be denied: another bucket's objects, another key,
 * deleting object versions, changing bucket and key policies, passing or assuming roles, writing
 * into another log group (the CloudTrail log group above all: it feeds the CIS alarms), stopping
 * the trail, scheduling key deletion. Built from the plan and the role's own behaviour rows: what a
 * row of the role needs is never probed.
 */
import type { Row } from "./behaviour";
import type { PolicyIndex } from "./policy-index";
import type { Call } from "./simulate";

export interface Probe extends Call {
  readonly id: string;
}

const TLS = { "aws:SecureTransport": "true" };

export function probesFor(ix: PolicyIndex, roleName: string, rows: readonly Row[]): Probe[] {
  const own = rows.filter((r) => "role" in r.caller && r.caller.role === roleName);
  const used = (arn: string) => own.some((r) => r.resource === arn || r.resource.startsWith(`${arn}/`));
  const caller = { role: roleName };
  const probes: Probe[] = [];
  const add = (id: string, action: string, resource: string, context: Record<string, string> = {}) =>
    probes.push({ id: `${roleName}: ${id}`, caller, action, resource, context: { ...TLS, ...context } });

  for (const b of ix.buckets.values()) {
    if (!used(b.arn)) {
      add(`reads another bucket's objects (${b.name})`, "s3:GetObject", `${b.arn}/probe.json`);
      add(`writes another bucket's objects (${b.name})`, "s3:PutObject", `${b.arn}/probe.json`);
    }
    add(`deletes object versions in ${b.name}`, "s3:DeleteObjectVersion", `${b.arn}/probe.json`);
    add(`changes the bucket policy of ${b.name}`, "s3:PutBucketPolicy", b.arn);
  }
  for (const k of ix.keys.values()) {
    const viaS3 = { "kms:ViaService": `s3.${k.region}.amazonaws.com`, "kms:CallerAccount": ix.account };
    if (!used(k.arn)) add(`decrypts with another key (${k.logicalName})`, "kms:Decrypt", k.arn, viaS3);
    add(`schedules deletion of ${k.logicalName}`, "kms:ScheduleKeyDeletion", k.arn);
    add(`changes the key policy of ${k.logicalName}`, "kms:PutKeyPolicy", k.arn);
  }
  for (const r of ix.roles.values()) {
    add(`passes role ${r.name}`, "iam:PassRole", r.arn);
    if (r.name !== roleName) add(`assumes role ${r.name}`, "sts:AssumeRole", r.arn);
  }
  add("attaches a policy to itself", "iam:AttachRolePolicy", ix.role(roleName).arn);
  const trail = ix.ofType("aws:cloudtrail/trail:Trail")[0];
  if (trail) {
    add("stops the trail", "cloudtrail:StopLogging", String(trail.outputs.arn));
    add("deletes the trail", "cloudtrail:DeleteTrail", String(trail.outputs.arn));
  }
  for (const g of ix.logGroups.values()) {
    const stream = `${g.arn}:log-stream:probe`;
    if (!own.some((r) => r.resource.startsWith(`${g.arn}:`) || r.resource === g.arn)) {
      add(`writes into log group ${g.name}`, "logs:PutLogEvents", stream);
      add(`creates a stream in log group ${g.name}`, "logs:CreateLogStream", stream);
    }
    add(`deletes log group ${g.name}`, "logs:DeleteLogGroup", g.arn);
  }
  return probes;
}
