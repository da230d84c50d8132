// Specs of the kms-key-deletion-safeguards policy (./kms-key-deletion-safeguards.ts).

import { kmsKeyDeletionSafeguards } from "./kms-key-deletion-safeguards";
import { UNKNOWN_NUMBER } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { key } from "../../test-support/specs/kms";

describe("kms", () => {
  policySuite(kmsKeyDeletionSafeguards, {
    cases: [
      {
        name: "7-day window in prod",
        env: "prod",
        mutate: (p) => set(key(p), "deletionWindowInDays", 7),
        expect: { violation: "data-key", message: /at least 30 in prod/ },
      },
      { name: "7-day window in dev passes", mutate: (p) => set(key(p), "deletionWindowInDays", 7), expect: "clean" },
      {
        name: "the Environment tag overrides the configured environment",
        config: { "kms-key-deletion-safeguards": { environment: "prod" } },
        mutate: (p) => set(key(p), "deletionWindowInDays", 7),
        expect: "clean",
      },
      {
        name: "untagged key falls back to config environment prod",
        mutate: (p) => {
          set(p.provider, "defaultTags", JSON.stringify({ tags: {} }));
          set(key(p), "deletionWindowInDays", 7);
        },
        expect: { violation: "data-key" },
      },
      { name: "disabled key", mutate: (p) => set(key(p), "isEnabled", false), expect: { violation: "data-key", message: /disabled/ } },
      {
        name: "preview: window unknown -> can't run",
        env: "prod",
        mutate: (p) => set(key(p), "deletionWindowInDays", UNKNOWN_NUMBER),
        expect: "unknown",
      },
    ],
  });
});
