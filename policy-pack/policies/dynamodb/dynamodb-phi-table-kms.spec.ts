// Specs of the dynamodb-phi-table-kms policy (./dynamodb-phi-table-kms.ts).

import { dynamodbPhiTableKms } from "./dynamodb-phi-table-kms";
import { UNKNOWN_STRING } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { table } from "../../test-support/specs/data";

describe("dynamodb", () => {
  policySuite(dynamodbPhiTableKms, {
    cases: [
      {
        name: "PHI table with the AWS-owned key",
        mutate: (p) => set(table(p), "serverSideEncryption", undefined),
        expect: { violation: "audit-table" },
      },
      {
        name: "PHI table with the AWS-managed key",
        mutate: (p) => set(table(p), "serverSideEncryption", { enabled: true }),
        expect: { violation: "audit-table" },
      },
      {
        name: "a Public table may use the default key",
        mutate: (p) => {
          set(table(p), "serverSideEncryption", undefined);
          set(table(p), "tags", { DataClassification: "Public" });
        },
        expect: "clean",
      },
      {
        name: "preview: key ARN unknown -> passes",
        mutate: (p) => set(table(p), "serverSideEncryption.kmsKeyArn", UNKNOWN_STRING),
        expect: "clean",
      },
    ],
  });
});
