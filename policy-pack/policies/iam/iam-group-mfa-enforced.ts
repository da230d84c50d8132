import { PolicyResource } from "@pulumi/policy";
import { hipaa } from "../lib/hipaa";
import { stackPolicy } from "../lib/define";
import { allActions, isAllow, onAllResources, Statement, statementsOf } from "../lib/iamdoc";
import { companionsOf, identifiers, ofTypes } from "../lib/join";
import { T } from "../lib/types";
import { get, isRec, list, probe, UNKNOWN } from "../lib/util";
import { isGroup } from "./lib";

const isPolicyDoc = ofTypes([T.iamPolicy]);

/** A Deny of everything (or of everything but a NotAction list) on every resource when the request carries no MFA. */
function deniesWithoutMfa(st: Statement): boolean {
  if (st.effect.toLowerCase() !== "deny" || !onAllResources(st) || !allActions(st)) {
    return false;
  }
  for (const [operator, block] of Object.entries(st.condition ?? {})) {
    const op = operator.toLowerCase();
    for (const [key, value] of Object.entries(isRec(block) ? block : {})) {
      const values = list(value).map((v) => String(v).toLowerCase());
      if (key.toLowerCase() === "aws:multifactorauthpresent" && (op === "boolifexists" || op === "bool") && values.includes("false")) {
        return true;
      }
      if (key.toLowerCase() === "aws:multifactorauthage" && op === "null" && values.includes("true")) {
        return true;
      }
    }
  }
  return false;
}

export const iamGroupMfaEnforced = stackPolicy({
  name: "iam-group-mfa-enforced",
  description:
    "An IAM group that grants permissions denies every action but MFA enrolment to requests without MFA " +
    "(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_iam_mfa-selfmanage.html).",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa("164.312(d)", "164.312(a)(1)", "164.308(a)(5)(ii)(D)"),
  resourceTypes: [T.iamGroup],
  relatedTypes: [T.iamGroupPolicy, T.iamGroupPolicyAttachment, T.iamPolicy],
  remediationSteps:
    "Attach to the group (inline or as a customer-managed policy in the stack) AWS's statement " +
    '`DenyAllExceptListedIfNoMFA`: `{ Effect: "Deny", NotAction: [MFA enrolment actions], Resource: "*", Condition: { BoolIfExists: ' +
    '{ "aws:MultiFactorAuthPresent": "false" } } }` (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_iam_mfa-selfmanage.html).',
  validate: (ctx, report) => {
    const inline = ctx.ofType([T.iamGroupPolicy]);
    const attachments = ctx.ofType([T.iamGroupPolicyAttachment]);
    const managed = ctx.ofType([T.iamPolicy]);
    const byArn = new Map<string, PolicyResource>();
    for (const m of managed) {
      for (const id of identifiers(m).known) {
        byArn.set(id, m);
      }
    }
    ctx.each(ctx.ofType([T.iamGroup]), (g) => {
      const docs: unknown[] = [];
      let grantsSomething = false;
      let undecided = false;
      const own = companionsOf(g, inline, ["group"], isGroup);
      undecided = own.undecided;
      docs.push(...own.matched.map((c) => get(c.props, "policy")));
      const attached = companionsOf(g, attachments, ["group"], isGroup);
      undecided = undecided || attached.undecided;
      for (const a of attached.matched) {
        const fromDeps = (a.propertyDependencies?.policyArn ?? []).filter(isPolicyDoc);
        const arn = probe(a.props, "policyArn");
        const policy = fromDeps.length === 1 ? fromDeps[0] : typeof arn === "string" ? byArn.get(arn) : undefined;
        if (policy) {
          docs.push(get(policy.props, "policy"));
        } else if (arn === UNKNOWN && fromDeps.length === 0) {
          undecided = true;
        } else {
          grantsSomething = true; // a policy outside the stack (AWS-managed or another stack's): it grants something
        }
      }
      let enforced = false;
      for (const doc of docs) {
        const statements = statementsOf(doc) ?? [];
        grantsSomething = grantsSomething || statements.some(isAllow);
        enforced = enforced || statements.some(deniesWithoutMfa);
      }
      if (enforced || (!grantsSomething && !undecided)) {
        return;
      }
      if (undecided) {
        ctx.undecided([g.type, g.name, "name"]);
        return;
      }
      report(
        g.urn,
        "The group grants permissions but no policy of the group denies requests without MFA " +
          '(a Deny of all actions but MFA enrolment on "*" when aws:MultiFactorAuthPresent is false): a user\'s password or access key alone reaches them.',
      );
    });
  },
});
