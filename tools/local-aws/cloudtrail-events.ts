/**
 * CloudTrail S3 data events shaped as AWS documents them, and Firehose transformation requests as
 * Firehose hands them to the authorizer (no other processor before it): each record's data is the
 * base64 of a gzip-compressed CloudWatch Logs subscription message whose log events' messages are
 * the CloudTrail events.
 *
 * Event fields: https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-understanding-s3-entries.html
 * userIdentity: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html
 * Subscription messages: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters.html#FirehoseExample
 */
import { randomUUID } from "crypto";
import { gzipSync } from "zlib";

export const ACCOUNT = "111122223333";
export const OTHER_ACCOUNT = "444455556666";
export const BUCKET = "phi-data-test";
export const OTHER_BUCKET = "phi-archive-test";

export const USER_NAME = "dr-alice-smith";
export const USER_ARN = `arn:aws:iam::${ACCOUNT}:user/${USER_NAME}`;
export const ROLE_NAME = "clinical-reader";
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/${ROLE_NAME}`;
export const SESSION_NAME = "bob.jones@clinic.example";
export const PARTNER_ROLE_ARN = `arn:aws:iam::${OTHER_ACCOUNT}:role/partner-lab-writer`;
export const SERVICE_PRINCIPAL = "s3.amazonaws.com";
/** The detection canary's probe role (issue 18): IAM lets it read `canary/`, the grants table grants it nothing. */
export const PROBE_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/hcp-test-canary-probe`;
export const CANARY_PREFIX = "canary/";
export const CANARY_KEY = `${CANARY_PREFIX}probe.json`;

type Json = Record<string, unknown>;

export const identities = {
  iamUser: (): Json => ({
    type: "IAMUser",
    principalId: "AIDAJ45Q7YFFAREXAMPLE",
    arn: USER_ARN,
    accountId: ACCOUNT,
    accessKeyId: "AKIAIOSFODNN7EXAMPLE",
    userName: USER_NAME,
  }),
  assumedRole: (roleArn = ROLE_ARN, account = ACCOUNT): Json => {
    const roleName = roleArn.split("/").pop()!;
    return {
      type: "AssumedRole",
      principalId: `AROAIDPPEZS35WEXAMPLE:${SESSION_NAME}`,
      arn: `arn:aws:sts::${account}:assumed-role/${roleName}/${SESSION_NAME}`,
      accountId: account,
      accessKeyId: "ASIAIOSFODNN7EXAMPLE",
      sessionContext: {
        sessionIssuer: { type: "Role", principalId: "AROAIDPPEZS35WEXAMPLE", arn: roleArn, accountId: account, userName: roleName },
        attributes: { creationDate: "2026-01-01T00:00:00Z", mfaAuthenticated: "false" },
      },
    };
  },
  awsService: (service = SERVICE_PRINCIPAL): Json => ({ type: "AWSService", invokedBy: service }),
  /** A caller in another account whose identity the bucket owner's trail does not see. */
  awsAccount: (account = OTHER_ACCOUNT): Json => ({ type: "AWSAccount", principalId: "AIDACKCEVSQ6C2EXAMPLE", accountId: account }),
};

export interface EventOptions {
  readonly eventName?: string;
  readonly bucket?: string;
  readonly key?: string;
  readonly userIdentity?: Json;
  readonly eventID?: string;
  readonly eventTime?: string;
  readonly copySource?: string;
}

/** An S3 object-level data event as CloudTrail records it. */
export function s3DataEvent(opts: EventOptions = {}): Json {
  const eventName = opts.eventName ?? "GetObject";
  const bucket = opts.bucket ?? BUCKET;
  const key = opts.key ?? "patients/p-0001/record.json";
  const readOnly = /^(Get|Head|List|Select)/.test(eventName);
  return {
    eventVersion: "1.10",
    userIdentity: opts.userIdentity ?? identities.iamUser(),
    eventTime: opts.eventTime ?? "2026-03-01T12:00:00Z",
    eventSource: "s3.amazonaws.com",
    eventName,
    awsRegion: "us-east-1",
    sourceIPAddress: "192.0.2.10",
    userAgent: "[aws-sdk-js/3.0.0]",
    requestParameters: {
      bucketName: bucket,
      Host: `${bucket}.s3.us-east-1.amazonaws.com`,
      key,
      ...(opts.copySource === undefined ? {} : { "x-amz-copy-source": opts.copySource }),
    },
    responseElements: null,
    additionalEventData: {
      SignatureVersion: "SigV4",
      CipherSuite: "TLS_AES_128_GCM_SHA256",
      bytesTransferredIn: 0,
      AuthenticationMethod: "AuthHeader",
      "x-amz-id-2": "EXAMPLEmJ3i+oHh9EXAMPLE=",
      bytesTransferredOut: 1024,
    },
    requestID: "EXAMPLE123456789",
    eventID: opts.eventID ?? randomUUID(),
    readOnly,
    resources: [
      { type: "AWS::S3::Object", ARN: `arn:aws:s3:::${bucket}/${key}` },
      { accountId: ACCOUNT, type: "AWS::S3::Bucket", ARN: `arn:aws:s3:::${bucket}` },
    ],
    eventType: "AwsApiCall",
    managementEvent: false,
    recipientAccountId: ACCOUNT,
    eventCategory: "Data",
    tlsDetails: {
      tlsVersion: "TLSv1.3",
      cipherSuite: "TLS_AES_128_GCM_SHA256",
      clientProvidedHostHeader: `${bucket}.s3.us-east-1.amazonaws.com`,
    },
  };
}

