// Regenerates the plan-shaped fixtures in test/fixtures/policy from the platform builder:
//   TS_NODE_TRANSPILE_ONLY=true npx ts-node policy-pack/test-support/generate-fixtures.ts
// compliant-plan.json: the secure platform (dev); every policy passes.
// violations-plan.json: the same platform with one known defect per line below, and one exemption.

import * as fs from "fs";
import * as path from "path";

import { set } from "./builder";
import { Platform } from "./platform";

const dir = path.join(__dirname, "..", "..", "test", "fixtures", "policy");

export function violationsPlatform(): Platform {
  const p = new Platform("dev");
  p.remove(p.phiData.versioning); // s3-bucket-versioning
  set(p.lambda, "runtime", "nodejs18.x"); // lambda-supported-runtime
  set(p.find("aws:ec2/securityGroup:SecurityGroup", "alb-sg"), "ingress", [
    // ec2-restricted-ssh, vpc-sg-open-only-to-authorized-ports
    { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] },
  ]);
  const table = p.find("aws:dynamodb/table:Table");
  set(table, "pointInTimeRecovery", { enabled: false }); // dynamodb-pitr-enabled, exempted below
  set(table, "tags", {
    DataClassification: "PHI",
    "hipaa-exempt:dynamodb-pitr-enabled": "Dev table rebuilt from S3 by the nightly job (SEC-42)",
  });
  set(p.find("aws:sfn/stateMachine:StateMachine"), "tracingConfiguration", undefined); // sfn-xray-tracing (advisory)
  p.remove(p.find("aws:ec2/flowLog:FlowLog")); // vpc-flow-logs-enabled
  return p;
}

if (require.main === module) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "compliant-plan.json"), `${JSON.stringify(new Platform("dev").toJson(), null, 2)}\n`);
  fs.writeFileSync(path.join(dir, "violations-plan.json"), `${JSON.stringify(violationsPlatform().toJson(), null, 2)}\n`);
}
