/**
 * The authorizer's access decision as a specification (issue 16, part 5): what a grant covers (its
 * access kind, its anchored prefix, its expiry), whose grants an event is checked against (the
 * principal an event names), and the refusals. Each rule below was mutated once in the code and a test
 * here failed (the mutations are listed in the commit message).
 *
 * Sources: the grant contract (lambda/authorizer/contract.ts: `prefix` "" = the whole bucket,
 * `expiresAt` ISO-8601 UTC), CloudTrail's userIdentity element
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html)
 * and S3's CloudTrail entries (https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-understanding-s3-entries.html).
 */
import { strict as assert } from "assert";
import { eventFacts, type ObjectAccess } from "../../lambda/authorizer/cloudtrail";
import type { Grant } from "../../lambda/authorizer/contract";
import { checkAccess } from "../../lambda/authorizer/grants";

const BUCKET = "hcp-prod-phi-data-111122223333-us-east-1";
const T = Date.parse("2026-11-05T10:00:00.000Z");
const read = (key: string | undefined): ObjectAccess =>
  key === undefined ? { bucket: BUCKET, access: "read" } : { bucket: BUCKET, key, access: "read" };
const decide = (access: ObjectAccess, grants: Grant[] | null, at = T) => checkAccess(access, grants, at).result;

describe("the access decision: prefix anchoring", () => {
  const grants: Grant[] = [{ prefix: "patients/", access: "read" }];

  it("a grant on patients/ covers keys that start with it", () => {
    assert.equal(decide(read("patients/MRN-1/record.json"), grants), "granted");
    assert.equal(decide(read("patients/"), grants), "granted");
  });

  it("a grant on patients/ does not cover a key that merely contains it, or a sibling prefix", () => {
    assert.equal(decide(read("other/patients/x"), grants), "no-matching-grant");
    assert.equal(decide(read("archive/patients/MRN-1/record.json"), grants), "no-matching-grant");
    assert.equal(decide(read("patients-old/x"), grants), "no-matching-grant");
    assert.equal(decide(read("patients"), grants), "no-matching-grant", "the prefix itself without its slash is another key");
  });

  it("prefixes are case-sensitive, as S3 keys are", () => {
    assert.equal(decide(read("Patients/x"), grants), "no-matching-grant");
  });

  it('"" covers the whole bucket; a call naming no key (DeleteObjects) needs exactly that', () => {
    assert.equal(decide(read("anything/at/all"), [{ prefix: "", access: "read" }]), "granted");
    assert.equal(decide(read(undefined), [{ prefix: "", access: "read" }]), "granted");
    assert.equal(decide(read(undefined), grants), "no-matching-grant");
  });

  it("the longest matching prefix is the grant reported", () => {
    const both: Grant[] = [
      { prefix: "patients/", access: "read" },
      { prefix: "patients/MRN-1/", access: "read" },
    ];
    assert.equal(checkAccess(read("patients/MRN-1/x"), both, T).grant?.prefix, "patients/MRN-1/");
    assert.equal(checkAccess(read("patients/MRN-2/x"), both, T).grant?.prefix, "patients/");
  });
});

describe("the access decision: expiry", () => {
  const expiring: Grant[] = [{ prefix: "patients/", access: "read", expiresAt: new Date(T).toISOString() }];

  it("one millisecond before expiresAt the grant holds", () => {
    assert.equal(decide(read("patients/x"), expiring, T - 1), "granted");
  });

  it("exactly at expiresAt the grant has expired (the window is [grant, expiresAt))", () => {
    assert.equal(decide(read("patients/x"), expiring, T), "expired");
  });

  it("one millisecond after expiresAt the grant has expired", () => {
    assert.equal(decide(read("patients/x"), expiring, T + 1), "expired");
  });

  it("a grant without expiresAt never expires; an unexpired grant wins over an expired one", () => {
    assert.equal(decide(read("patients/x"), [{ prefix: "patients/", access: "read" }], Date.parse("2099-01-01T00:00:00Z")), "granted");
    assert.equal(decide(read("patients/x"), [...expiring, { prefix: "", access: "read" }], T + 1), "granted");
  });

  it("an expired grant that would not have matched is not reported as expired", () => {
    assert.equal(decide(read("other/x"), expiring, T + 1), "no-matching-grant");
  });
});

