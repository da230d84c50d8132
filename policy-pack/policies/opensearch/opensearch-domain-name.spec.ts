// Specs of the opensearch-domain-name policy (./opensearch-domain-name.ts).

import { UNKNOWN_STRING } from "../lib/unknown";
import { opensearchDomainName } from "./opensearch-domain-name";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { domain } from "../../test-support/specs/edge";

describe("opensearch", () => {
  policySuite(opensearchDomainName, {
    cases: [
      {
        name: "29 characters",
        mutate: (p) => set(domain(p), "domainName", "hcp-production-security-event"),
        expect: { violation: "events-domain", message: /29 characters/ },
      },
      {
        name: "uppercase",
        mutate: (p) => set(domain(p), "domainName", "Hcp-events"),
        expect: { violation: "events-domain", message: /lowercase/ },
      },
      { name: "auto-named (no domainName) passes", mutate: (p) => set(domain(p), "domainName", undefined), expect: "clean" },
      { name: "preview: name unknown -> can't run", mutate: (p) => set(domain(p), "domainName", UNKNOWN_STRING), expect: "unknown" },
    ],
  });
});
