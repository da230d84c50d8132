import { hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { get, str } from "../lib/util";
import { COMPUTE } from "./lib";

export const ec2Imdsv2Required = resourcePolicy({
  name: "ec2-imdsv2-required",
  description: "Launch templates and instances require IMDSv2 session tokens for the instance metadata service.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa("164.308(a)(3)(i)", "164.308(a)(4)(ii)(A)", "164.308(a)(4)(ii)(C)", "164.312(a)(1)"),
  cdkNag: ["EC2IMDSv2Enabled"],
  awsConfig: ["ec2-imdsv2-check"],
  resourceTypes: COMPUTE,
  remediationSteps: 'Set `metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 }`.',
  validate: (ctx, report) => {
    const endpoint = str(get(ctx.props, "metadataOptions", "httpEndpoint"));
    if (endpoint === "disabled") {
      return;
    }
    if (str(get(ctx.props, "metadataOptions", "httpTokens")) !== "required") {
      report('IMDSv1 is allowed: set metadataOptions.httpTokens to "required" so credentials cannot be read through SSRF.');
    }
  },
});
