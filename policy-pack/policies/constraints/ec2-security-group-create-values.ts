// A security group's name and description: EC2 CreateSecurityGroup refuses characters outside its
// set; the provider checks only their length (terraform-provider-aws internal/service/ec2
// vpc_security_group.go: `name`/`description` StringLenBetween(0, 255)), so an apostrophe passes
// preview and fails `pulumi up`.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html

import { resourcePolicy } from "../lib/define";
import { CITES, hipaa } from "../lib/hipaa";
import { T } from "../lib/types";
import { knownString, valueProblem, ValueRule } from "../lib/values";

const DOC = "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html";

/** EC2's character set for security-group names, descriptions and rule descriptions (VPC). */
export const EC2_SG_CHAR = /[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]/;
export const EC2_SG_PATTERN = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/;
export const EC2_SG_ALLOWED = "allowed: a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$*";

const rule = (what: string, minLength: number): ValueRule => ({
  what,
  char: EC2_SG_CHAR,
  pattern: EC2_SG_PATTERN,
  allowed: EC2_SG_ALLOWED,
  minLength,
  maxLength: 255,
});

export const ec2SecurityGroupCreateValues = resourcePolicy({
  name: "ec2-security-group-create-values",
  description:
    "Security-group names and descriptions use only the characters EC2 accepts (a-z, A-Z, 0-9, spaces and " +
    `._-:/()#,@[]+=&;{}!$*), up to 255, and names do not start with sg- (${DOC}).`,
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.availability),
  resourceTypes: [T.securityGroup],
  tags: ["deploy-trap", "create-time-constraint"],
  remediationSteps:
    "Rewrite the name or description with the allowed characters only (no apostrophes, quotes, accents or " +
    `non-ASCII); a description change replaces the group, so fix it before the first deploy (${DOC}).`,
  validate: (ctx, report) => {
    const description = knownString(ctx.props, "description");
    const descProblem = description === undefined ? undefined : valueProblem(description, rule("The security group's description", 0));
    if (descProblem) report(descProblem);
    for (const key of ["name", "namePrefix"]) {
      const name = knownString(ctx.props, key);
      if (name === undefined) continue;
      const problem = valueProblem(name, rule(`The security group's ${key}`, key === "name" ? 1 : 0));
      if (problem) report(problem);
      else if (/^sg-/i.test(name)) report(`The security group's ${key} ${JSON.stringify(name)} starts with "sg-", which EC2 refuses.`);
    }
  },
});
