import { hipaa } from "../lib/hipaa";
import { registeredPolicyNames, stackPolicy } from "../lib/define";
import { hasValidReason, MIN_REASON_LENGTH } from "../lib/exemptions";
import { EXEMPT_TAG_PREFIX, ownTags } from "../lib/tags";
import { probe, UNKNOWN } from "../lib/util";

export const exemptionRequiresReason = stackPolicy({
  name: "exemption-requires-reason",
  description: "Every `hipaa-exempt:<policy>` tag names an existing policy and gives a written reason.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa("164.316(b)(1)", "164.308(a)(1)(ii)(B)"),
  resourceTypes: [],
  evaluateWhenAbsent: true,
  exemptible: false,
  remediationSteps:
    `Set the tag value to the reason the resource is exempt (at least ${MIN_REASON_LENGTH} characters), ` +
    "or remove the tag; the key must be hipaa-exempt:<policy name>.",
  examines: [
    {
      types: ["*"],
      rule: `resources carrying an exemption tag (${EXEMPT_TAG_PREFIX}<policy>)`,
      where: (r) => Object.keys(ownTags(r.props)).some((k) => k.startsWith(EXEMPT_TAG_PREFIX)),
    },
  ],
  validate: (ctx, report) => {
    const names = new Set(registeredPolicyNames());
    for (const r of ctx.resources) {
      if (probe(r.props, "tags") === UNKNOWN) {
        continue; // no literal exemption tag can hide in an unknown map
      }
      ctx.each([r], () => {
        const tags = ownTags(r.props);
        for (const [key, value] of Object.entries(tags)) {
          if (!key.startsWith(EXEMPT_TAG_PREFIX)) {
            continue;
          }
          const policy = key.slice(EXEMPT_TAG_PREFIX.length);
          if (!names.has(policy) || policy === "exemption-requires-reason") {
            report(r.urn, `The tag ${key} names no exemptible policy of this pack.`);
          } else if (!hasValidReason(value)) {
            report(r.urn, `The exemption tag ${key} has no written reason (at least ${MIN_REASON_LENGTH} characters), so it is ignored.`);
          }
        }
      });
    }
  },
});
