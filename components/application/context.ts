/**
 * What every part of the application tier is built with: the component that parents each resource
 * (so URNs stay those of {@link ApplicationTier}'s children), its arguments, and the account, region
 * and partition it runs in.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Tags } from "../lib/tags";
import type { ApplicationTierWiring } from "./index";

export interface TierContext {
  /** The component's name: every resource's name starts with it. */
  readonly name: string;
  /** The ApplicationTier component: the parent of every resource. */
  readonly component: pulumi.ComponentResource;
  readonly args: ApplicationTierWiring;
  /** Options of what holds data: protected (retainOnDelete) when `protectData`. */
  readonly stateful: pulumi.CustomResourceOptions;
  /** The tags of a part, by purpose and classification. */
  readonly tags: (purpose: string, dataClassification?: "PHI" | "Confidential") => Tags;
  readonly accountId: pulumi.Output<string>;
  readonly region: pulumi.Output<string>;
  readonly partition: pulumi.Output<string>;
}
