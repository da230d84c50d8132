/**
 * Account-wide limits the plans must fit in. Lambda: "The default concurrency limit per AWS Region is
 * 1,000", and "Lambda keeps the unreserved concurrency pool at a minimum of 100 concurrent executions",
 * so at most 900 can be reserved in an account at the default limit, and every other function of the
 * account shares what is left (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html,
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html).
 */
import * as assert from "assert";
import { loadPlan, planSpec, STACKS } from "../support/plans";

const DEFAULT_ACCOUNT_CONCURRENCY = 1000;
const MINIMUM_UNRESERVED = 100;
/** What each plan reserves: prod its functions (data processor 50, authorizer 10, incident report 5, OpenSearch configuration 1, canary 1), dev none. */
const RESERVED = { dev: 0, prod: 67 } as const;

describe("account limits of the plans", function () {
  this.timeout(600_000);
  for (const stack of STACKS) {
    it(`${stack}: the functions' reserved concurrency fits an account at the default limit with 100 unreserved`, async () => {
      const reserved = (await loadPlan(planSpec(stack)))
        .ofType("aws:lambda/function:Function")
        .map((f) => [String(f.inputs.name), Number(f.inputs.reservedConcurrentExecutions ?? 0)] as const)
        .filter(([, n]) => n > 0);
      const total = reserved.reduce((sum, [, n]) => sum + n, 0);
      assert.ok(
        total <= DEFAULT_ACCOUNT_CONCURRENCY - MINIMUM_UNRESERVED,
        `${total} reserved (${reserved.map(([f, n]) => `${f}=${n}`).join(", ")}) leaves fewer than ${MINIMUM_UNRESERVED} unreserved`,
      );
      assert.strictEqual(total, RESERVED[stack], `${stack} reserves ${reserved.map(([f, n]) => `${f}=${n}`).join(", ") || "nothing"}`);
    });
  }
});
