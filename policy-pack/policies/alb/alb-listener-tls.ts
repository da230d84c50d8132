import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { LISTENER_TYPES } from "../lib/types";
import { get, list, probe, str, UNKNOWN } from "../lib/util";

const RECOMMENDED_TLS = [
  "ELBSecurityPolicy-TLS13-1-2-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
  "ELBSecurityPolicy-TLS13-1-3-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
  "ELBSecurityPolicy-FS-1-2-Res-2020-10",
  "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
];

const JUDGED = ["HTTP", "HTTPS", "TLS"];

function protocolOf(props: unknown): string {
  return (str(get(props, "protocol")) ?? "HTTP").toUpperCase();
}

export const albListenerTls = resourcePolicy<{ allowedSslPolicies: string[] }>({
  name: "alb-listener-tls",
  description: "Listeners accept only HTTPS with an ACM certificate and a TLS 1.2+ policy, or plain HTTP that only redirects to HTTPS.",
  severity: "critical",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.transmission),
  cdkNag: ["ALBHttpToHttpsRedirection", "ELBv2ACMCertificateRequired"],
  awsConfig: ["alb-http-to-https-redirection-check", "elbv2-acm-certificate-required", "elb-predefined-security-policy-ssl-check"],
  resourceTypes: [...LISTENER_TYPES],
  config: {
    allowedSslPolicies: {
      type: "array",
      items: { type: "string" },
      default: RECOMMENDED_TLS,
      description: "ELB security policies allowed on HTTPS/TLS listeners (TLS 1.2 minimum, forward secrecy).",
    },
  },
  remediationSteps:
    "For HTTPS listeners set `certificateArn` (an ACM certificate) and " +
    '`sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06"`; make the port-80 listener\'s default action ' +
    '`{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }`.',
  examines: [
    {
      rule: "HTTP, HTTPS and TLS listeners (TCP and UDP listeners carry no TLS setting)",
      where: (ctx) => JUDGED.includes(protocolOf(ctx.props)),
    },
  ],
  validate: (ctx, report) => {
    const protocol = protocolOf(ctx.props);
    if (protocol === "HTTPS" || protocol === "TLS") {
      const policy = str(get(ctx.props, "sslPolicy"));
      if (!policy || !ctx.config.allowedSslPolicies.includes(policy)) {
        report(
          `The ${protocol} listener's sslPolicy (${policy ?? "default ELBSecurityPolicy-2016-08"}) allows outdated TLS; ` +
            "use ELBSecurityPolicy-TLS13-1-2-2021-06.",
        );
      }
      const cert = probe(ctx.props, "certificateArn");
      if (cert === UNKNOWN) {
        return; // the ARN of a certificate created in this deployment
      }
      if (typeof cert === "string" && cert !== "" && !/^arn:aws[a-z-]*:acm:/.test(cert)) {
        report("The listener's certificate is not managed by ACM (certificateArn is not an ACM ARN).");
      } else if (cert === undefined || cert === "") {
        report("The HTTPS listener has no certificateArn.");
      }
      return;
    }
    if (protocol === "HTTP") {
      const actions = list(get(ctx.props, "defaultActions"));
      const redirects =
        actions.length > 0 &&
        actions.every((a) => str(get(a, "type")) === "redirect" && (str(get(a, "redirect", "protocol")) ?? "").toUpperCase() === "HTTPS");
      if (!redirects) {
        report("The HTTP listener serves traffic instead of redirecting to HTTPS: PHI would cross the network unencrypted.");
      }
    }
  },
});
