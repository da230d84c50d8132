/**
 * Evaluates one AWS request against a plan's policies with @cloud-copilot/iam-simulate, the way
 * AWS authorizes it:
 * - a service principal assuming a role: `sts:AssumeRole` against the role's trust policy;
 * - a role calling S3, SNS, SQS or Lambda: its identity policies and the resource's policy;
 * - a role or a service using a KMS key: the key policy (and, for a role, its identity policies:
 *   our key policies grant the account root, so KMS needs both);
 * - anything else: the identity policies alone.
 *
 * iam-simulate is AGPL-licensed: a devDependency imported only from test/, never bundled.
 *
 * AWS-managed policies attached to a role are not in the plan: those with a documented fixture
 * (aws-managed.ts, copied from the AWS Managed Policy Reference) are evaluated with the role's own
 * policies; the others are not evaluated, and the behaviour spec refuses to simulate such a role
 * unless its rows document them.
 *
 * Request context: the row's keys plus what AWS adds to every request of that principal
 * (`aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:PrincipalIsAWSService`, `aws:PrincipalServiceName`).
 * A key iam-simulate does not know for the action fails the call (a row must not carry keys AWS
 * never sends for it), except `kms:EncryptionContext:<key>`: iam-simulate's `runSimulation` drops
 * those (it matches variable keys on `/` only), so such calls are decided by its core engine with
 * the same validated inputs plus the encryption context.
 */
import * as path from "path";
import { runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import { awsManagedPolicies } from "./aws-managed";
import type { PolicyIndex } from "./policy-index";

/**
 * Who calls: a role of the plan, a service principal, or an AWS account that acts for a service (the
 * region's ELB account delivering access logs), whose own identity side is AWS's and is assumed to
 * allow the call.
 */
export type Caller = { readonly role: string } | { readonly service: string } | { readonly account: string };
export type Context = Readonly<Record<string, string | string[]>>;

export interface Call {
  readonly caller: Caller;
  readonly action: string;
  readonly resource: string;
  readonly context: Context;
  /** The policy of the VPC endpoint the call goes through, when it goes through one (iam-simulate evaluates it with the others). */
  readonly vpcEndpointPolicy?: unknown;
}

export type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

export interface Verdict {
  readonly decision: Decision;
  /** Which statements decided, for test failure messages. */
  readonly explain: string;
}

export const callerName = (c: Caller): string => ("role" in c ? `role ${c.role}` : "service" in c ? c.service : `account ${c.account}`);
export const describeCall = (c: Call): string =>
  `${callerName(c.caller)} ${c.action} ${c.resource}${Object.keys(c.context).length ? ` ${JSON.stringify(c.context)}` : ""}`;

interface AnalysisLike {
  result: Decision;
  identityAnalysis?: { result: string; allowStatements: StatementLike[]; denyStatements: StatementLike[] };
  resourceAnalysis?: { result: string; allowStatements: StatementLike[]; denyStatements: StatementLike[] };
}
interface StatementLike {
  policyId?: string;
  statement: { sid?: () => string | undefined; index?: () => number };
  explain?: {
    identifier?: string;
    conditions?: { operator: string; conditionKeyValue: string; matches: boolean; matchedBecauseMissing?: boolean }[];
  };
}

// iam-simulate's core engine, for calls carrying kms:EncryptionContext keys (see the module comment).
// The package exports only its entry point; the core modules are loaded from its dist/cjs by path.
/* eslint-disable @typescript-eslint/no-require-imports */
const SIM_DIR = path.dirname(require.resolve("@cloud-copilot/iam-simulate"));
const core = require(path.join(SIM_DIR, "core_engine/CoreSimulatorEngine.js")) as { authorize(request: unknown): AnalysisLike };
const engine = require(path.join(SIM_DIR, "simulation_engine/simulationEngine.js")) as {
  normalizeSimulationParameters(s: Simulation, t: undefined): Promise<{ validContextValues: Record<string, string | string[]> }>;
};
const { RequestContextImpl } = require(path.join(SIM_DIR, "requestContext.js")) as { RequestContextImpl: new (v: unknown) => unknown };
const { AwsRequestImpl } = require(path.join(SIM_DIR, "request/request.js")) as { AwsRequestImpl: new (...a: unknown[]) => unknown };
const { DiscoveryContextKeyConstraints } = require(path.join(SIM_DIR, "context_keys/discoveryContextKeyConstraints.js")) as {
  DiscoveryContextKeyConstraints: new (c: unknown[]) => unknown;
};
const { loadPolicy } = require(require.resolve("@cloud-copilot/iam-policy", { paths: [SIM_DIR] })) as {
  loadPolicy: (policy: unknown, metadata: { name: string }) => unknown;
};
/* eslint-enable @typescript-eslint/no-require-imports */

const ENCRYPTION_CONTEXT = /^kms:encryptioncontext:/i;

function statementNames(statements: StatementLike[]): string {
  return statements
    .map((s) => {
      const id = s.explain?.identifier ?? s.statement.sid?.() ?? String(s.statement.index?.());
      const missing = (s.explain?.conditions ?? [])
        .filter((c) => c.matchedBecauseMissing)
        .map((c) => `${c.operator} ${c.conditionKeyValue} absent`);
      return `${s.policyId ? `${s.policyId}/` : ""}${id}${missing.length ? ` (${missing.join(", ")})` : ""}`;
    })
    .join(", ");
}

export function explainAnalysis(a: AnalysisLike): string {
  const part = (label: string, x: AnalysisLike["identityAnalysis"]) =>
    x
      ? `${label}: ${x.result}` +
        (x.denyStatements.length ? `, denied by ${statementNames(x.denyStatements)}` : "") +
        (x.allowStatements.length ? `, allowed by ${statementNames(x.allowStatements)}` : "")
      : `${label}: none`;
  return `${a.result} [${part("identity", a.identityAnalysis)}; ${part("resource", a.resourceAnalysis)}]`;
}

/** The principal-derived keys AWS adds to every request of `caller`. */
export function principalContext(ix: PolicyIndex, caller: Caller): Record<string, string> {
  if ("service" in caller) return { "aws:PrincipalIsAWSService": "true", "aws:PrincipalServiceName": caller.service };
  if ("account" in caller)
    return {
      "aws:PrincipalArn": `arn:aws:iam::${caller.account}:root`,
      "aws:PrincipalAccount": caller.account,
      "aws:PrincipalIsAWSService": "false",
    };
  return { "aws:PrincipalArn": ix.role(caller.role).arn, "aws:PrincipalAccount": ix.account, "aws:PrincipalIsAWSService": "false" };
}

export interface SimulateOptions {
  /** Identity policies to use instead of the role's managed policies (the handler replay's what-if). */
  readonly identityPolicies?: { name: string; policy: unknown }[];
}

/** Builds the iam-simulate input for `call` from the plan. */
export function simulationFor(ix: PolicyIndex, call: Call, options: SimulateOptions = {}): Simulation {
  const role = "role" in call.caller ? ix.role(call.caller.role) : undefined;
  const isAssume = call.action.toLowerCase() === "sts:assumerole";
  const resourcePolicy = isAssume ? [...ix.roles.values()].find((r) => r.arn === call.resource)?.trust : ix.resourcePolicy(call.resource);
  if (isAssume && !resourcePolicy) throw new Error(`${call.resource} is not a role of the ${ix.stack} plan`);
  const arnAccount = call.resource.split(":")[4];
  return {
    request: {
      principal: role
        ? role.arn
        : "service" in call.caller
          ? call.caller.service
          : `arn:aws:iam::${(call.caller as { account: string }).account}:root`,
      action: call.action,
      resource: { resource: call.resource, accountId: arnAccount && /^\d{12}$/.test(arnAccount) ? arnAccount : ix.account },
      contextVariables: { ...principalContext(ix, call.caller), ...call.context },
    },
    identityPolicies:
      options.identityPolicies ??
      (role
        ? [...role.managed.map((p) => ({ name: p.name, policy: p.policy })), ...awsManagedPolicies(role.awsManaged)]
        : "account" in call.caller
          ? [
              {
                name: "AccountOwnIdentity",
                policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: call.action, Resource: "*" }] },
              },
            ]
          : []),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(resourcePolicy ? { resourcePolicy } : {}),
    ...(call.vpcEndpointPolicy ? { vpcEndpointPolicies: [{ name: "VpcEndpointPolicy", policy: call.vpcEndpointPolicy }] } : {}),
  };
}

