// Specs of the exemption-requires-reason policy (./exemption-requires-reason.ts).

import { UNKNOWN_STRING } from "../lib/unknown";
import { exemptionRequiresReason } from "./exemption-requires-reason";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { table } from "../../test-support/specs/governance";

describe("tags", () => {
  policySuite(exemptionRequiresReason, {
    cases: [
      {
        name: "exemption tag without reason",
        mutate: (p) => set(table(p), "tags", { DataClassification: "PHI", "hipaa-exempt:dynamodb-pitr-enabled": "" }),
        expect: { violation: "audit-table", message: /no written reason/ },
      },
      {
        name: "exemption tag with a one-word reason",
        mutate: (p) => set(table(p), "tags", { DataClassification: "PHI", "hipaa-exempt:dynamodb-pitr-enabled": "legacy" }),
        expect: { violation: "audit-table" },
      },
      {
        name: "exemption tag naming no policy",
        mutate: (p) => set(table(p), "tags", { DataClassification: "PHI", "hipaa-exempt:no-such-policy": "because of a written reason" }),
        expect: { violation: "audit-table", message: /names no exemptible policy/ },
      },
      {
        name: "exemption tag with a reason passes",
        mutate: (p) =>
          set(table(p), "tags", {
            DataClassification: "PHI",
            "hipaa-exempt:dynamodb-pitr-enabled": "Cache table rebuilt from S3 every hour (ticket SEC-42)",
          }),
        expect: "clean",
      },
      {
        name: "preview: tags unknown cannot hide an exemption -> passes",
        mutate: (p) => set(table(p), "tags", UNKNOWN_STRING),
        expect: "clean",
      },
    ],
  });
});