/** A management event (not an S3 object access). */
export function managementEvent(): Json {
  return {
    eventVersion: "1.10",
    userIdentity: identities.iamUser(),
    eventTime: "2026-03-01T12:00:00Z",
    eventSource: "iam.amazonaws.com",
    eventName: "ListRoles",
    awsRegion: "us-east-1",
    requestParameters: null,
    responseElements: null,
    eventID: randomUUID(),
    readOnly: true,
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: "Management",
  };
}

let recordSequence = 0;

/** The subscription message of the CloudTrail log group holding `messages` as its log events (DATA_MESSAGE). */
export function subscriptionMessage(messages: string[], messageType = "DATA_MESSAGE"): Json {
  return {
    owner: ACCOUNT,
    logGroup: "/hcp/test/cloudtrail",
    logStream: `${ACCOUNT}_CloudTrail_us-east-1`,
    subscriptionFilters: ["security-events"],
    messageType,
    logEvents:
      messageType === "CONTROL_MESSAGE"
        ? [{ id: "", timestamp: 1_772_366_400_000, message: "CWL CONTROL MESSAGE: Checking health of destination Firehose." }]
        : messages.map((message, i) => ({ id: String(3_195_310_660_696_698 + i), timestamp: 1_772_366_400_000, message })),
  };
}

/** base64 of the gzip of `value` (JSON unless a string or bytes): a record's data as the subscription sends it. */
export function gzipData(value: Json | string | Buffer): string {
  const bytes = Buffer.isBuffer(value) ? value : Buffer.from(typeof value === "string" ? value : JSON.stringify(value), "utf8");
  return gzipSync(bytes).toString("base64");
}

/** One Firehose record whose log events' messages are `lines` (CloudTrail events, or raw strings). */
export function record(lines: (Json | string)[], recordId?: string) {
  const messages = lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l)));
  return rawRecord(gzipData(subscriptionMessage(messages)), recordId);
}

/** The CONTROL_MESSAGE CloudWatch Logs sends when a subscription is created (Firehose's transform drops it). */
export function controlRecord(recordId?: string) {
  return rawRecord(gzipData(subscriptionMessage([], "CONTROL_MESSAGE")), recordId);
}

export function rawRecord(data: string, recordId?: string) {
  return {
    recordId: recordId ?? `49546986683135544286507457936321625675700192471156785154${String(++recordSequence).padStart(6, "0")}`,
    approximateArrivalTimestamp: 1_772_366_400_000,
    data,
  };
}

/** A transformation request as Firehose sends it. */
export function firehoseEvent(records: ReturnType<typeof rawRecord>[]) {
  return {
    invocationId: randomUUID(),
    deliveryStreamArn: `arn:aws:firehose:us-east-1:${ACCOUNT}:deliverystream/security-events`,
    region: "us-east-1",
    records,
  };
}

/** The document the authorizer writes into each Firehose response record. */
export interface AuthorizerDocument {
  authorizerVersion: number;
  decision: string;
  eventCount: number;
  events: Json[];
}

function isAuthorizerDocument(v: unknown): v is AuthorizerDocument {
  if (typeof v !== "object" || v === null) return false;
  const d = v as Partial<Record<keyof AuthorizerDocument, unknown>>;
  return (
    typeof d.authorizerVersion === "number" &&
    typeof d.decision === "string" &&
    typeof d.eventCount === "number" &&
    Array.isArray(d.events) &&
    d.events.every((e: unknown) => typeof e === "object" && e !== null && !Array.isArray(e))
  );
}

/** Decodes a response record's data into its document (and checks the trailing newline and the document's shape). */
export function documentOf(data: string): AuthorizerDocument {
  const text = Buffer.from(data, "base64").toString("utf8");
  if (!text.endsWith("\n") || text.slice(0, -1).includes("\n")) throw new Error("a document must be one newline-terminated line");
  const doc: unknown = JSON.parse(text);
  if (!isAuthorizerDocument(doc)) throw new Error(`not an authorizer document: ${text}`);
  return doc;
}
