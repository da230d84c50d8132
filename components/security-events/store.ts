/**
 * The authorization store of the security-event pipeline: who may access which PHI, as DynamoDB
 * items the authorizer reads with BatchGetItem, and the incident throttle it writes.
 *
 * Grants are declared in stack config (`accessGrants`, reviewed as code) and materialized here as
 * one item per (principal, bucket); the platform's own roles are granted by construction (the
 * caller passes them). Changing a grant is a `pulumi up`, so every change is in version control and
 * in CloudTrail (DynamoDB PutItem by the deployer).
 *
 * HIPAA Security Rule: 164.308(a)(4) information access management (authorized access, reviewed),
 * 164.312(b) audit controls.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AccessGrant, PhiBucketPurpose, PlatformConfig, StackContext } from "../config";
import { physicalName } from "../lib/naming";
import { statefulOptions } from "../lib/stateful";
import { platformTags } from "../lib/tags";
import {
  GRANTS_TABLE_ATTRIBUTES,
  GrantDeclaration,
  groupGrants,
  renderGrantItem,
  THROTTLE_TABLE_ATTRIBUTES,
  type Access,
} from "../../lambda/authorizer/contract";

/** A grant of the platform itself: one of its roles on one of its PHI buckets (known only once the role exists). */
export interface PlatformGrant {
  /**
   * Who holds it, as a stable name (`data-processor`, `firehose`): one table item per (holder,
   * bucket), whatever the number of its grants there, and the item's logical name. The principal's
   * ARN is only known at deploy time, so it cannot serve as the key here.
   */
  readonly holder: string;
  readonly principal: pulumi.Input<string>;
  readonly bucket: PhiBucketPurpose;
  readonly prefix: string;
  readonly access: readonly Access[];
  /** Why the platform needs it (shown nowhere but here and in the spec). */
  readonly reason: string;
}

/**
 * The grants of a replicated bucket: replication reads each new version as its role and writes the
 * replica; CloudTrail may show the replica writes as the S3 service itself (AWSService), so both are
 * granted. None when the bucket does not replicate (`role` undefined).
 */
export function replicationGrants(replication: {
  /** Stable holder name of the replication role (`phi-replication`). */
  readonly holder: string;
  /** The replication role's ARN; undefined when the bucket does not replicate. */
  readonly role: pulumi.Input<string> | undefined;
  readonly source: PhiBucketPurpose;
  readonly replica: PhiBucketPurpose;
  /** Why the role reads the source, and why it writes the replica. */
  readonly reasons: readonly [read: string, write: string];
}): PlatformGrant[] {
  const { holder, role, source, replica, reasons } = replication;
  if (role === undefined) return [];
  return [
    { holder, principal: role, bucket: source, prefix: "", access: ["read"], reason: reasons[0] },
    { holder, principal: role, bucket: replica, prefix: "", access: ["write"], reason: reasons[1] },
    {
      holder: "s3-replication",
      principal: "s3.amazonaws.com",
      bucket: replica,
      prefix: "",
      access: ["write"],
      reason: "S3 replication as the service",
    },
  ];
}

/** One item of the grants table: a principal on a bucket, by key only (the values resolve later). */
interface ItemKey {
  readonly principal: pulumi.Input<string>;
  readonly bucket: PhiBucketPurpose;
  /** Stable logical-name part: the config index or the platform grant's position. */
  readonly id: string;
}

/** Declared grants expanded to the authorizer's form: one declaration per access kind. */
export function declarationsOf(
  grants: readonly AccessGrant[],
  bucketNames: Readonly<Partial<Record<PhiBucketPurpose, string>>>,
): GrantDeclaration[] {
  return grants.flatMap((g) =>
    g.access.map((access) => ({
      principal: g.principal,
      bucket: bucketNames[g.bucket] ?? "",
      prefix: g.prefix,
      access,
      // The authorizer compares ISO-8601 UTC times; a date grants through its last day.
      ...(g.expiresAt === undefined ? {} : { expiresAt: g.expiresAt.includes("T") ? g.expiresAt : `${g.expiresAt}T23:59:59Z` }),
    })),
  );
}

export interface AuthorizationStoreArgs {
  /** The stack's validated config: its grants (`accessGrants`), protection and tags. */
  readonly config: StackContext & Pick<PlatformConfig, "accessGrants">;
  /** The pipeline key: both tables are encrypted with it. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /**
   * Names of the stack's PHI buckets, by purpose (a grant names a purpose; the item names the
   * bucket). A grant on a purpose the stack does not have (phi-replica without a recovery region)
   * is refused.
   */
  readonly bucketNames: Partial<Record<PhiBucketPurpose, pulumi.Input<string>>>;
  /** The platform's own roles, granted by construction. @default none */
  readonly platformGrants?: readonly PlatformGrant[];
}

/** The grants table (with its items) and the incident throttle table. */
export class AuthorizationStore extends pulumi.ComponentResource {
  readonly grantsTableName: pulumi.Output<string>;
  readonly grantsTableArn: pulumi.Output<string>;
  readonly throttleTableName: pulumi.Output<string>;
  readonly throttleTableArn: pulumi.Output<string>;

