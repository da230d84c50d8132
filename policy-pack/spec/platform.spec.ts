// The compliant platform fixture passes every policy of the pack, in dev and in prod.

import { allPolicies } from "../policies";
import { check, expectClean } from "../test-support/harness";
import { platform } from "../test-support/platform";

describe("policy pack on a compliant platform", () => {
  for (const env of ["dev", "prod"] as const) {
    it(`${env}: no violation from any of the ${allPolicies.length} policies`, async () => {
      expectClean(await check(allPolicies, platform(env)));
    });
  }
});
