// Specs of the opensearch-encrypted-at-rest policy (./opensearch-encrypted-at-rest.ts).

import { UNKNOWN_BOOLEAN } from "../lib/unknown";
import { opensearchEncryptedAtRest } from "./opensearch-encrypted-at-rest";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { domain } from "../../test-support/specs/edge";

describe("opensearch", () => {
  policySuite(opensearchEncryptedAtRest, {
    cases: [
      { name: "unencrypted", mutate: (p) => set(domain(p), "encryptAtRest", { enabled: false }), expect: { violation: "events-domain" } },
      {
        name: "AWS-managed key on a PHI domain",
        mutate: (p) => set(domain(p), "encryptAtRest", { enabled: true }),
        expect: { violation: "events-domain", message: /customer-managed/ },
      },
      {
        name: "preview: enabled unknown -> can't run",
        mutate: (p) => set(domain(p), "encryptAtRest.enabled", UNKNOWN_BOOLEAN),
        expect: "unknown",
      },
    ],
  });
});
