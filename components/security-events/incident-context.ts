/**
 * What every part of the incident workflow is built with: the component that parents each resource
 * (so URNs stay those of {@link IncidentWorkflow}'s children), its arguments, the account, region and
 * partition, and the state machine's name and ARN (known before the machine exists).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PolicyCondition } from "../lib/service-role";
import type { Tags } from "../lib/tags";
import type { IncidentWorkflowArgs } from "./incident-workflow";

export interface IncidentContext {
  /** The component's name: every resource's name starts with it. */
  readonly name: string;
  /** The IncidentWorkflow component: the parent of every resource. */
  readonly component: pulumi.ComponentResource;
  readonly args: IncidentWorkflowArgs;
  readonly stack: string;
  /** The PHI tags of a part, by purpose. */
  readonly tags: (purpose: string) => Tags;
  readonly accountId: pulumi.Output<string>;
  readonly region: pulumi.Output<aws.GetRegionResult>;
  readonly partition: pulumi.Output<aws.GetPartitionResult>;
  /** kms:ViaService bound to these services of the region. */
  readonly via: (services: readonly string[]) => pulumi.Input<PolicyCondition>;
  /** The state machine's ARN, from its name. */
  readonly machineArn: pulumi.Output<string>;
}
