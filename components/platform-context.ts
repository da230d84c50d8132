/**
 * The platform context: what every component after the alert topic receives from the composition
 * root as one object, instead of the same config, key ARNs, access-log bucket and alert topic passed
 * one by one (issue 19, section 3). Components unpack it once at their boundary; their internal
 * builders keep taking narrow arguments.
 *
 * Built once in index.ts after the alert topic (it needs the topic's ARN). What is built before the
 * topic (the keys, Network, SecurityAlerts, the access-log bucket) keeps its narrow arguments.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "./config";
import type { KeyPurpose } from "./encryption";
import type { PrimaryKeys } from "./key-set";

/** The ARN of each primary-region key, by purpose (what components pass to `kmsKeyId`/`kmsKeyArn` inputs). */
export type KeyArns = { readonly [P in KeyPurpose]: pulumi.Input<string> };

export interface PlatformContext {
  /** The stack's validated configuration (components/config.ts). */
  readonly config: PlatformConfig;
  /**
   * The primary region's customer-managed key ARNs, by purpose: `phi` (PHI at rest), `audit` (logs,
   * trail, alert topic), `pipeline` (the security-event pipeline and the Glue Data Catalog), `backup`
   * (the vault). From the {@link PrimaryKeys} key set, each present.
   */
  readonly keyArns: KeyArns;
  /** Name of the bucket that receives every bucket's S3 server access logs. */
  readonly accessLogBucket: pulumi.Input<string>;
  /** ARN of the security-alerts SNS topic (encrypted with the `audit` key) alarms and functions publish to. */
  readonly alertTopicArn: pulumi.Input<string>;
}

/** The context of a stack from its config, primary key set, access-log bucket name and alert topic ARN. */
export function platformContext(args: {
  readonly config: PlatformConfig;
  readonly keys: PrimaryKeys;
  readonly accessLogBucket: pulumi.Input<string>;
  readonly alertTopicArn: pulumi.Input<string>;
}): PlatformContext {
  const { keys } = args;
  const keyArns: KeyArns = { phi: keys.phi.arn, audit: keys.audit.arn, pipeline: keys.pipeline.arn, backup: keys.backup.arn };
  return Object.freeze({
    config: args.config,
    keyArns: Object.freeze(keyArns),
    accessLogBucket: args.accessLogBucket,
    alertTopicArn: args.alertTopicArn,
  });
}

/**
 * What every component unpacks from the context at its boundary, in the names its builders take:
 * config, the audit key (logs, alarms, the alert topic), the access-log bucket and the alert topic.
 * A component adds the data keys it uses (`phiKeyArn`, `pipelineKeyArn`) beside it.
 */
export function platformWiring(platform: PlatformContext): {
  readonly config: PlatformConfig;
  readonly auditKeyArn: pulumi.Input<string>;
  readonly accessLogBucket: pulumi.Input<string>;
  readonly alertTopicArn: pulumi.Input<string>;
} {
  return {
    config: platform.config,
    auditKeyArn: platform.keyArns.audit,
    accessLogBucket: platform.accessLogBucket,
    alertTopicArn: platform.alertTopicArn,
  };
}
