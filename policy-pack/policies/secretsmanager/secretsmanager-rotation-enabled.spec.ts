// Specs of the secretsmanager-rotation-enabled policy (./secretsmanager-rotation-enabled.ts).

import { UNKNOWN_NUMBER, UNKNOWN_STRING } from "../lib/unknown";
import { secretsmanagerRotationEnabled } from "./secretsmanager-rotation-enabled";
import { set } from "../../test-support/builder";
import { Platform } from "../../test-support/platform";
import { policySuite } from "../../test-support/suite";

const rotation = (p: Platform) => p.find("aws:secretsmanager/secretRotation:SecretRotation");

describe("secretsmanager", () => {
  policySuite(secretsmanagerRotationEnabled, {
    cases: [
      { name: "no rotation", mutate: (p) => p.remove(rotation(p)), expect: { violation: "api-key", message: /no automatic rotation/ } },
      {
        name: "rotation every 180 days",
        mutate: (p) => set(rotation(p), "rotationRules.automaticallyAfterDays", 180),
        expect: { violation: "api-key", message: /180/ },
      },
      {
        name: "schedule rate(30 days) passes",
        mutate: (p) => set(rotation(p), "rotationRules", { scheduleExpression: "rate(30 days)" }),
        expect: "clean",
      },
      { name: "rotation disabled", mutate: (p) => set(rotation(p), "rotationEnabled", false), expect: { violation: "api-key" } },
      {
        name: "preview: secretId unknown, joined through propertyDependencies -> passes",
        mutate: (p) => set(rotation(p), "secretId", UNKNOWN_STRING),
        expect: "clean",
      },
      {
        name: "preview: interval unknown -> can't run",
        mutate: (p) => set(rotation(p), "rotationRules.automaticallyAfterDays", UNKNOWN_NUMBER),
        expect: "unknown",
      },
    ],
  });
});
