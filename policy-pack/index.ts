// The published CrossGuard pack. This is the only module that constructs the PolicyPack (which
// starts the analyzer's gRPC server); policies live in ./policies so that tests and the offline
// checker import them without starting a server.

import { PolicyPack } from "@pulumi/policy";
import { allPolicies } from "./policies";

new PolicyPack("healthcare-hipaa-policies", {
  description:
    "HIPAA Security Rule guardrails for the healthcare-platform on AWS (cdk-nag HIPAA.Security and " +
    "AWS Config HIPAA conformance pack coverage, plus platform controls).",
  displayName: "Healthcare platform HIPAA guardrails",
  provider: "aws",
  tags: ["hipaa", "aws", "healthcare"],
  policies: allPolicies,
});