/** Evaluates `call` against the plan's policies. Throws on an invalid simulation (unknown action, key or policy error). */
export async function simulate(ix: PolicyIndex, call: Call, options: SimulateOptions = {}): Promise<Verdict> {
  const simulation = simulationFor(ix, call, options);
  const result = await runSimulation(simulation, {});
  if (result.resultType === "error") throw new Error(`iam-simulate refused ${describeCall(call)}: ${JSON.stringify(result.errors)}`);
  if (result.resultType !== "single") {
    const decision = result.overallResult;
    return {
      decision,
      explain: `${decision} [wildcard resource: ${result.results.map((r) => `${r.resourcePattern} ${r.analysis.result}`).join(", ")}]`,
    };
  }
  const ignored = result.result.ignoredContextKeys ?? [];
  const unknown = ignored.filter((k) => !ENCRYPTION_CONTEXT.test(k));
  if (unknown.length > 0)
    throw new Error(
      `${describeCall(call)}: AWS does not evaluate ${unknown.join(", ")} for ${call.action} (not a condition key of the action)`,
    );
  if (ignored.length === 0) return { decision: result.overallResult, explain: explainAnalysis(result.result.analysis) };

  const { validContextValues } = await engine.normalizeSimulationParameters(simulation, undefined);
  const context = { ...validContextValues, ...Object.fromEntries(ignored.map((k) => [k, simulation.request.contextVariables[k]])) };
  const analysis = core.authorize({
    request: new AwsRequestImpl(
      simulation.request.principal,
      simulation.request.resource,
      simulation.request.action,
      new RequestContextImpl(context),
      false,
    ),
    sessionPolicy: undefined,
    identityPolicies: simulation.identityPolicies.map((p) => loadPolicy(p.policy, { name: p.name })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: simulation.resourcePolicy ? loadPolicy(simulation.resourcePolicy, { name: "ResourcePolicy" }) : undefined,
    permissionBoundaries: undefined,
    vpcEndpointPolicies: simulation.vpcEndpointPolicies?.map((p) => loadPolicy(p.policy, { name: p.name })),
    simulationParameters: { simulationMode: "Strict", discoveryContextKeyConstraints: new DiscoveryContextKeyConstraints([]) },
    serviceSettings: { s3: { blockPublicAccess: undefined } },
  });
  return { decision: analysis.result, explain: explainAnalysis(analysis) };
}
