// Specs of the kms-key-policy-least-privilege policy (./kms-key-policy-least-privilege.ts).

import { kmsKeyPolicyLeastPrivilege } from "./kms-key-policy-least-privilege";
import { UNKNOWN_STRING } from "../lib/unknown";
import { ACCOUNT, set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { key } from "../../test-support/specs/kms";

const doc = (...statements: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

const root = { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" };

describe("kms", () => {
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
});
