// Specs of the wafv2-managed-rule-groups policy (./wafv2-managed-rule-groups.ts).

import { UNKNOWN_ARRAY } from "../lib/unknown";
import { wafv2ManagedRuleGroups } from "./wafv2-managed-rule-groups";
import { set } from "../../test-support/builder";
import { Platform } from "../../test-support/platform";
import { policySuite } from "../../test-support/suite";

const acl = (p: Platform) => p.find("aws:wafv2/webAcl:WebAcl");

describe("wafv2", () => {
  policySuite(wafv2ManagedRuleGroups, {
    env: "prod",
    cases: [
      {
        name: "managed rule group in count mode in prod",
        mutate: (p) => set(acl(p), "rules.0.overrideAction", { count: {} }),
        expect: { violation: "web-acl", message: /count mode/ },
      },
      {
        name: "count mode allowed in dev",
        env: "dev",
        mutate: (p) => set(acl(p), "rules.0.overrideAction", { count: {} }),
        expect: "clean",
      },
      {
        name: "rule group without overrideAction",
        mutate: (p) => {
          set(acl(p), "rules.0.overrideAction", undefined);
          set(acl(p), "rules.0.action", { block: {} });
        },
        expect: { violation: "web-acl", message: /without overrideAction/ },
      },
      {
        name: "no managed rule group at all",
        mutate: (p) => set(acl(p), "rules", [(acl(p).inputs.rules as unknown[])[1]]),
        expect: { violation: "web-acl", message: /no managed rule group/ },
      },
      {
        name: "required managed group missing",
        config: { "wafv2-managed-rule-groups": { requiredManagedRuleGroups: ["AWSManagedRulesKnownBadInputsRuleSet"] } },
        expect: { violation: "web-acl", message: /KnownBadInputs/ },
      },
      {
        name: "rules given as ruleJson",
        mutate: (p) => {
          set(acl(p), "rules", undefined);
          set(
            acl(p),
            "ruleJson",
            JSON.stringify([
              {
                Name: "common",
                Priority: 1,
                OverrideAction: { Count: {} },
                Statement: { ManagedRuleGroupStatement: { VendorName: "AWS", Name: "AWSManagedRulesCommonRuleSet" } },
              },
            ]),
          );
        },
        expect: { violation: "web-acl", message: /count mode/ },
      },
      { name: "preview: rules unknown -> can't run", mutate: (p) => set(acl(p), "rules", UNKNOWN_ARRAY), expect: "unknown" },
    ],
  });
});
