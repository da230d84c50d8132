// Helpers shared by the specs of several iam policies (no spec imports another spec).

import { Platform } from "../platform";

export const policy = (p: Platform) => p.find("aws:iam/policy:Policy");

export const role = (p: Platform) => p.find("aws:iam/role:Role");

export const attach = (p: Platform) => p.find("aws:iam/rolePolicyAttachment:RolePolicyAttachment");

export const doc = (...statements: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

export const group = (p: Platform) => p.add("aws:iam/group:Group", "auditors", { name: "auditors" }, { id: "auditors" });
