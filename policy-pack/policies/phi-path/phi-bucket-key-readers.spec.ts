// Specs of the phi-bucket-key-readers policy (./phi-bucket-key-readers.ts).

import { phiBucketKeyReaders } from "./phi-bucket-key-readers";
import { UNKNOWN_STRING } from "../lib/unknown";
import { ACCOUNT, set } from "../../test-support/builder";
import { Platform } from "../../test-support/platform";
import { policySuite } from "../../test-support/suite";

function keyPolicy(p: Platform, ...statements: unknown[]): void {
  set(p.dataKey, "policy", JSON.stringify({ Version: "2012-10-17", Statement: statements }));
}

const ROOT = `arn:aws:iam::${ACCOUNT}:root`;

describe("the PHI path across resources", () => {
  policySuite(phiBucketKeyReaders, {
    cases: [
      {
        name: "the account root with kms:* and no condition fails on every PHI bucket the key encrypts",
        mutate: (p) => keyPolicy(p, { Sid: "AccountRoot", Effect: "Allow", Principal: { AWS: ROOT }, Action: "kms:*", Resource: "*" }),
        expect: { violation: true, message: /account root without a kms:ViaService.*"AccountRoot"/ },
      },
      {
        name: "the wildcard principal allowed kms:Decrypt fails",
        mutate: (p) =>
          keyPolicy(p, {
            Effect: "Allow",
            Principal: "*",
            Action: "kms:Decrypt",
            Resource: "*",
            Condition: { StringEquals: { "kms:CallerAccount": ACCOUNT } },
          }),
        expect: { violation: true, message: /wildcard principal/ },
      },
      {
        name: "a key without a policy gets the default policy and fails",
        mutate: (p) => set(p.dataKey, "policy", undefined),
        expect: { violation: true, message: /default key policy/ },
      },
      {
        name: "the account root bound to another service's encryption context (Step Functions state) passes: S3 objects never carry it",
        mutate: (p) =>
          keyPolicy(p, {
            Effect: "Allow",
            Principal: { AWS: ROOT },
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: "*",
            Condition: {
              ArnLike: { "kms:EncryptionContext:aws:states:stateMachineArn": `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:hcp-dev-*` },
            },
          }),
        expect: "clean",
      },
      {
        name: "the account root bound only to the S3 context, or to another context with IfExists, still fails",
        mutate: (p) =>
          keyPolicy(p, {
            Sid: "RootIfExists",
            Effect: "Allow",
            Principal: { AWS: ROOT },
            Action: "kms:Decrypt",
            Resource: "*",
            Condition: {
              StringLikeIfExists: { "kms:EncryptionContext:aws:states:stateMachineArn": "*" },
              ArnLike: { "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::*" },
            },
          }),
        expect: { violation: true, message: /account root without a kms:ViaService.*"RootIfExists"/ },
      },
      {
        name: "reader roles named by ARN pass",
        mutate: (p) =>
          keyPolicy(p, {
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/hcp-dev-reader` },
            Action: ["kms:Decrypt"],
            Resource: "*",
          }),
        expect: "clean",
      },
      {
        name: "the root limited to named principals by aws:PrincipalArn passes",
        mutate: (p) =>
          keyPolicy(p, {
            Effect: "Allow",
            Principal: { AWS: ROOT },
            Action: ["kms:Decrypt"],
            Resource: "*",
            Condition: { ArnEquals: { "aws:PrincipalArn": `arn:aws:iam::${ACCOUNT}:role/hcp-dev-reader` } },
          }),
        expect: "clean",
      },
      {
        name: "a separate aws.kms.KeyPolicy replaces the key's policy and is judged",
        mutate: (p) =>
          p.add(
            "aws:kms/keyPolicy:KeyPolicy",
            "data-key-policy",
            {
              keyId: String(p.dataKey.outputs.keyId),
              policy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Sid: "Everyone", Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*" }],
              }),
            },
            { pd: { keyId: [p.dataKey] } },
          ),
        expect: { violation: true, message: /"Everyone"/ },
      },
      {
        name: "a log bucket's key is not judged (not a PHI bucket)",
        mutate: (p) => {
          // The access-log bucket is SSE-S3; point the audit-log bucket (Confidential) at a key with the default policy.
          const other = p.kmsKey("other-key");
          set(other, "policy", undefined);
          set(p.auditLogs.sse, "rules.0.applyServerSideEncryptionByDefault.kmsMasterKeyId", p.arn(other));
        },
        expect: "clean",
      },
      {
        name: "preview: an unknown key policy stays silent",
        mutate: (p) => set(p.dataKey, "policy", UNKNOWN_STRING),
        expect: "unknown",
      },
    ],
  });
});
