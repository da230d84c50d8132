/** The account guardrails (enableAccountGuardrails): AWS Config records and delivers, GuardDuty is enabled. */
import {
  ConfigServiceClient,
  DescribeConfigurationRecorderStatusCommand,
  DescribeDeliveryChannelStatusCommand,
} from "@aws-sdk/client-config-service";
import { GetDetectorCommand, GuardDutyClient, ListDetectorsCommand } from "@aws-sdk/client-guardduty";
import type { Check } from "./check";
import { optionalOutput } from "./outputs";

/**
 * Only a stack with the guardrails exports `buckets.awsConfig` (index.ts). Config: the recorder is
 * recording and its last status is not Failure
 * (https://docs.aws.amazon.com/config/latest/APIReference/API_ConfigurationRecorderStatus.html); the
 * delivery channel's last history and snapshot deliveries did not fail
 * (https://docs.aws.amazon.com/config/latest/APIReference/API_DeliveryChannelStatus.html). GuardDuty:
 * the region's detector is ENABLED (https://docs.aws.amazon.com/guardduty/latest/APIReference/API_GetDetector.html).
 */
export const guardrailsCheck: Check = {
  id: "guardrails",
  title: "AWS Config records and delivers; GuardDuty is enabled (when the guardrails are on)",
  citation: "164.308(a)(8) Evaluation; 164.308(a)(1)(ii)(D) Information system activity review",
  rows: [
    "config:assume-role",
    "config role:s3:PutObject",
    "config service:s3:PutObject",
    "config role:s3:PutObjectAcl (not a delivery call)",
  ],
  async run(ctx) {
    if (typeof optionalOutput(ctx.outputs, "buckets.awsConfig") !== "string") {
      return { status: "skipped", detail: "the guardrails are off for this stack (no buckets.awsConfig output)" };
    }
    const cfg = ctx.aws.client(ConfigServiceClient);
    const recorders = await ctx.aws.call("config:DescribeConfigurationRecorderStatus", (abortSignal) =>
      cfg.send(new DescribeConfigurationRecorderStatusCommand({}), { abortSignal }),
    );
    const channels = await ctx.aws.call("config:DescribeDeliveryChannelStatus", (abortSignal) =>
      cfg.send(new DescribeDeliveryChannelStatusCommand({}), { abortSignal }),
    );
    const gd = ctx.aws.client(GuardDutyClient);
    const detectors = await ctx.aws.call("guardduty:ListDetectors", (abortSignal) =>
      gd.send(new ListDetectorsCommand({}), { abortSignal }),
    );
    const problems: string[] = [];
    const list = recorders.ConfigurationRecordersStatus ?? [];
    if (list.length === 0) problems.push("no Config recorder in the region");
    for (const r of list) {
      if (r.recording !== true) problems.push(`recorder ${r.name} is not recording`);
      if (r.lastStatus === "Failure") problems.push(`recorder ${r.name} last status Failure (${r.lastErrorCode ?? "no code"})`);
    }
    for (const c of channels.DeliveryChannelsStatus ?? []) {
      for (const [what, info] of [
        ["history", c.configHistoryDeliveryInfo],
        ["snapshot", c.configSnapshotDeliveryInfo],
      ] as const) {
        if (info?.lastStatus === "Failure")
          problems.push(`delivery channel ${c.name} ${what} delivery failed (${info.lastErrorCode ?? "no code"})`);
      }
    }
    const ids = detectors.DetectorIds ?? [];
    if (ids.length === 0) problems.push("no GuardDuty detector in the region");
    for (const id of ids) {
      const d = await ctx.aws.call("guardduty:GetDetector", (abortSignal) =>
        gd.send(new GetDetectorCommand({ DetectorId: id }), { abortSignal }),
      );
      if (d.Status !== "ENABLED") problems.push(`GuardDuty detector ${id} is ${d.Status ?? "in no status"}`);
    }
    if (problems.length > 0) {
      return {
        status: "fail",
        detail: problems.join("; "),
        lookAt: "the Config console (recorder, delivery channel: the error code names the bucket or role), GuardDuty's settings",
      };
    }
    return {
      status: "pass",
      detail: `${list.length} Config recorder recording, deliveries without failure; ${ids.length} GuardDuty detector enabled`,
    };
  },
};
