import { CITES, hipaa } from "../lib/hipaa";
import { stackPolicy, phiClassificationsSchema } from "../lib/define";
import { BUCKET_TYPES, T } from "../lib/types";
import { probe } from "../lib/util";
import { phiBuckets } from "./lib";

export const cloudtrailTrailInStack = stackPolicy<{ trailOutsideStack: boolean; phiClassifications: string[] }>({
  name: "cloudtrail-trail-in-stack",
  description:
    "The stack contains a logging CloudTrail trail (an absence check: advisory by default, since an organization trail in " +
    "another account may record the stack's activity; a profile that requires the trail in the stack sets it mandatory).",
  severity: "high",
  enforcementLevel: "advisory",
  category: "phi",
  framework: hipaa(...CITES.audit, "164.308(a)(1)(ii)(D)"),
  awsConfig: ["cloudtrail-enabled"],
  resourceTypes: [T.trail],
  relatedTypes: [...BUCKET_TYPES],
  evaluateWhenAbsent: true,
  absence: true,
  config: {
    trailOutsideStack: {
      type: "boolean",
      default: false,
      description:
        "A trail outside this stack (an organization trail) records management events and the data events of this stack's PHI buckets.",
    },
    phiClassifications: phiClassificationsSchema(
      "DataClassification values of buckets named in the message when no trail is in the stack.",
    ),
  },
  remediationSteps:
    "Add an aws.cloudtrail.Trail (multi-region, management events, S3 data events for each PHI bucket), or declare the " +
    "trail that lives elsewhere: set `trailOutsideStack: true` in this policy's config (and `managementTrailOutsideStack` / " +
    "`dataEventsTrailOutsideStack` for the trail policies) in the policy group's config.",
  examines: [
    {
      rule: "the stack's trails, unless trailOutsideStack says a trail elsewhere records it",
      where: (_t, ctx) => !ctx.config.trailOutsideStack,
    },
  ],
  validate: (ctx, report) => {
    if (ctx.config.trailOutsideStack) {
      return;
    }
    const trails = ctx.ofType([T.trail]);
    if (trails.some((t) => probe(t.props, "enableLogging") !== false)) {
      return;
    }
    const phi = phiBuckets(ctx.resources, (b) => ctx.tags(b), ctx.config.phiClassifications);
    report(
      ctx.stackUrn,
      "The stack has no logging CloudTrail trail" +
        (phi.length > 0 ? ` although it holds ${phi.length} PHI bucket${phi.length === 1 ? "" : "s"}` : "") +
        ". If an organization trail in another stack or account records this account, declare it with trailOutsideStack: true " +
        "in this policy's config; otherwise add a trail.",
    );
  },
});
