// Specs of the ec2-instance-profile-attached policy (./ec2-instance-profile-attached.ts).

import { ec2InstanceProfileAttached } from "./ec2-instance-profile-attached";
import { UNKNOWN_STRING } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { instance, lt } from "../../test-support/specs/ec2";

describe("ec2", () => {
  policySuite(ec2InstanceProfileAttached, {
    cases: [
      {
        name: "launch template without instance profile",
        mutate: (p) => set(lt(p), "iamInstanceProfile", undefined),
        expect: { violation: "app-lt" },
      },
      {
        name: "instance without instance profile",
        mutate: (p) => instance(p, { iamInstanceProfile: undefined }),
        expect: { violation: "bastion" },
      },
      {
        name: "preview: profile ARN unknown -> passes (profile being created)",
        mutate: (p) => set(lt(p), "iamInstanceProfile", { arn: UNKNOWN_STRING }),
        expect: "clean",
      },
    ],
  });
});
