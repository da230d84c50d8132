/**
 * What every part of the incident workflow is built with: the component that parents each resource
 * (so URNs stay those of {@link IncidentWorkflow}'s children), its arguments, the account, region and
 * partition, and the state machine's name and ARN (known before the machine exists).
 */
import type * as pulumi from "@pulumi/pulumi";
import type { PartContext } from "./context";
import type { IncidentWorkflowArgs } from "./incident-workflow";

export interface IncidentContext extends PartContext<IncidentWorkflowArgs> {
  /** The state machine's ARN, from its name. */
  readonly machineArn: pulumi.Output<string>;
}
