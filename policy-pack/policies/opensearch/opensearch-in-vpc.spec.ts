// Specs of the opensearch-in-vpc policy (./opensearch-in-vpc.ts).

import { UNKNOWN_ARRAY } from "../lib/unknown";
import { opensearchInVpc } from "./opensearch-in-vpc";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { domain } from "../../test-support/specs/edge";

describe("opensearch", () => {
  policySuite(opensearchInVpc, {
    cases: [
      { name: "public endpoint", mutate: (p) => set(domain(p), "vpcOptions", undefined), expect: { violation: "events-domain" } },
      {
        name: "preview: subnet ids unknown -> passes",
        mutate: (p) => set(domain(p), "vpcOptions.subnetIds", UNKNOWN_ARRAY),
        expect: "clean",
      },
    ],
  });
});
