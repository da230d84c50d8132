// Specs of the ec2-imdsv2-required policy (./ec2-imdsv2-required.ts).

import { ec2Imdsv2Required } from "./ec2-imdsv2-required";
import { UNKNOWN_STRING } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { instance, lt } from "../../test-support/specs/ec2";

describe("ec2", () => {
  policySuite(ec2Imdsv2Required, {
    cases: [
      {
        name: "launch template allows IMDSv1",
        mutate: (p) => set(lt(p), "metadataOptions.httpTokens", "optional"),
        expect: { violation: "app-lt" },
      },
      {
        name: "launch template without metadata options",
        mutate: (p) => set(lt(p), "metadataOptions", undefined),
        expect: { violation: "app-lt" },
      },
      {
        name: "instance allows IMDSv1",
        mutate: (p) => instance(p, { metadataOptions: { httpTokens: "optional" } }),
        expect: { violation: "bastion" },
      },
      {
        name: "metadata endpoint disabled passes",
        mutate: (p) => set(lt(p), "metadataOptions", { httpEndpoint: "disabled" }),
        expect: "clean",
      },
      {
        name: "preview: httpTokens unknown -> can't run",
        mutate: (p) => set(lt(p), "metadataOptions.httpTokens", UNKNOWN_STRING),
        expect: "unknown",
      },
    ],
  });
});
