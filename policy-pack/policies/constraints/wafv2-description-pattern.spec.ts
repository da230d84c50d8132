// Specs of the wafv2-description-pattern policy (./wafv2-description-pattern.ts).

import { wafv2Description } from "./wafv2-description-pattern";
import { UNKNOWN_STRING } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { Platform } from "../../test-support/platform";
import { policySuite } from "../../test-support/suite";

const acl = (p: Platform) => p.find("aws:wafv2/webAcl:WebAcl");

describe("create-time constraints", () => {
  policySuite(wafv2Description, {
    cases: [
      {
        name: "a description in the EntityDescription pattern passes",
        mutate: (p) => set(acl(p), "description", "Regional web ACL for the API ALB: AWS managed rules, rate limit 2000/5min"),
        expect: "clean",
      },
      {
        name: "parenthesis in the web ACL description fails",
        mutate: (p) => set(acl(p), "description", "Web ACL (prod)"),
        expect: { violation: "web-acl", message: /"\(", "\)"/ },
      },
      {
        name: "apostrophe fails",
        mutate: (p) => set(acl(p), "description", "The platform's ACL"),
        expect: { violation: "web-acl" },
      },
      {
        name: "trailing space fails",
        mutate: (p) => set(acl(p), "description", "web acl "),
        expect: { violation: "web-acl", message: /pattern/ },
      },
      {
        name: "preview: unknown description stays silent",
        mutate: (p) => set(acl(p), "description", UNKNOWN_STRING),
        expect: "clean",
      },
    ],
  });
});
