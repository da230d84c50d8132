import { kmsKeyDeletionSafeguards, kmsKeyPolicyLeastPrivilege, kmsKeyRotationEnabled } from "../../policy-pack/policies/kms";
import { UNKNOWN_BOOLEAN, UNKNOWN_NUMBER, UNKNOWN_STRING } from "../../policy-pack/policies/lib/unknown";
import { ACCOUNT, set } from "../../policy-pack/test-support/builder";
import { Platform } from "../../policy-pack/test-support/platform";
import { policySuite } from "../../policy-pack/test-support/suite";

const KEY = "aws:kms/key:Key";
const key = (p: Platform) => p.find(KEY, "data-key");
const doc = (...statements: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const root = { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" };

describe("kms", () => {
  policySuite(kmsKeyRotationEnabled, {
    otherType: (b) => b.add("aws:kms/alias:Alias", "alias", { name: "alias/x", targetKeyId: "k" }),
    cases: [
      {
        name: "rotation disabled",
        mutate: (p) => set(key(p), "enableKeyRotation", false),
        expect: { violation: "data-key", message: /rotation is not enabled/ },
      },
      { name: "rotation not set", mutate: (p) => set(key(p), "enableKeyRotation", undefined), expect: { violation: "data-key" } },
      {
        name: "rotation period above the maximum",
        mutate: (p) => set(key(p), "rotationPeriodInDays", 730),
        expect: { violation: "data-key", message: /730/ },
      },
      {
        name: "a configured longer maximum accepts it",
        config: { "kms-key-rotation-enabled": { maxRotationPeriodInDays: 730 } },
        mutate: (p) => set(key(p), "rotationPeriodInDays", 730),
        expect: "clean",
      },
      {
        name: "asymmetric keys cannot rotate and pass",
        mutate: (p) => {
          set(key(p), "customerMasterKeySpec", "RSA_2048");
          set(key(p), "keyUsage", "SIGN_VERIFY");
          set(key(p), "enableKeyRotation", false);
        },
        expect: "clean",
      },
      {
        name: "preview: enableKeyRotation unknown -> can't run",
        mutate: (p) => set(key(p), "enableKeyRotation", UNKNOWN_BOOLEAN),
        expect: "unknown",
      },
    ],
  });

  policySuite(kmsKeyPolicyLeastPrivilege, {
    otherType: (b) =>
      b.add("aws:s3/bucketPolicy:BucketPolicy", "bp", {
        bucket: "b",
        policy: doc({ Effect: "Allow", Principal: "*", Action: "kms:*", Resource: "*" }),
      }),
    cases: [
      {
        name: "wildcard principal without condition",
        mutate: (p) => set(key(p), "policy", doc(root, { Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*" })),
        expect: { violation: "data-key", message: /wildcard principal/ },
      },
      {
        name: "AWS * principal without condition",
        mutate: (p) => set(key(p), "policy", doc(root, { Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*" })),
        expect: { violation: "data-key" },
      },
      {
        name: "wildcard principal scoped by a condition passes",
        mutate: (p) =>
          set(
            key(p),
            "policy",
            doc(root, {
              Effect: "Allow",
              Principal: { AWS: "*" },
              Action: "kms:Decrypt",
              Resource: "*",
              Condition: { StringEquals: { "kms:CallerAccount": ACCOUNT, "kms:ViaService": "s3.us-east-1.amazonaws.com" } },
            }),
          ),
        expect: "clean",
      },
      {
        name: "service principal without condition",
        mutate: (p) =>
          set(
            key(p),
            "policy",
            doc(root, {
              Effect: "Allow",
              Principal: { Service: "sns.amazonaws.com" },
              Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
              Resource: "*",
            }),
          ),
        expect: { violation: "data-key", message: /sns\.amazonaws\.com without a condition/ },
      },
      {
        name: "EventBridge -> encrypted topic without a condition passes (AWS sends no aws:Source* key there)",
        mutate: (p) =>
          set(
            key(p),
            "policy",
            doc(root, {
              Effect: "Allow",
              Principal: { Service: "events.amazonaws.com" },
              Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
              Resource: "*",
            }),
          ),
        expect: "clean",
      },
      {
        name: "EventBridge under aws:SourceAccount: every alert silently dropped",
        mutate: (p) =>
          set(
            key(p),
            "policy",
            doc(root, {
              Effect: "Allow",
              Principal: { Service: "events.amazonaws.com" },
              Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
              Resource: "*",
              Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
            }),
          ),
        expect: { violation: "data-key", message: /dropped without an error/ },
      },
      {
        name: "EventBridge and CloudWatch in one statement under aws:SourceAccount: EventBridge's alerts dropped",
        mutate: (p) =>
          set(
            key(p),
            "policy",
            doc(root, {
              Effect: "Allow",
              Principal: { Service: ["events.amazonaws.com", "cloudwatch.amazonaws.com"] },
              Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
              Resource: "*",
              Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
            }),
          ),
        expect: { violation: "data-key", message: /events\.amazonaws\.com under an aws:Source\* condition/ },
      },
      {
        name: "EventBridge granted more than publishing needs without a condition",
        mutate: (p) =>
          set(
            key(p),
            "policy",
            doc(root, {
              Effect: "Allow",
              Principal: { Service: "events.amazonaws.com" },
              Action: ["kms:Decrypt", "kms:Encrypt"],
              Resource: "*",
            }),
          ),
        expect: { violation: "data-key", message: /more than kms:GenerateDataKey/ },
      },
      {
        name: "kms:* to a role",
        mutate: (p) =>
          set(
            key(p),
            "policy",
            doc(root, { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/deployer` }, Action: "kms:*", Resource: "*" }),
          ),
        expect: { violation: "data-key", message: /every KMS action/ },
      },
      {
        name: "Allow with NotPrincipal",
        mutate: (p) =>
          set(
            key(p),
            "policy",
            doc(root, { Effect: "Allow", NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:Decrypt", Resource: "*" }),
          ),
        expect: { violation: "data-key", message: /NotPrincipal/ },
      },
      {
        name: "not a JSON document",
        mutate: (p) => set(key(p), "policy", "{not json"),
        expect: { violation: "data-key", message: /not a valid JSON/ },
      },
      { name: "no policy means the default key policy and passes", mutate: (p) => set(key(p), "policy", undefined), expect: "clean" },
      {
        name: "aws.kms.KeyPolicy resources are judged too",
        mutate: (p) =>
          p.add("aws:kms/keyPolicy:KeyPolicy", "extra-policy", {
            keyId: "k",
            policy: doc(root, { Effect: "Allow", Principal: "*", Action: "kms:*", Resource: "*" }),
          }),
        expect: { violation: "extra-policy" },
      },
      { name: "preview: policy unknown -> can't run", mutate: (p) => set(key(p), "policy", UNKNOWN_STRING), expect: "unknown" },
    ],
  });

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
