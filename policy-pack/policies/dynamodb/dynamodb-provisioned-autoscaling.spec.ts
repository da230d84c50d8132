// Specs of the dynamodb-provisioned-autoscaling policy (./dynamodb-provisioned-autoscaling.ts).

import { dynamodbProvisionedAutoscaling } from "./dynamodb-provisioned-autoscaling";
import { UNKNOWN_STRING } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { table } from "../../test-support/specs/data";

describe("dynamodb", () => {
  policySuite(dynamodbProvisionedAutoscaling, {
    cases: [
      {
        name: "provisioned without auto scaling",
        mutate: (p) => set(table(p), "billingMode", "PROVISIONED"),
        expect: { violation: "audit-table" },
      },
      {
        name: "no billingMode means PROVISIONED",
        mutate: (p) => set(table(p), "billingMode", undefined),
        expect: { violation: "audit-table" },
      },
      {
        name: "provisioned with an auto scaling target",
        mutate: (p) => {
          set(table(p), "billingMode", "PROVISIONED");
          p.add("aws:appautoscaling/target:Target", "read", {
            resourceId: `table/${String(table(p).inputs.name)}`,
            scalableDimension: "dynamodb:table:ReadCapacityUnits",
            serviceNamespace: "dynamodb",
            minCapacity: 1,
            maxCapacity: 10,
          });
        },
        expect: "clean",
      },
      {
        name: "preview: billing mode unknown -> can't run",
        mutate: (p) => set(table(p), "billingMode", UNKNOWN_STRING),
        expect: "unknown",
      },
    ],
  });
});
