// Specs of the phi-reader-function-in-vpc policy (./phi-reader-function-in-vpc.ts).

import { phiReaderFunctionInVpc } from "./phi-reader-function-in-vpc";
import { UNKNOWN_STRING } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { fn, readerPolicy } from "../../test-support/specs/phi-path";

describe("the PHI path across resources", () => {
  policySuite(phiReaderFunctionInVpc, {
    cases: [
      {
        name: "a PHI reader outside the VPC fails, whatever its classification tag",
        mutate: (p) => {
          set(fn(p), "vpcConfig", undefined);
          set(fn(p), "tags.DataClassification", "Public");
        },
        expect: { violation: "data-processor", message: /not attached to the VPC/ },
      },
      {
        name: "subnets without security groups fail",
        mutate: (p) => set(fn(p), "vpcConfig.securityGroupIds", []),
        expect: { violation: "data-processor" },
      },
      {
        name: "a role reading PHI through an inline policy of its own is a reader too",
        mutate: (p) => {
          set(fn(p), "vpcConfig", undefined);
          set(readerPolicy(p), "policy", JSON.stringify({ Version: "2012-10-17", Statement: [] }));
          set(p.find("aws:iam/role:Role", "reader-role"), "inlinePolicies", [
            {
              name: "read",
              policy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: `${p.arn(p.archive.bucket)}/events/*` }],
              }),
            },
          ]);
        },
        expect: { violation: "data-processor", message: /event-archive-bucket/ },
      },
      {
        name: "a role reading PHI through a stack policy in managedPolicyArns is a reader too",
        mutate: (p) => {
          set(fn(p), "vpcConfig", undefined);
          p.remove(p.find("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "reader-attach"));
          set(p.find("aws:iam/role:Role", "reader-role"), "managedPolicyArns", [String(readerPolicy(p).outputs.arn)]);
        },
        expect: { violation: "data-processor", message: /phi-data-bucket/ },
      },
      {
        name: "preview: an unknown role stays silent",
        mutate: (p) => {
          set(fn(p), "vpcConfig", undefined);
          set(fn(p), "role", UNKNOWN_STRING);
          fn(p).propertyDependencies = {};
        },
        expect: "unknown",
      },
    ],
  });
});