  constructor(name: string, args: AuthorizationStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    const { config } = args;
    const problems = config.accessGrants
      .map((g, i) => (args.bucketNames[g.bucket] === undefined ? i : -1))
      .filter((i) => i >= 0)
      .map(
        (i) =>
          `accessGrants[${i}].bucket ${config.accessGrants[i].bucket} does not exist in this stack ` +
          `(its PHI buckets: ${Object.keys(args.bucketNames).join(", ")}); phi-replica exists only with a recoveryRegion`,
      );
    if (problems.length > 0) throw new Error(`AuthorizationStore ${name}: ${problems.join("; ")}`);
    super("healthcare:security-events:AuthorizationStore", name, {}, opts);
    const stateful = statefulOptions(this, config.protectData);
    const tags = (purpose: string) => platformTags(config, { dataClassification: "Confidential", purpose });
    const encryption = { enabled: true, kmsKeyArn: args.kmsKeyArn };

    const grants = new aws.dynamodb.Table(
      `${name}-grants`,
      {
        name: physicalName(config.stack, "dynamoTable", "access-grants"),
        billingMode: "PAY_PER_REQUEST",
        hashKey: GRANTS_TABLE_ATTRIBUTES.hashKey,
        rangeKey: GRANTS_TABLE_ATTRIBUTES.rangeKey,
        attributes: GRANTS_TABLE_ATTRIBUTES.attributes.map((a) => ({ name: a.name, type: a.type })),
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: encryption,
        deletionProtectionEnabled: config.protectData,
        tags: tags("access-grants"),
      },
      stateful,
    );
    const throttle = new aws.dynamodb.Table(
      `${name}-incident-throttle`,
      {
        name: physicalName(config.stack, "dynamoTable", "incident-throttle"),
        billingMode: "PAY_PER_REQUEST",
        hashKey: THROTTLE_TABLE_ATTRIBUTES.hashKey,
        attributes: THROTTLE_TABLE_ATTRIBUTES.attributes.map((a) => ({ name: a.name, type: a.type })),
        ttl: { attributeName: THROTTLE_TABLE_ATTRIBUTES.ttl.attributeName, enabled: true },
        serverSideEncryption: encryption,
        pointInTimeRecovery: { enabled: true },
        deletionProtectionEnabled: config.protectData,
        tags: tags("incident-throttle"),
      },
      stateful,
    );

    // One item per (principal, bucket). Keys are known now (the config and the platform's roles), the
    // item bodies once the bucket names and role ARNs resolve; the authorizer's own grouping validates them.
    const keys: ItemKey[] = [];
    const seen = new Set<string>();
    config.accessGrants.forEach((g, i) => {
      const id = `${g.principal} ${g.bucket}`;
      if (seen.has(id)) return;
      seen.add(id);
      keys.push({ principal: g.principal, bucket: g.bucket, id: `grant-${i}` });
    });
    for (const g of args.platformGrants ?? []) {
      const id = `platform-${g.holder}`;
      if (seen.has(`${id} ${g.bucket}`)) continue;
      seen.add(`${id} ${g.bucket}`);
      keys.push({ principal: g.principal, bucket: g.bucket, id });
    }

    const platformPrincipals = pulumi.all((args.platformGrants ?? []).map((g) => pulumi.output(g.principal)));
    const bucketNames = pulumi.output(args.bucketNames) as pulumi.Output<Partial<Record<PhiBucketPurpose, string>>>;
    for (const key of keys) {
      const body = pulumi
        .all([bucketNames, pulumi.output(key.principal), platformPrincipals])
        .apply(([names, principal, platformPrincipalArns]) => {
          const declared = declarationsOf(config.accessGrants, names);
          const platform = (args.platformGrants ?? []).flatMap((g, i) =>
            g.access.map((access) => ({ principal: platformPrincipalArns[i], bucket: names[g.bucket] ?? "", prefix: g.prefix, access })),
          );
          const item = groupGrants(
            [...declared, ...platform],
            Object.values(names).filter((n): n is string => n !== undefined),
          ).find((it) => it.principal === principal && it.bucket === names[key.bucket]);
          if (item === undefined)
            throw new Error(`AuthorizationStore ${name}: no grants for ${key.id} (a bug: every key comes from a grant)`);
          return renderGrantItem(item);
        });
      new aws.dynamodb.TableItem(
        `${name}-${key.id}-${key.bucket}`,
        { tableName: grants.name, hashKey: grants.hashKey, rangeKey: grants.rangeKey.apply((k) => k ?? ""), item: body },
        { parent: this },
      );
    }

    this.grantsTableName = grants.name;
    this.grantsTableArn = grants.arn;
    this.throttleTableName = throttle.name;
    this.throttleTableArn = throttle.arn;
    this.registerOutputs({ grantsTableName: this.grantsTableName, throttleTableName: this.throttleTableName });
  }
}
