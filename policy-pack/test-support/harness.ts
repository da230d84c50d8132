// Runs one policy (or several) against a fixture deployment through the checker's runner, which
// builds validation args as the SDK's server does (unknownCheckingProxy props, throwing
// notApplicable, getConfig with schema defaults, provider with its defaultTags).

import { strict as assert } from "assert";
import { PolicyConfig, ResolvedConfig, resolveConfig } from "../checker/config";
import { LoadedDeployment } from "../checker/deployment";
import { CheckResult, examinedResources, runPolicies, Violation } from "../checker/run";
import { HipaaPolicy } from "../policies";
import { Builder } from "./builder";

export interface Outcome {
  result: CheckResult;
  /** Violations proper (not the "can't run during preview" diagnostics). */
  violations: Violation[];
  /** "can't run policy during preview" diagnostics. */
  unknown: Violation[];
}

export async function check(policies: HipaaPolicy | HipaaPolicy[], d: Builder | LoadedDeployment, config?: PolicyConfig): Promise<Outcome> {
  const list = Array.isArray(policies) ? policies : [policies];
  const deployment = d instanceof Builder ? d.deployment() : d;
  const resolved = resolveConfig(config, list, "test config");
  const result = await runPolicies(deployment, { policies: list, config: resolved });
  const errors = result.violations.filter((v) => v.message.startsWith("policy failed"));
  if (errors.length > 0) {
    throw new Error(`policy threw: ${errors.map((e) => e.message).join("\n")}`);
  }
  const unknown = result.violations.filter((v) => v.message.includes("during preview"));
  outsideExamined(
    deployment,
    list,
    resolved,
    result.violations.filter((v) => !unknown.includes(v)),
  );
  return { result, violations: result.violations.filter((v) => !unknown.includes(v)), unknown };
}

/**
 * Every violation must be on a resource the policy declares it examines (its `examines`, the evidence
 * model's source): a violation elsewhere means the declaration (and so the evidence report) is wrong.
 * Not checked: violations on the stack itself (an absence: nothing in the stack to examine) and the
 * "exemption has no written reason" diagnostics (about the config, on whatever resource it names).
 */
function outsideExamined(deployment: LoadedDeployment, policies: HipaaPolicy[], config: ResolvedConfig, violations: Violation[]): void {
  const stackUrn = deployment.resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn;
  const examined = examinedResources(deployment, policies, config);
  const stray = violations.filter(
    (v) =>
      v.urn !== stackUrn &&
      !v.message.startsWith("The exemption ") &&
      ![...(examined.get(v.policy)?.values() ?? [])].some((urns) => urns.has(v.urn)),
  );
  assert.deepEqual(
    stray.map((v) => `${v.policy} ${v.urn}: ${v.message}`),
    [],
    "violations on resources the policy's `examines` does not cover",
  );
}

export function expectClean(o: Outcome): void {
  assert.deepEqual(
    o.violations.map((v) => `${v.policy} ${v.urn}: ${v.message}`),
    [],
    "violations",
  );
  assert.deepEqual(
    o.unknown.map((v) => v.message),
    [],
    "can't-run diagnostics",
  );
}

/** Exactly the violations expected: at least one, all on `urnSuffix` (when given) and matching `message`. */
export function expectViolation(o: Outcome, urnSuffix?: string, message?: RegExp): void {
  const details = o.violations.map((v) => `${v.policy} ${v.urn}: ${v.message}`).join("\n");
  assert.ok(o.violations.length > 0, `expected a violation, got none (unknown: ${o.unknown.map((u) => u.message).join("; ")})`);
  if (urnSuffix) {
    for (const v of o.violations) {
      assert.ok(v.urn.endsWith(`::${urnSuffix}`), `violation on another resource than ${urnSuffix}:\n${details}`);
    }
  }
  if (message) {
    assert.ok(
      o.violations.some((v) => message.test(v.message)),
      `no violation matches ${message}:\n${details}`,
    );
  }
  assert.deepEqual(
    o.unknown.map((u) => u.message),
    [],
    "can't-run diagnostics",
  );
}

export function expectUnknown(o: Outcome): void {
  assert.deepEqual(
    o.violations.map((v) => v.message),
    [],
    "violations",
  );
  assert.ok(o.unknown.length > 0, "expected a can't-run-during-preview diagnostic");
  for (const u of o.unknown) {
    assert.equal(u.enforcementLevel, "advisory");
  }
}
