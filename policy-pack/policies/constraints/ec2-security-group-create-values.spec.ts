// Specs of the ec2-security-group-create-values policy (./ec2-security-group-create-values.ts).

import { ec2SecurityGroupCreateValues } from "./ec2-security-group-create-values";
import { UNKNOWN_STRING } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { sg } from "../../test-support/specs/constraints";

describe("create-time constraints", () => {
  policySuite(ec2SecurityGroupCreateValues, {
    cases: [
      {
        name: "description with every allowed character passes",
        mutate: (p) => set(sg(p), "description", "OpenSearch 443 from app tier: VPC-only (HIPAA) #1, @ops [a+b=c&d;{e}!$*] _x/y"),
        expect: "clean",
      },
      {
        name: "apostrophe in the description fails",
        mutate: (p) => set(sg(p), "description", "Allow HTTPS to the domain's endpoint"),
        expect: { violation: "alb-sg", message: /description .* refuses: "'"/ },
      },
      {
        name: "non-ASCII in the description fails",
        mutate: (p) => set(sg(p), "description", "Zugriff für Lambda"),
        expect: { violation: "alb-sg", message: /"ü"/ },
      },
      {
        name: "description over 255 characters fails",
        mutate: (p) => set(sg(p), "description", "a".repeat(256)),
        expect: { violation: "alb-sg", message: /256 characters long/ },
      },
      {
        name: "name starting with sg- fails",
        mutate: (p) => set(sg(p), "name", "sg-app"),
        expect: { violation: "alb-sg", message: /starts with "sg-"/ },
      },
      {
        name: "preview: unknown description stays silent",
        mutate: (p) => set(sg(p), "description", UNKNOWN_STRING),
        expect: "clean",
      },
    ],
  });
});
