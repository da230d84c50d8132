// IAM / KMS / S3 policy documents as data: a document (JSON string or object) normalised to a
// list of statements with principals, actions, resources and conditions.

import { get, globToRegExp, isRec, list, parseDoc, Rec } from "./util";

export interface Principal {
  /** "*" for `"Principal": "*"`; otherwise the key: AWS, Service, Federated, CanonicalUser. */
  kind: string;
  value: string;
}

export interface Statement {
  sid?: string;
  effect: string;
  principals: Principal[];
  hasPrincipal: boolean;
  notPrincipal: boolean;
  actions: string[];
  notAction: boolean;
  resources: string[];
  notResource: boolean;
  condition: Rec | undefined;
}

function strings(v: unknown): string[] {
  return list(v).filter((x): x is string => typeof x === "string");
}

function principalsOf(v: unknown): Principal[] {
  if (v === undefined || v === null) {
    return [];
  }
  if (typeof v === "string") {
    return [{ kind: v === "*" ? "*" : "AWS", value: v }];
  }
  const out: Principal[] = [];
  if (isRec(v)) {
    for (const kind of Object.keys(v)) {
      for (const value of strings(v[kind])) {
        out.push({ kind, value });
      }
    }
  }
  return out;
}

/** Statements of a policy document; undefined when the value is absent or not a document. */
export function statementsOf(docValue: unknown): Statement[] | undefined {
  const doc = parseDoc(docValue);
  if (!doc) {
    return undefined;
  }
  return list(get(doc, "Statement"))
    .filter(isRec)
    .map((s) => {
      const principal = s.Principal ?? s.NotPrincipal;
      const condition = isRec(s.Condition) && Object.keys(s.Condition).length > 0 ? s.Condition : undefined;
      return {
        sid: typeof s.Sid === "string" ? s.Sid : undefined,
        effect: typeof s.Effect === "string" ? s.Effect : "",
        principals: principalsOf(principal),
        hasPrincipal: principal !== undefined,
        notPrincipal: s.NotPrincipal !== undefined,
        actions: strings(s.Action ?? s.NotAction),
        notAction: s.NotAction !== undefined,
        resources: strings(s.Resource ?? s.NotResource),
        notResource: s.NotResource !== undefined,
        condition,
      };
    });
}

export function isAllow(s: Statement): boolean {
  return s.effect.toLowerCase() === "allow";
}

export function isDeny(s: Statement): boolean {
  return s.effect.toLowerCase() === "deny";
}

/** `*` or `{"AWS": "*"}`: anyone. */
export function isAnyone(p: Principal): boolean {
  return p.value === "*" && (p.kind === "*" || p.kind === "AWS");
}

const ROOT = /^(arn:aws[a-z-]*:iam::\d{12}:root|\d{12})$/;

/** The account itself (`arn:aws:iam::<account>:root` or the bare account id). */
export function isAccountRoot(p: Principal): boolean {
  return p.kind === "AWS" && ROOT.test(p.value);
}

export function isService(p: Principal): boolean {
  return p.kind === "Service";
}

/** Whether an action pattern in the statement covers `action` (IAM wildcards, case-insensitive). */
export function grants(s: Statement, action: string): boolean {
  if (s.notAction) {
    return !s.actions.some((a) => globToRegExp(a.toLowerCase()).test(action.toLowerCase()));
  }
  return s.actions.some((a) => globToRegExp(a.toLowerCase()).test(action.toLowerCase()));
}

/** `*`, `*:*` or a NotAction statement: every action (or every action but a few). */
export function allActions(s: Statement): boolean {
  return s.notAction || s.actions.some((a) => a === "*" || a === "*:*");
}

/** `service:*` actions. */
export function serviceWildcards(s: Statement): string[] {
  return s.notAction ? [] : s.actions.filter((a) => /^[a-zA-Z0-9-]+:\*$/.test(a));
}

export function onAllResources(s: Statement): boolean {
  return s.notResource || s.resources.includes("*");
}

/** Condition keys of the statement, lower-cased, across all operators. */
export function conditionKeys(s: Statement): string[] {
  if (!s.condition) {
    return [];
  }
  const keys: string[] = [];
  for (const op of Object.values(s.condition)) {
    if (isRec(op)) {
      keys.push(...Object.keys(op).map((k) => k.toLowerCase()));
    }
  }
  return keys;
}
