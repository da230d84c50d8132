/**
 * Who may access PHI, and the incident throttle: the authorization store with the declared grants
 * and the pipeline's own roles' grants, given by construction.
 */
import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../lib/naming";
import type { SecureBucket } from "../lib/secure-bucket";
import { vpcFunctionNames } from "../lib/vpc-function";
import type { PipelineContext } from "./context";
import { INCIDENT_REPORT_FUNCTION_PURPOSE } from "./incident-report";
import { REPORT_PURPOSE } from "./incident-workflow";
import { AuthorizationStore } from "./store";

/** The archive's purpose (bucket name part, tags, and the purpose grants name it by). */
export const ARCHIVE_PURPOSE = "security-events";

/** The authorization store, and the role names its grants name before the roles exist. */
export interface PipelineAccess {
  readonly store: AuthorizationStore;
  /** The delivery stream's role (granted the archive). */
  readonly streamRoleName: string;
  /** The incident workflow's state machine role (granted the archive's events and results). */
  readonly incidentRoleName: string;
}

/** The incident workflow's state machine role's physical name (the canary's topic lets only it publish). */
export function incidentWorkflowRoleName(stack: string): string {
  return physicalName(stack, "iamRole", "incident-workflow");
}

export function createAccessStore(ctx: PipelineContext, reportBucket: SecureBucket): PipelineAccess {
  const { name, component, args, stack, accountId, partition } = ctx;
  const { config } = args;
  const parent = { parent: component };
  // --- Who may access PHI, and the incident throttle -----------------------------------------
  // The stream's own archive writes are PHI access too: its role is granted by construction (its
  // ARN is known before the role exists: the role's name is).
  const streamRoleName = physicalName(stack, "iamRole", "firehose-security-events");
  const streamRoleArn = pulumi.interpolate`arn:${partition.partition}:iam::${accountId}:role/${streamRoleName}`;
  // The incident workflow's roles touch PHI too: Athena reads the archive and writes its results with
  // the state machine's credentials, the report function writes the reports, and Macie reads the PHI
  // bucket as its service-linked role. Ungranted, each would open an incident of its own (a loop).
  const roleArn = (roleName: string) => pulumi.interpolate`arn:${partition.partition}:iam::${accountId}:role/${roleName}`;
  const incidentRoleName = incidentWorkflowRoleName(stack);
  const reportRoleName = vpcFunctionNames(stack, INCIDENT_REPORT_FUNCTION_PURPOSE).roleName;
  // https://docs.aws.amazon.com/macie/latest/user/service-linked-roles.html
  const macieRoleArn = roleArn("aws-service-role/macie.amazonaws.com/AWSServiceRoleForAmazonMacie");
  const store = new AuthorizationStore(
    `${name}-store`,
    {
      config,
      kmsKeyArn: args.pipelineKeyArn,
      bucketNames: { ...args.phiBucketNames, [REPORT_PURPOSE]: reportBucket.bucketName },
      platformGrants: [
        ...(args.platformGrants ?? []),
        {
          holder: "firehose",
          principal: streamRoleArn,
          bucket: ARCHIVE_PURPOSE,
          prefix: "",
          access: ["read", "write"],
          reason: "Firehose writes the archive (and reads its multipart uploads)",
        },
        {
          holder: "incident-workflow",
          principal: roleArn(incidentRoleName),
          bucket: ARCHIVE_PURPOSE,
          prefix: "events/",
          access: ["read"],
          reason: "Athena reads the archive for an incident",
        },
        {
          holder: "incident-workflow",
          principal: roleArn(incidentRoleName),
          bucket: ARCHIVE_PURPOSE,
          prefix: "results/",
          access: ["read", "write"],
          reason: "Athena writes query results",
        },
        {
          holder: "incident-report",
          principal: roleArn(reportRoleName),
          bucket: REPORT_PURPOSE,
          prefix: "reports/",
          access: ["read", "write"],
          reason: "writes (and finds) incident reports",
        },
        ...(args.phiBucketNames["phi-data"] === undefined
          ? []
          : [
              {
                holder: "macie",
                principal: macieRoleArn,
                bucket: "phi-data" as const,
                prefix: "",
                access: ["read" as const],
                reason: "Macie classifies the PHI bucket for an incident",
              },
            ]),
      ],
    },
    parent,
  );
  return { store, streamRoleName, incidentRoleName };
}
