import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { T } from "../lib/types";
import { present } from "../lib/util";
import { COMPUTE } from "./lib";

export const ec2InstanceProfileAttached = resourcePolicy({
  name: "ec2-instance-profile-attached",
  description: "Instances and launch templates run with an IAM instance profile (least-privilege role, no static keys).",
  severity: "medium",
  enforcementLevel: "advisory",
  category: "hygiene",
  framework: hipaa(...CITES.leastPrivilege),
  cdkNag: ["EC2InstanceProfileAttached"],
  awsConfig: ["ec2-instance-profile-attached"],
  resourceTypes: COMPUTE,
  remediationSteps: "Attach an aws.iam.InstanceProfile whose role has only the permissions the workload needs.",
  validate: (ctx, report) => {
    const ok =
      ctx.type === T.launchTemplate
        ? present(ctx.props, "iamInstanceProfile", "arn") || present(ctx.props, "iamInstanceProfile", "name")
        : present(ctx.props, "iamInstanceProfile");
    if (!ok) {
      report("No IAM instance profile is attached.");
    }
  },
});
