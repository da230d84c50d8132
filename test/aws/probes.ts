/**
 * Dangerous calls each role of a plan must be denied: another bucket's objects, another key,
 * deleting object versions, changing bucket and key policies, passing or assuming roles, writing
 * into another log group (the CloudTrail log group above all: it feeds the CIS alarms), stopping
 * the trail, scheduling key deletion, publishing to a topic it does not publish to. Built from the
 * plan and the role's own behaviour rows: what a row of the role needs is never probed.
 */
import type { Row } from "./behaviour";
import { servicePrincipals, type PolicyIndex } from "./policy-index";
import type { Call } from "./simulate";
import { TLS } from "./row-factory";

export interface Probe extends Call {
  readonly id: string;
}

export function probesFor(ix: PolicyIndex, roleName: string, rows: readonly Row[]): Probe[] {
  const own = rows.filter((r) => "role" in r.caller && r.caller.role === roleName);
  const used = (arn: string) => own.some((r) => r.resource === arn || r.resource.startsWith(`${arn}/`));
  const caller = { role: roleName };
  const probes: Probe[] = [];
  const add = (id: string, action: string, resource: string, context: Record<string, string | string[]> = {}) =>
    probes.push({ id: `${roleName}: ${id}`, caller, action, resource, context: { ...TLS, ...context } });

  for (const b of ix.buckets.values()) {
    if (!used(b.arn)) {
      add(`reads another bucket's objects (${b.name})`, "s3:GetObject", `${b.arn}/probe.json`);
      add(`writes another bucket's objects (${b.name})`, "s3:PutObject", `${b.arn}/probe.json`);
    }
    add(`deletes object versions in ${b.name}`, "s3:DeleteObjectVersion", `${b.arn}/probe.json`);
    if (!own.some((r) => r.action === "s3:DeleteObject" && r.resource.startsWith(`${b.arn}/`)))
      add(`deletes objects in ${b.name}`, "s3:DeleteObject", `${b.arn}/probe.json`);
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
    // A role its own rows assume (the canary's probe role) is needed, not probed.
    const assumesIt = own.some((row) => row.action === "sts:AssumeRole" && row.resource === r.arn);
    if (r.name !== roleName && !assumesIt) add(`assumes role ${r.name}`, "sts:AssumeRole", r.arn);
  }
  for (const r of ix.roles.values()) {
    // Passing a role to the service its trust names is what would make the pass usable.
    for (const service of [...new Set(servicePrincipals(r.trust))]) {
      add(`passes role ${r.name} to ${service}`, "iam:PassRole", r.arn, { "iam:PassedToService": service });
    }
  }
  add("attaches a policy to itself", "iam:AttachRolePolicy", ix.role(roleName).arn);

  // A key the role uses, used outside the services its rows use it through (the PHI key outside DynamoDB), or directly.
  for (const k of ix.keys.values()) {
    if (!used(k.arn)) continue;
    const ownVia = new Set(own.filter((r) => r.resource === k.arn).map((r) => String(r.context["kms:ViaService"] ?? "")));
    const keyVia = new Set(
      k.policy.Statement.flatMap((st) => Object.values(st.Condition ?? {}).flatMap((c) => [c["kms:ViaService"] ?? []].flat())),
    );
    for (const v of [...keyVia].filter((x) => !ownVia.has(x))) {
      add(`decrypts with ${k.logicalName} through ${v.split(".")[0]}`, "kms:Decrypt", k.arn, {
        "kms:ViaService": v,
        "kms:CallerAccount": ix.account,
      });
    }
    add(`decrypts with ${k.logicalName} directly`, "kms:Decrypt", k.arn, { "kms:CallerAccount": ix.account });
    add(`creates a grant on ${k.logicalName} for a principal`, "kms:CreateGrant", k.arn, {
      "kms:CallerAccount": ix.account,
      "kms:GrantIsForAWSResource": "false",
    });
  }

  // SNS: publishing to a topic its rows do not (the canary topic: a forged canary message would hide a broken detection path).
  for (const t of ix.topics.values()) {
    if (!used(t.arn)) add(`publishes to topic ${t.name}`, "sns:Publish", t.arn);
  }

  // AWS Backup: recovery points and vaults are the records' last copy.
  for (const v of ix.ofType("aws:backup/vault:Vault")) {
    const arn = String(v.outputs.arn);
    const name = String(v.inputs.name);
    const [, , , region, account] = arn.split(":");
    const point = `arn:aws:backup:${region}:${account}:recovery-point:0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0`;
    add(`deletes a recovery point (vault ${name})`, "backup:DeleteRecoveryPoint", point);
    add(`shortens a recovery point's lifecycle (vault ${name})`, "backup:UpdateRecoveryPointLifecycle", point);
    add(`restores a recovery point (vault ${name})`, "backup:StartRestoreJob", point);
    add(`changes the access policy of vault ${name}`, "backup:PutBackupVaultAccessPolicy", arn);
    add(`deletes the access policy of vault ${name}`, "backup:DeleteBackupVaultAccessPolicy", arn);
    add(`removes the lock of vault ${name}`, "backup:DeleteBackupVaultLockConfiguration", arn);
    add(`changes the lock of vault ${name}`, "backup:PutBackupVaultLockConfiguration", arn);
    add(`deletes vault ${name}`, "backup:DeleteBackupVault", arn);
  }
  for (const p of ix.ofType("aws:backup/plan:Plan")) {
    // AWS names plans arn:aws:backup:<region>:<account>:backup-plan:<plan id> (the mock cloud's plan ARN has another form).
    const plan = `arn:aws:backup:${ix.region}:${ix.account}:backup-plan:${String(p.id)}`;
    add(`changes backup plan ${String(p.inputs.name)}`, "backup:UpdateBackupPlan", plan);
    add(`deletes backup plan ${String(p.inputs.name)}`, "backup:DeleteBackupPlan", plan);
  }

  // DynamoDB: the audit records themselves.
  for (const t of ix.ofType("aws:dynamodb/table:Table")) {
    const arn = String(t.outputs.arn);
    const reads = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Scan", "dynamodb:Query"];
    for (const action of [...reads, "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem", "dynamodb:DeleteItem"]) {
      if (!own.some((r) => r.action === action && r.resource === arn))
        add(`${action.split(":")[1]} on table ${String(t.inputs.name)}`, action, arn);
    }
    add(`deletes table ${String(t.inputs.name)}`, "dynamodb:DeleteTable", arn);
    // Not probed: dynamodb:DeleteBackup on DynamoDB's own backups, which AWSBackupServiceRolePolicyForBackup grants (lifecycle
    // deletion of backups without advanced DynamoDB backup); the vault's recovery points are probed above.
  }
  // OpenSearch: deleting indices or the domain, changing its configuration (access policy, FGAC master); and, for a role
  // with no HTTP access of its own, reading the events or remapping the security plugin's roles.
  for (const d of ix.domains.values()) {
    add(`deletes an index of domain ${d.name}`, "es:ESHttpDelete", `${d.arn}/security-events-2026-11-01`);
    add(`changes the configuration of domain ${d.name}`, "es:UpdateDomainConfig", d.arn);
    add(`deletes domain ${d.name}`, "es:DeleteDomain", d.arn);
    if (!own.some((r) => r.action.startsWith("es:ESHttp") && r.resource.startsWith(`${d.arn}/`))) {
      add(`searches domain ${d.name}`, "es:ESHttpGet", `${d.arn}/security-events-*/_search`);
      add(`maps a role to all_access on domain ${d.name}`, "es:ESHttpPut", `${d.arn}/_plugins/_security/api/rolesmapping/all_access`);
    }
  }
  for (const s of ix.arnsOf("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream")) {
    add(`redirects stream ${s.name}`, "firehose:UpdateDestination", s.arn);
    add(`deletes stream ${s.name}`, "firehose:DeleteDeliveryStream", s.arn);
  }
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
