// Specs of the opensearch-https-tls policy (./opensearch-https-tls.ts).

import { UNKNOWN_STRING } from "../lib/unknown";
import { opensearchHttpsTls } from "./opensearch-https-tls";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { domain } from "../../test-support/specs/edge";

describe("opensearch", () => {
  policySuite(opensearchHttpsTls, {
    cases: [
      {
        name: "HTTPS not enforced",
        mutate: (p) => set(domain(p), "domainEndpointOptions.enforceHttps", false),
        expect: { violation: "events-domain", message: /HTTPS/ },
      },
      {
        name: "TLS 1.0 policy",
        mutate: (p) => set(domain(p), "domainEndpointOptions.tlsSecurityPolicy", "Policy-Min-TLS-1-0-2019-07"),
        expect: { violation: "events-domain", message: /older than 1.2/ },
      },
      {
        name: "preview: TLS policy unknown -> can't run",
        mutate: (p) => set(domain(p), "domainEndpointOptions.tlsSecurityPolicy", UNKNOWN_STRING),
        expect: "unknown",
      },
    ],
  });
});
