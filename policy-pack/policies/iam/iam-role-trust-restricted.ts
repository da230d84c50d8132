import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { isAllow, isAnyone, statementsOf } from "../lib/iamdoc";
import { T } from "../lib/types";
import { get } from "../lib/util";

export const iamRoleTrustRestricted = resourcePolicy({
  name: "iam-role-trust-restricted",
  description: "Role trust policies do not let anyone (`*`) or an unconditioned federated identity assume the role.",
  severity: "critical",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.leastPrivilege, "164.312(d)"),
  resourceTypes: [T.iamRole],
  remediationSteps:
    "Name the trusted service or account principal; give web-identity/SAML trust conditions on the " +
    "audience and subject; add sts:ExternalId for third-party accounts.",
  validate: (ctx, report) => {
    const raw = get(ctx.props, "assumeRolePolicy");
    if (raw === undefined || raw === null || raw === "") {
      return;
    }
    const statements = statementsOf(raw);
    if (!statements) {
      report("The role's trust policy is not a valid JSON policy document.");
      return;
    }
    statements.filter(isAllow).forEach((s, i) => {
      const where = s.sid ? `Trust statement "${s.sid}"` : `Trust statement ${i + 1}`;
      if (!s.condition && (s.notPrincipal || s.principals.some(isAnyone))) {
        report(`${where} lets any AWS principal assume the role.`);
      }
      if (!s.condition && s.principals.some((p) => p.kind === "Federated")) {
        report(`${where} trusts a federated identity provider without audience/subject conditions.`);
      }
    });
  },
});
