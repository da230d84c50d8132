// Shared code of the iam policies.

import { PolicyResource } from "@pulumi/policy";
import { ResourceCtx, StackCtx } from "../lib/define";
import { Statement, statementsOf } from "../lib/iamdoc";
import { ofTypes } from "../lib/join";
import { structureOf } from "../lib/structure";
import { IAM_ATTACHMENT_TYPES, IAM_POLICY_DOC_TYPES, T } from "../lib/types";
import { get, list, str } from "../lib/util";

export const PERMISSION_TYPES = [...IAM_POLICY_DOC_TYPES, T.iamRole, ...IAM_ATTACHMENT_TYPES];

export interface Doc {
  label: string;
  statements: Statement[];
}

/** Permission policy documents carried by the resource (not the role trust policy). */
export function permissionDocs<C>(ctx: ResourceCtx<C>, report: (m: string) => void): Doc[] {
  const docs: Doc[] = [];
  const add = (label: string, raw: unknown) => {
    if (raw === undefined || raw === null || raw === "") {
      return;
    }
    const statements = statementsOf(raw);
    if (!statements) {
      report(`${label} is not a valid JSON policy document.`);
      return;
    }
    docs.push({ label, statements });
  };
  if ((IAM_POLICY_DOC_TYPES as readonly string[]).includes(ctx.type)) {
    add("The policy", get(ctx.props, "policy"));
  } else if (ctx.type === T.iamRole) {
    list(get(ctx.props, "inlinePolicies")).forEach((p, i) => add(`Inline policy ${str(get(p, "name")) ?? `#${i}`}`, get(p, "policy")));
  }
  return docs;
}

/** AWS-managed policy ARNs attached by the resource. */
export function managedArns<C>(ctx: ResourceCtx<C>): string[] {
  if (ctx.type === T.iamRole) {
    return list(get(ctx.props, "managedPolicyArns")).filter((a): a is string => typeof a === "string");
  }
  if ((IAM_ATTACHMENT_TYPES as readonly string[]).includes(ctx.type)) {
    const arn = str(get(ctx.props, "policyArn"));
    return arn ? [arn] : [];
  }
  return [];
}

export function awsManagedName(arn: string): string | undefined {
  const m = arn.match(/^arn:aws[a-z-]*:iam::aws:policy\/(?:.*\/)?([^/]+)$/);
  return m ? m[1] : undefined;
}

export function label(doc: Doc, s: Statement, i: number): string {
  return `${doc.label}, ${s.sid ? `statement "${s.sid}"` : `statement ${i + 1}`}`;
}

export const isGroup = ofTypes([T.iamGroup]);

/** The role a reference (ARN, name or id) names, else the single role behind the property's dependencies. */
export function roleFor(ctx: StackCtx<object>, from: PolicyResource, pdKey: string, value: unknown): PolicyResource | undefined {
  const index = structureOf(ctx.resources).roleByIdentifier;
  if (typeof value === "string" && value !== "") {
    const hit = index.get(value) ?? index.get(value.replace(/^arn:aws[a-z-]*:iam::\d+:role\/(?:.*\/)?/, ""));
    if (hit) {
      return hit;
    }
  }
  const pd = (from.propertyDependencies?.[pdKey] ?? []).filter((r) => r.type === T.iamRole);
  return pd.length === 1 ? pd[0] : undefined;
}
