// Messages fit the resource and the stack they judge (issue 21): a policy group applies the pack to
// other projects' stacks, so a message names what it found on that resource and why the rule applies
// to it, not this platform's own fix.

import { strict as assert } from "assert";
import { lambdaSupportedRuntime } from "../policies/lambda";
import { prodDeletionProtection } from "../policies/protection";
import { rdsMultiAzProd } from "../policies/rds";
import { Builder } from "../test-support/builder";
import { check } from "../test-support/harness";

/** Another project's dev stack: no Environment tag anywhere, no pack config. */
const foreign = () => new Builder("dev", { Project: "billing" });

describe("messages fit the resource and stack they judge", () => {
  it("a Python 3.8 function is told to move to a supported Python runtime, not to Node.js", async () => {
    const b = foreign();
    b.add("aws:lambda/function:Function", "reports", { runtime: "python3.8", handler: "app.handler", role: "arn:aws:iam::1:role/r" });
    const o = await check(lambdaSupportedRuntime, b);
    assert.equal(o.violations.length, 1);
    const m = o.violations[0].message;
    assert.match(m, /Python 3\.8/);
    assert.match(m, /python3\.10 or newer/);
    assert.doesNotMatch(m, /nodejs/);
  });

  it("a Node.js 18 function is told the Node.js minimum", async () => {
    const b = foreign();
    b.add("aws:lambda/function:Function", "api", { runtime: "nodejs18.x", handler: "index.handler", role: "arn:aws:iam::1:role/r" });
    const o = await check(lambdaSupportedRuntime, b);
    assert.match(o.violations[0].message, /nodejs22\.x or newer/);
  });

  it("a deprecated custom runtime names the allowed OS-only runtimes", async () => {
    const b = foreign();
    b.add("aws:lambda/function:Function", "legacy", { runtime: "go1.x", handler: "main", role: "arn:aws:iam::1:role/r" });
    const o = await check(lambdaSupportedRuntime, b);
    assert.match(o.violations[0].message, /go1\.x .*provided\.al2023/);
    assert.doesNotMatch(o.violations[0].message, /nodejs/);
  });

  it("an untagged database in a stack without config is not called 'the prod database': the message says why prod rules apply", async () => {
    const b = foreign();
    b.add("aws:rds/instance:Instance", "ledger", { engine: "postgres", instanceClass: "db.t4g.micro", deletionProtection: false });
    for (const policy of [prodDeletionProtection, rdsMultiAzProd]) {
      const o = await check(policy, b);
      assert.ok(o.violations.length > 0, policy.name);
      for (const v of o.violations) {
        assert.doesNotMatch(v.message, /The prod database/, policy.name);
        assert.match(v.message, /no Environment tag/, policy.name);
        assert.match(v.message, /environment/, policy.name);
      }
    }
  });

  it("a database tagged Environment=prod says so", async () => {
    const b = new Builder("prod");
    b.add("aws:rds/instance:Instance", "ledger", { engine: "postgres", instanceClass: "db.t4g.micro", deletionProtection: false });
    const o = await check(prodDeletionProtection, b);
    assert.match(o.violations[0].message, /Environment tag "prod"/);
  });
});
