/**
 * What every part of the network is built with: the component that parents each resource (so URNs
 * stay those of {@link Network}'s children), its name, the Name-tagged tag set and the AZs used.
 */
import * as pulumi from "@pulumi/pulumi";

export interface NetworkContext {
  /** The component's name: every resource's name starts with it. */
  readonly name: string;
  /** The Network component: the parent of every resource. */
  readonly component: pulumi.ComponentResource;
  readonly stack: string;
  /** The platform tags with a `Name` from these parts. */
  readonly tagged: (...nameParts: pulumi.Input<string>[]) => Record<string, pulumi.Input<string>>;
  readonly azIndexes: readonly number[];
  /** The name of the i-th AZ used. */
  readonly azName: (i: number) => pulumi.Output<string>;
}
