import {
  iamGroupHasUsers,
  iamNoAdminAccess,
  iamNoFullServiceAccess,
  iamNoInlinePolicy,
  iamNoKmsDecryptAllKeys,
  iamRoleTrustRestricted,
  iamUserGroupMembership,
  iamUserNoDirectPolicies,
} from "../../policy-pack/policies/iam";
import { UNKNOWN_STRING } from "../../policy-pack/policies/lib/unknown";
import { ACCOUNT, set } from "../../policy-pack/test-support/builder";
import { Platform } from "../../policy-pack/test-support/platform";
import { policySuite } from "../../policy-pack/test-support/suite";

const policy = (p: Platform) => p.find("aws:iam/policy:Policy");
const role = (p: Platform) => p.find("aws:iam/role:Role");
const attach = (p: Platform) => p.find("aws:iam/rolePolicyAttachment:RolePolicyAttachment");
const doc = (...statements: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const user = (p: Platform) =>
  p.add("aws:iam/user:User", "auditor", { name: "auditor", tags: { DataClassification: "Internal" } }, { id: "auditor" });
const group = (p: Platform) => p.add("aws:iam/group:Group", "auditors", { name: "auditors" }, { id: "auditors" });

describe("iam", () => {
  policySuite(iamNoAdminAccess, {
    cases: [
      {
        name: "Action * on Resource *",
        mutate: (p) => set(policy(p), "policy", doc({ Effect: "Allow", Action: "*", Resource: "*" })),
        expect: { violation: "reader-policy", message: /every action on every resource/ },
      },
      {
        name: "NotAction allow on *",
        mutate: (p) => set(policy(p), "policy", doc({ Effect: "Allow", NotAction: "iam:*", Resource: "*" })),
        expect: { violation: "reader-policy", message: /NotAction/ },
      },
      {
        name: "AdministratorAccess attached",
        mutate: (p) => set(attach(p), "policyArn", "arn:aws:iam::aws:policy/AdministratorAccess"),
        expect: { violation: "reader-attach" },
      },
      {
        name: "inline policy on a role",
        mutate: (p) =>
          set(role(p), "inlinePolicies", [{ name: "admin", policy: doc({ Effect: "Allow", Action: ["*"], Resource: ["*"] }) }]),
        expect: { violation: "reader-role" },
      },
      {
        name: "Deny * on * is fine",
        mutate: (p) => set(policy(p), "policy", doc({ Effect: "Deny", Action: "*", Resource: "*" })),
        expect: "clean",
      },
      { name: "preview: document unknown -> can't run", mutate: (p) => set(policy(p), "policy", UNKNOWN_STRING), expect: "unknown" },
    ],
  });
  policySuite(iamNoFullServiceAccess, {
    cases: [
      {
        name: "s3:*",
        mutate: (p) => set(policy(p), "policy", doc({ Effect: "Allow", Action: ["s3:*"], Resource: "arn:aws:s3:::b/*" })),
        expect: { violation: "reader-policy", message: /s3:\*/ },
      },
      {
        name: "AmazonS3FullAccess attached",
        mutate: (p) => set(attach(p), "policyArn", "arn:aws:iam::aws:policy/AmazonS3FullAccess"),
        expect: { violation: "reader-attach" },
      },
      {
        name: "an allowed wildcard from config",
        config: { "iam-no-full-service-access": { allowedServiceWildcards: ["xray:*"] } },
        mutate: (p) => set(policy(p), "policy", doc({ Effect: "Allow", Action: "xray:*", Resource: "*" })),
        expect: "clean",
      },
      { name: "preview: document unknown -> can't run", mutate: (p) => set(policy(p), "policy", UNKNOWN_STRING), expect: "unknown" },
    ],
  });
  policySuite(iamNoKmsDecryptAllKeys, {
    cases: [
      {
        name: "kms:Decrypt on *",
        mutate: (p) => set(policy(p), "policy", doc({ Effect: "Allow", Action: "kms:Decrypt", Resource: "*" })),
        expect: { violation: "reader-policy", message: /kms:Decrypt/ },
      },
      {
        name: "kms:* on every key ARN",
        mutate: (p) => set(policy(p), "policy", doc({ Effect: "Allow", Action: "kms:*", Resource: "arn:aws:kms:*:*:key/*" })),
        expect: { violation: "reader-policy" },
      },
      {
        name: "scoped with kms:ViaService",
        mutate: (p) =>
          set(
            policy(p),
            "policy",
            doc({
              Effect: "Allow",
              Action: "kms:Decrypt",
              Resource: "*",
              Condition: { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } },
            }),
          ),
        expect: "clean",
      },
      { name: "preview: document unknown -> can't run", mutate: (p) => set(policy(p), "policy", UNKNOWN_STRING), expect: "unknown" },
    ],
  });
  policySuite(iamRoleTrustRestricted, {
    cases: [
      {
        name: "anyone may assume",
        mutate: (p) => set(role(p), "assumeRolePolicy", doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" })),
        expect: { violation: "reader-role", message: /any AWS principal/ },
      },
      {
        name: "web identity without conditions",
        mutate: (p) =>
          set(
            role(p),
            "assumeRolePolicy",
            doc({
              Effect: "Allow",
              Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com` },
              Action: "sts:AssumeRoleWithWebIdentity",
            }),
          ),
        expect: { violation: "reader-role", message: /federated/ },
      },
      {
        name: "preview: trust policy unknown -> can't run",
        mutate: (p) => set(role(p), "assumeRolePolicy", UNKNOWN_STRING),
        expect: "unknown",
      },
    ],
  });
  policySuite(iamNoInlinePolicy, {
    cases: [
      {
        name: "RolePolicy",
        mutate: (p) =>
          p.add("aws:iam/rolePolicy:RolePolicy", "inline", {
            role: "r",
            policy: doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }),
          }),
        expect: { violation: "inline" },
      },
      {
        name: "role with inlinePolicies",
        mutate: (p) =>
          set(role(p), "inlinePolicies", [{ name: "x", policy: doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }) }]),
        expect: { violation: "reader-role" },
      },
      {
        name: "preview: inlinePolicies unknown -> can't run",
        mutate: (p) => set(role(p), "inlinePolicies", UNKNOWN_STRING),
        expect: "unknown",
      },
    ],
  });
  policySuite(iamUserNoDirectPolicies, {
    cases: [
      {
        name: "user policy attachment",
        mutate: (p) =>
          p.add("aws:iam/userPolicyAttachment:UserPolicyAttachment", "direct", {
            user: "u",
            policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess",
          }),
        expect: { violation: "direct" },
      },
      {
        name: "policy attachment with users",
        mutate: (p) => p.add("aws:iam/policyAttachment:PolicyAttachment", "pa", { users: ["u"], policyArn: "arn" }),
        expect: { violation: "pa" },
      },
      {
        name: "preview: users unknown -> can't run",
        mutate: (p) => p.add("aws:iam/policyAttachment:PolicyAttachment", "pa", { users: UNKNOWN_STRING, policyArn: "arn" }),
        expect: "unknown",
      },
    ],
  });
  policySuite(iamUserGroupMembership, {
    cases: [
      {
        name: "user in a group",
        mutate: (p) => {
          const u = user(p);
          const g = group(p);
          p.add(
            "aws:iam/userGroupMembership:UserGroupMembership",
            "m",
            { user: "auditor", groups: ["auditors"] },
            { pd: { user: [u], groups: [g] } },
          );
        },
        expect: "clean",
      },
      { name: "user in no group", mutate: (p) => user(p), expect: { violation: "auditor" } },
      {
        name: "preview: membership user unknown without dependencies -> can't run",
        mutate: (p) => {
          user(p);
          p.add("aws:iam/userGroupMembership:UserGroupMembership", "m", { user: UNKNOWN_STRING, groups: ["auditors"] });
        },
        expect: "unknown",
      },
    ],
  });
  policySuite(iamGroupHasUsers, {
    cases: [
      { name: "empty group", mutate: (p) => group(p), expect: { violation: "auditors" } },
      {
        name: "group with a member",
        mutate: (p) => {
          const g = group(p);
          p.add("aws:iam/groupMembership:GroupMembership", "gm", { group: "auditors", users: ["auditor"] }, { pd: { group: [g] } });
        },
        expect: "clean",
      },
      {
        name: "preview: group name unknown without dependencies -> can't run",
        mutate: (p) => {
          group(p);
          p.add("aws:iam/groupMembership:GroupMembership", "gm", { group: UNKNOWN_STRING, users: ["x"] });
        },
        expect: "unknown",
      },
    ],
  });
});
