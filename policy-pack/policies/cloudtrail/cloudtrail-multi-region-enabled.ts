import { PolicyResource } from "@pulumi/policy";
import { CITES, hipaa } from "../lib/hipaa";
import { stackPolicy } from "../lib/define";
import { T } from "../lib/types";
import { attempt, get, isFalse, isTrue, list, probe, UNKNOWN } from "../lib/util";

function logsManagementEvents(t: PolicyResource): boolean {
  const basic = list(get(t.props, "eventSelectors"));
  const advanced = list(get(t.props, "advancedEventSelectors"));
  if (basic.length === 0 && advanced.length === 0) {
    return true; // the default selector logs all management events
  }
  if (basic.some((s) => !isFalse(get(s, "includeManagementEvents")))) {
    return true;
  }
  return advanced.some((s) =>
    list(get(s, "fieldSelectors")).some((f) => get(f, "field") === "eventCategory" && list(get(f, "equals")).includes("Management")),
  );
}

export const cloudtrailMultiRegionEnabled = stackPolicy<{ managementTrailOutsideStack: boolean }>({
  name: "cloudtrail-multi-region-enabled",
  description:
    "When the stack contains CloudTrail trails, they log, and one is multi-region with management and global service events " +
    "(a stack without a trail is judged by cloudtrail-trail-in-stack).",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.audit, "164.308(a)(1)(ii)(D)", "164.308(a)(5)(ii)(C)"),
  awsConfig: ["cloudtrail-enabled", "multi-region-cloudtrail-enabled"],
  resourceTypes: [T.trail],
  config: {
    managementTrailOutsideStack: {
      type: "boolean",
      default: false,
      description: "An organization trail managed elsewhere records management events; only logging trails in this stack are checked.",
    },
  },
  remediationSteps:
    "Create one aws.cloudtrail.Trail with `isMultiRegionTrail: true`, `includeGlobalServiceEvents: true` " +
    "and management events (the default, or an advanced selector with eventCategory = Management); never set `enableLogging: false`.",
  validate: (ctx, report) => {
    const trails = ctx.ofType([T.trail]);
    ctx.each(trails, (t) => {
      if (isFalse(get(t.props, "enableLogging"))) {
        report(t.urn, "Logging is turned off on this trail (enableLogging: false).");
      }
    });
    if (ctx.config.managementTrailOutsideStack) {
      return;
    }
    let found = false;
    let unknown = false;
    for (const t of trails) {
      const ok = probe(t.props, "isMultiRegionTrail");
      if (ok === UNKNOWN) {
        unknown = true;
        continue;
      }
      const rest = attempt(
        () => !isFalse(get(t.props, "includeGlobalServiceEvents")) && !isFalse(get(t.props, "enableLogging")) && logsManagementEvents(t),
      );
      if (rest === UNKNOWN) {
        unknown = true;
      } else if (isTrue(ok) && rest) {
        found = true;
      }
    }
    if (found) {
      return;
    }
    if (unknown) {
      ctx.undecided([T.trail, "isMultiRegionTrail"]);
      return;
    }
    for (const t of trails) {
      report(
        t.urn,
        "No trail in the stack is multi-region with management and global service events: " +
          "set isMultiRegionTrail: true and includeGlobalServiceEvents: true on this trail.",
      );
    }
  },
});
