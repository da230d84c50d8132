// Specs of the opensearch-node-to-node-encryption policy (./opensearch-node-to-node-encryption.ts).

import { UNKNOWN_BOOLEAN } from "../lib/unknown";
import { opensearchNodeToNodeEncryption } from "./opensearch-node-to-node-encryption";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { domain } from "../../test-support/specs/edge";

describe("opensearch", () => {
  policySuite(opensearchNodeToNodeEncryption, {
    cases: [
      { name: "off", mutate: (p) => set(domain(p), "nodeToNodeEncryption", undefined), expect: { violation: "events-domain" } },
      {
        name: "preview: unknown -> can't run",
        mutate: (p) => set(domain(p), "nodeToNodeEncryption.enabled", UNKNOWN_BOOLEAN),
        expect: "unknown",
      },
    ],
  });
});