describe("the access decision: access kinds", () => {
  const kinds = ["read", "write", "delete"] as const;

  it("a grant covers its own access kind only (read, write and delete are distinct)", () => {
    for (const granted of kinds)
      for (const needed of kinds)
        assert.equal(
          decide({ bucket: BUCKET, key: "patients/x", access: needed }, [{ prefix: "patients/", access: granted }]),
          granted === needed ? "granted" : "no-matching-grant",
          `${granted} grant, ${needed} access`,
        );
  });

  const event = (eventName: string, requestParameters: Record<string, unknown>) =>
    eventFacts({
      eventSource: "s3.amazonaws.com",
      eventName,
      eventID: "e-1",
      eventTime: "2026-11-05T10:00:00Z",
      requestParameters: { bucketName: BUCKET, ...requestParameters },
      userIdentity: { type: "IAMUser", arn: "arn:aws:iam::111122223333:user/alice", accountId: "111122223333" },
      recipientAccountId: "111122223333",
    });

  it("S3 calls need the access the contract assigns: reads, writes, deletes, listings as reads of the listed prefix", () => {
    assert.deepEqual(event("GetObject", { key: "patients/x" }).accesses, [{ bucket: BUCKET, key: "patients/x", access: "read" }]);
    assert.deepEqual(event("HeadObject", { key: "patients/x" }).accesses, [{ bucket: BUCKET, key: "patients/x", access: "read" }]);
    assert.deepEqual(event("PutObject", { key: "patients/x" }).accesses, [{ bucket: BUCKET, key: "patients/x", access: "write" }]);
    assert.deepEqual(event("DeleteObject", { key: "patients/x" }).accesses, [{ bucket: BUCKET, key: "patients/x", access: "delete" }]);
    assert.deepEqual(event("DeleteObjects", {}).accesses, [{ bucket: BUCKET, access: "delete" }]);
    assert.deepEqual(event("ListObjectsV2", { prefix: "patients/" }).accesses, [{ bucket: BUCKET, key: "patients/", access: "read" }]);
    assert.deepEqual(event("ListObjects", {}).accesses, [{ bucket: BUCKET, key: "", access: "read" }]);
  });

  it("a copy writes its destination and reads its source", () => {
    assert.deepEqual(event("CopyObject", { key: "processed/x", "x-amz-copy-source": `${BUCKET}/patients/x` }).accesses, [
      { bucket: BUCKET, key: "processed/x", access: "write" },
      { bucket: BUCKET, key: "patients/x", access: "read" },
    ]);
  });

  it("management and non-S3 calls are not decided at all", () => {
    assert.equal(event("PutBucketPolicy", {}).applicable, false);
    assert.equal(eventFacts({ eventSource: "dynamodb.amazonaws.com", eventName: "GetItem" }).applicable, false);
  });
});

describe("the access decision: whose grants (principals)", () => {
  const facts = (userIdentity: Record<string, unknown>, recipientAccountId = "111122223333") =>
    eventFacts({
      eventSource: "s3.amazonaws.com",
      eventName: "GetObject",
      eventID: "e-2",
      eventTime: "2026-11-05T10:00:00Z",
      requestParameters: { bucketName: BUCKET, key: "patients/x" },
      userIdentity,
      recipientAccountId,
    });

  it("an assumed-role session is checked against its role (the session issuer), never the session", () => {
    const f = facts({
      type: "AssumedRole",
      arn: "arn:aws:sts::111122223333:assumed-role/clinical-reader/alice",
      accountId: "111122223333",
      sessionContext: { sessionIssuer: { type: "Role", arn: "arn:aws:iam::111122223333:role/team/clinical-reader" } },
    });
    assert.equal(f.principal, "arn:aws:iam::111122223333:role/team/clinical-reader");
    assert.equal(f.crossAccount, false);
  });

  it("without a session issuer, the role named in the assumed-role ARN (its path unknown)", () => {
    const f = facts({
      type: "AssumedRole",
      arn: "arn:aws:sts::111122223333:assumed-role/clinical-reader/alice",
      accountId: "111122223333",
    });
    assert.equal(f.principal, "arn:aws:iam::111122223333:role/clinical-reader");
  });

  it("an IAM user is checked against its own ARN", () => {
    assert.equal(
      facts({ type: "IAMUser", arn: "arn:aws:iam::111122223333:user/alice", accountId: "111122223333" }).principal,
      "arn:aws:iam::111122223333:user/alice",
    );
  });

  it("a caller of another account is marked cross-account; without its ARN its account root is looked up", () => {
    const other = facts({ type: "AWSAccount", accountId: "444455556666" });
    assert.equal(other.principal, "arn:aws:iam::444455556666:root");
    assert.equal(other.crossAccount, true);
    const role = facts({
      type: "AssumedRole",
      arn: "arn:aws:sts::444455556666:assumed-role/partner/x",
      accountId: "444455556666",
      sessionContext: { sessionIssuer: { arn: "arn:aws:iam::444455556666:role/partner" } },
    });
    assert.deepEqual([role.principal, role.crossAccount], ["arn:aws:iam::444455556666:role/partner", true]);
  });

  it("an AWS service acting as itself is checked against its service principal", () => {
    assert.equal(facts({ type: "AWSService", invokedBy: "s3.amazonaws.com" }).principal, "s3.amazonaws.com");
  });
});

describe("the access decision: refusals", () => {
  it("no grants item for (principal, bucket): no-item", () => {
    assert.equal(decide(read("patients/x"), null), "no-item");
  });

  it("an item with no grant for the access: no-matching-grant; an empty item likewise", () => {
    assert.equal(decide(read("patients/x"), [{ prefix: "intake/", access: "write" }]), "no-matching-grant");
    assert.equal(decide(read("patients/x"), []), "no-matching-grant");
  });

  it("only expired grants matched: expired", () => {
    assert.equal(decide(read("patients/x"), [{ prefix: "patients/", access: "read", expiresAt: "2026-01-01T00:00:00Z" }]), "expired");
  });
});
