import { hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { T } from "../lib/types";
import { get, isRec, list, parseDoc, str } from "../lib/util";

interface RuleView {
  name: string;
  groupStatement: boolean;
  managedGroup: string | undefined;
  hasAction: boolean;
  override: "none" | "count" | "missing";
}

function overrideOf(v: unknown): RuleView["override"] {
  if (!isRec(v)) {
    return "missing";
  }
  if (get(v, "count") !== undefined || get(v, "Count") !== undefined) {
    return "count";
  }
  return get(v, "none") !== undefined || get(v, "None") !== undefined ? "none" : "missing";
}

/** Rules from `rules` (camelCase) or `ruleJson` (the WAF API's PascalCase JSON). */
function rulesOf(props: Record<string, unknown>): RuleView[] {
  const fromArgs = list(get(props, "rules")).map((r) => {
    const statement = get(r, "statement");
    const managed = get(statement, "managedRuleGroupStatement");
    return {
      name: str(get(r, "name")) ?? "",
      groupStatement: managed !== undefined || get(statement, "ruleGroupReferenceStatement") !== undefined,
      managedGroup: managed !== undefined ? str(get(managed, "name")) : undefined,
      hasAction: isRec(get(r, "action")),
      override: overrideOf(get(r, "overrideAction")),
    };
  });
  const json = get(props, "ruleJson");
  let fromJson: RuleView[] = [];
  if (typeof json === "string" && json.trim() !== "") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      parsed = undefined;
    }
    fromJson = list(parsed ?? parseDoc(json))
      .filter(isRec)
      .map((r) => {
        const statement = r.Statement;
        const managed = get(statement, "ManagedRuleGroupStatement");
        return {
          name: str(r.Name) ?? "",
          groupStatement: managed !== undefined || get(statement, "RuleGroupReferenceStatement") !== undefined,
          managedGroup: managed !== undefined ? str(get(managed, "Name")) : undefined,
          hasAction: isRec(r.Action),
          override: overrideOf(r.OverrideAction),
        };
      });
  }
  return [...fromArgs, ...fromJson];
}

export const wafv2ManagedRuleGroups = resourcePolicy<{ requiredManagedRuleGroups: string[] }>({
  name: "wafv2-managed-rule-groups",
  description: "Web ACLs apply managed rule groups through `overrideAction: { none: {} }` (blocking), never left in count mode in prod.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa("164.312(e)(1)", "164.308(a)(1)(ii)(B)", "164.308(a)(5)(ii)(B)"),
  resourceTypes: [T.webAcl],
  environmentAware: true,
  config: {
    requiredManagedRuleGroups: {
      type: "array",
      items: { type: "string" },
      default: [],
      description: "Managed rule groups every web ACL must include (e.g. AWSManagedRulesCommonRuleSet).",
    },
  },
  remediationSteps:
    "Reference managed rule groups in `rules[].statement.managedRuleGroupStatement` with " +
    "`overrideAction: { none: {} }` (not `action`, and not `count` outside a dev trial).",
  validate: (ctx, report) => {
    const rules = rulesOf(ctx.props);
    const groups = rules.filter((r) => r.groupStatement);
    if (groups.length === 0) {
      report("The web ACL applies no managed rule group: it only filters what its own rules match.");
    }
    for (const r of groups) {
      if (r.override === "missing") {
        report(`Rule "${r.name}" references a rule group without overrideAction (rule groups take overrideAction, not action).`);
      } else if (r.override === "count" && ctx.isProd()) {
        report(`Rule "${r.name}" runs its rule group in count mode (overrideAction count): nothing is blocked in ${ctx.env()}.`);
      }
    }
    const present = new Set(groups.map((g) => g.managedGroup).filter((n): n is string => !!n));
    const missing = ctx.config.requiredManagedRuleGroups.filter((g) => !present.has(g));
    if (missing.length > 0) {
      report(`The web ACL does not include the required managed rule group(s) ${missing.join(", ")}.`);
    }
  },
});
