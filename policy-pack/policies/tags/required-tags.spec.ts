// Specs of the required-tags policy (./required-tags.ts).

import { UNKNOWN_STRING } from "../lib/unknown";
import { requiredTags } from "./required-tags";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { table } from "../../test-support/specs/governance";

describe("tags", () => {
  policySuite(requiredTags, {
    cases: [
      {
        name: "missing DataClassification",
        mutate: (p) => set(table(p), "tags", {}),
        expect: { violation: "audit-table", message: /DataClassification/ },
      },
      {
        name: "provider without default tags and resource without tags",
        mutate: (p) => {
          set(p.provider, "defaultTags", undefined);
          set(table(p), "tags", { DataClassification: "PHI" });
        },
        expect: { violation: true, message: /Project, Environment/ },
      },
      {
        name: "value outside the allowed set",
        mutate: (p) => set(table(p), "tags", { DataClassification: "Secret" }),
        expect: { violation: "audit-table", message: /Secret/ },
      },
      {
        name: "provider default tags as an object (not a JSON string) are read too",
        mutate: (p) =>
          set(p.provider, "defaultTags", { tags: { Project: "healthcare-platform", Environment: "dev", Compliance: "HIPAA" } }),
        expect: "clean",
      },
      { name: "preview: tags unknown -> can't run", mutate: (p) => set(table(p), "tags", UNKNOWN_STRING), expect: "unknown" },
    ],
  });
});
