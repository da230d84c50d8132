// Table-driven policy specs in the style of pulumi/compliance-policies: per policy, the compliant
// fixture passes, each mutation produces its violation, a resource of another type is silent, and
// preview-unknown values are decided as the policy documents.

import { strict as assert } from "assert";
import { PolicyConfig } from "../checker/config";
import { HipaaPolicy } from "../policies";
import { Builder } from "./builder";
import { check, expectClean, expectUnknown, expectViolation } from "./harness";
import { Env, Platform, platform } from "./platform";

export type Expectation = "clean" | "unknown" | { violation: string | true; message?: RegExp };

export interface Case {
  name: string;
  env?: Env;
  config?: PolicyConfig;
  mutate?: (p: Platform) => void;
  expect: Expectation;
}

export interface SuiteOptions {
  env?: Env;
  config?: PolicyConfig;
  /** Builds resources of other types that look non-compliant; the policy must stay silent. */
  otherType?: (b: Builder) => void;
  /** What the policy reports on a deployment without its resource types (default: nothing). */
  otherTypeExpect?: Expectation;
  cases: Case[];
}

async function run(policy: HipaaPolicy, c: { env?: Env; config?: PolicyConfig; mutate?: (p: Platform) => void; expect: Expectation }) {
  const p = platform(c.env ?? "dev");
  c.mutate?.(p);
  const o = await check(policy, p, c.config);
  verify(o, c.expect);
}

function verify(o: Awaited<ReturnType<typeof check>>, e: Expectation): void {
  if (e === "clean") {
    expectClean(o);
  } else if (e === "unknown") {
    expectUnknown(o);
  } else {
    expectViolation(o, e.violation === true ? undefined : e.violation, e.message);
    for (const v of o.violations) {
      assert.ok(["mandatory", "advisory"].includes(v.enforcementLevel));
    }
  }
}

/** A resource of a type no policy evaluates, with properties every policy would flag. */
export function decoy(b: Builder): void {
  b.add(
    "aws:ec2/routeTableAssociation:RouteTableAssociation",
    "decoy",
    {
      name: "/decoy",
      type: "String",
      value: "x",
      enableKeyRotation: false,
      kmsKeyId: "",
      storageEncrypted: false,
      publiclyAccessible: true,
      mapPublicIpOnLaunch: true,
      runtime: "nodejs12.x",
      forceDestroy: true,
      policy: "{}",
      ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
    },
    { provider: null },
  );
}

export function policySuite(policy: HipaaPolicy, opts: SuiteOptions): void {
  describe(policy.name, () => {
    it("passes the compliant fixture", async () => {
      await run(policy, { env: opts.env, config: opts.config, expect: "clean" });
    });
    it("is silent on resources of other types", async () => {
      const b = new Builder("dev");
      decoy(b);
      opts.otherType?.(b);
      const o = await check(policy, b, opts.config);
      verify(o, opts.otherTypeExpect ?? "clean");
    });
    for (const c of opts.cases) {
      it(c.name, async () => {
        await run(policy, { env: c.env ?? opts.env, config: c.config ?? opts.config, mutate: c.mutate, expect: c.expect });
      });
    }
    it("has at least one violation case and one preview-unknown case", () => {
      assert.ok(
        opts.cases.some((c) => typeof c.expect === "object"),
        "no violation case",
      );
      assert.ok(
        opts.cases.some((c) => /unknown|preview/i.test(c.name)),
        "no preview-unknown case",
      );
    });
  });
}
