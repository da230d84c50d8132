import { PolicyResource } from "@pulumi/policy";
import { CITES, hipaa } from "../lib/hipaa";
import { stackPolicy } from "../lib/define";
import { T } from "../lib/types";
import { get, isFalse, isTrue, list, present, probe, str, UNKNOWN } from "../lib/util";
import { COMPUTE } from "./lib";

function encryptedFlag(v: unknown): "yes" | "no" | "unknown" {
  if (v === UNKNOWN) {
    return "unknown";
  }
  return isTrue(v) ? "yes" : "no";
}

/** Unencrypted EBS volumes declared by a compute resource (no mapping at all counts as the AMI's root volume). */
function unencryptedVolumes(r: PolicyResource): { problems: string[]; unknown: boolean } {
  const out = { problems: [] as string[], unknown: false };
  const check = (label: string, v: unknown) => {
    const e = encryptedFlag(v);
    if (e === "unknown") {
      out.unknown = true;
    } else if (e === "no") {
      out.problems.push(label);
    }
  };
  if (r.type === T.ebsVolume) {
    check("the volume", probe(r.props, "encrypted"));
  } else if (r.type === T.launchTemplate) {
    const mappings = list(get(r.props, "blockDeviceMappings")).filter((m) => get(m, "ebs") !== undefined && !get(m, "noDevice"));
    if (mappings.length === 0) {
      out.problems.push("the root volume (no blockDeviceMappings with ebs.encrypted)");
    }
    mappings.forEach((m, i) => check(`blockDeviceMappings[${i}] (${str(get(m, "deviceName")) ?? "device"})`, probe(m, "ebs", "encrypted")));
  } else {
    const root = get(r.props, "rootBlockDevice");
    if (root === undefined && r.type === T.instance && present(r.props, "launchTemplate")) {
      // the root volume comes from the launch template, which is checked on its own
    } else if (root === undefined) {
      out.problems.push("the root volume (no rootBlockDevice with encrypted: true)");
    } else {
      check("rootBlockDevice", probe(root, "encrypted"));
    }
    list(get(r.props, "ebsBlockDevices")).forEach((d, i) => check(`ebsBlockDevices[${i}]`, probe(d, "encrypted")));
  }
  return out;
}

export const ebsEncryption = stackPolicy({
  name: "ebs-encryption",
  description: "EBS volumes, and the volumes that launch templates and instances create, are encrypted.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.encryptionAtRest),
  awsConfig: ["encrypted-volumes", "ec2-ebs-encryption-by-default"],
  resourceTypes: [T.ebsVolume, ...COMPUTE],
  relatedTypes: [T.ebsEncryptionByDefault],
  remediationSteps:
    'Set `encrypted: true` ("true" in launch templates) with a customer-managed `kmsKeyId` on every EBS ' +
    "mapping, including the root device, or enable account-wide encryption with aws.ebs.EncryptionByDefault in this stack.",
  validate: (ctx, report) => {
    const byDefault = ctx.ofType([T.ebsEncryptionByDefault]).some((r) => !isFalse(probe(r.props, "enabled")));
    if (byDefault) {
      return; // EBS encryption by default encrypts every new volume in the region
    }
    ctx.each(ctx.ofType([T.ebsVolume, ...COMPUTE]), (r) => {
      const { problems, unknown } = unencryptedVolumes(r);
      if (problems.length > 0) {
        report(r.urn, `Unencrypted EBS storage: ${problems.join(", ")}.`);
      } else if (unknown) {
        ctx.undecided([r.type, r.name, "encrypted"]);
      }
    });
  },
});
