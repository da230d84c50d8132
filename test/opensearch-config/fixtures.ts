/** The invocation input the tests send: the Firehose role writes, the analysts' role reads. */
import { ENDPOINT, REGION } from "./server";

export const FIREHOSE_ROLE = "arn:aws:iam::111122223333:role/hcp-prod-security-events-firehose";
export const ANALYST_ROLE = "arn:aws:iam::111122223333:role/hcp-prod-analysts";

export const INPUT = {
  endpoint: ENDPOINT,
  region: REGION,
  indexPattern: "security-events-*",
  retentionDays: 365,
  writer: { roleName: "security_events_writer", backendRoles: [FIREHOSE_ROLE] },
  reader: { roleName: "security_events_reader", backendRoles: [ANALYST_ROLE] },
};
