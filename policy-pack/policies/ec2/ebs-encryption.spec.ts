// Specs of the ebs-encryption policy (./ebs-encryption.ts).

import { ebsEncryption } from "./ebs-encryption";
import { UNKNOWN_BOOLEAN } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { Platform } from "../../test-support/platform";
import { policySuite } from "../../test-support/suite";
import { instance, lt } from "../../test-support/specs/ec2";

const volume = (p: Platform) => p.find("aws:ebs/volume:Volume");

describe("ec2", () => {
  policySuite(ebsEncryption, {
    cases: [
      { name: "unencrypted volume", mutate: (p) => set(volume(p), "encrypted", false), expect: { violation: "scratch-volume" } },
      {
        name: "launch template mapping not encrypted",
        mutate: (p) => set(lt(p), "blockDeviceMappings.0.ebs.encrypted", "false"),
        expect: { violation: "app-lt", message: /blockDeviceMappings\[0\]/ },
      },
      {
        name: "launch template without mappings uses the AMI root volume",
        mutate: (p) => set(lt(p), "blockDeviceMappings", undefined),
        expect: { violation: "app-lt", message: /root volume/ },
      },
      {
        name: "instance without rootBlockDevice",
        mutate: (p) => instance(p, { rootBlockDevice: undefined }),
        expect: { violation: "bastion" },
      },
      {
        name: "instance from a launch template relies on the template",
        mutate: (p) => instance(p, { rootBlockDevice: undefined, launchTemplate: { id: "lt-1" } }),
        expect: "clean",
      },
      {
        name: "EBS encryption by default in the stack covers everything",
        mutate: (p) => {
          set(volume(p), "encrypted", false);
          set(lt(p), "blockDeviceMappings", undefined);
          p.add("aws:ebs/encryptionByDefault:EncryptionByDefault", "ebs-default", { enabled: true });
        },
        expect: "clean",
      },
      { name: "preview: encrypted unknown -> can't run", mutate: (p) => set(volume(p), "encrypted", UNKNOWN_BOOLEAN), expect: "unknown" },
    ],
  });
});
