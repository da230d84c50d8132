/**
 * What every part of the security-event pipeline is built with: the component that parents each
 * resource (so URNs stay those of {@link SecurityEvents}'s children), its arguments, and the account,
 * region and partition it runs in.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PolicyCondition } from "../lib/service-role";
import type { Tags } from "../lib/tags";
import type { SecurityEventsWiring } from "./index";

/** What a part of a component is built with: the component that parents each resource, its arguments, and the account, region and partition it runs in. */
export interface PartContext<Args> {
  /** The component's name: every resource's name starts with it. */
  readonly name: string;
  /** The component: the parent of every resource. */
  readonly component: pulumi.ComponentResource;
  readonly args: Args;
  readonly stack: string;
  /** The PHI tags of a part, by purpose. */
  readonly tags: (purpose: string) => Tags;
  readonly accountId: pulumi.Output<string>;
  readonly region: pulumi.Output<aws.GetRegionResult>;
  readonly partition: pulumi.Output<aws.GetPartitionResult>;
  /** kms:ViaService bound to these services of the region. */
  readonly via: (services: readonly string[]) => pulumi.Input<PolicyCondition>;
}

/** The security-event pipeline's parts: children of {@link SecurityEvents}. */
export type PipelineContext = PartContext<SecurityEventsWiring>;
