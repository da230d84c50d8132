// Specs of the alb-listener-tls policy (./alb-listener-tls.ts).

import { albListenerTls } from "./alb-listener-tls";
import { UNKNOWN_STRING } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { Platform } from "../../test-support/platform";
import { policySuite } from "../../test-support/suite";
import { toAlbAlias } from "../../test-support/specs/edge";

const https = (p: Platform) => p.find("aws:lb/listener:Listener", "https-listener");

const http = (p: Platform) => p.find("aws:lb/listener:Listener", "http-redirect");

describe("alb", () => {
  policySuite(albListenerTls, {
    cases: [
      {
        name: "HTTP listener forwarding traffic",
        mutate: (p) => set(http(p), "defaultActions", [{ type: "forward", targetGroupArn: "arn:tg" }]),
        expect: { violation: "http-redirect", message: /redirecting to HTTPS/ },
      },
      {
        name: "redirect to HTTP",
        mutate: (p) => set(http(p), "defaultActions.0.redirect.protocol", "HTTP"),
        expect: { violation: "http-redirect" },
      },
      {
        name: "outdated TLS policy",
        mutate: (p) => set(https(p), "sslPolicy", "ELBSecurityPolicy-2016-08"),
        expect: { violation: "https-listener", message: /outdated TLS/ },
      },
      { name: "default TLS policy", mutate: (p) => set(https(p), "sslPolicy", undefined), expect: { violation: "https-listener" } },
      {
        name: "IAM server certificate instead of ACM",
        mutate: (p) => set(https(p), "certificateArn", "arn:aws:iam::123456789012:server-certificate/x"),
        expect: { violation: "https-listener", message: /ACM/ },
      },
      {
        name: "aws:alb/listener alias judged the same",
        mutate: (p) => {
          const r = https(p);
          toAlbAlias(r, "aws:alb/listener:Listener");
          set(r, "sslPolicy", "ELBSecurityPolicy-2016-08");
        },
        expect: { violation: "https-listener" },
      },
      {
        name: "preview: certificate ARN unknown -> passes (certificate being created)",
        mutate: (p) => set(https(p), "certificateArn", UNKNOWN_STRING),
        expect: "clean",
      },
      { name: "preview: protocol unknown -> can't run", mutate: (p) => set(https(p), "protocol", UNKNOWN_STRING), expect: "unknown" },
    ],
  });
});
