/**
 * The checks that list the security-event archive, against S3 on 127.0.0.1 (s3rver): the archive
 * received objects under events/dt=<day>/ in the window; the stream wrote nothing under errors/.
 * Keys are never printed (they may hold patient ids): the details hold counts only.
 */
import * as assert from "assert";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { runCheck } from "../../tools/verify/check";
import { archiveCheck, streamCheck } from "../../tools/verify/checks-pipeline";
import { S3RVER_CREDENTIALS, startS3rver, type LocalS3 } from "../../tools/local-aws/s3rver";
import { OUTPUTS, context, mockHealthyAccount } from "./harness";

const BUCKET = (OUTPUTS.securityEventPipeline as { archiveBucket: string }).archiveBucket;
const credentials = { accessKeyId: S3RVER_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: S3RVER_CREDENTIALS.AWS_SECRET_ACCESS_KEY };
const PATIENT_KEY_PART = "patient-8f3a";

describe("verify archive listing (s3rver)", () => {
  let s3: LocalS3;
  let client: S3Client;
  let m: ReturnType<typeof mockHealthyAccount>;
  beforeEach(async () => {
    s3 = await startS3rver({ directoryPrefix: "verify-archive-", buckets: [BUCKET] });
    client = new S3Client({ region: "us-east-1", endpoint: s3.endpoint, forcePathStyle: true, credentials });
    m = mockHealthyAccount();
  });
  afterEach(async () => {
    m.restore();
    client.destroy();
    await s3.close();
  });
  const put = (key: string) => client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: "x" }));
  const today = () => new Date().toISOString().slice(0, 10);
  const local = (now = new Date(), sinceMs = 3_600_000) =>
    context(
      { now, since: new Date(now.getTime() - sinceMs) },
      { endpoint: s3.endpoint, forcePathStyle: true, credentials, timeoutMs: 3_000 },
    );

  it("archive passes on objects under today's events/ partition, counting them without keys", async () => {
    await put(`events/dt=${today()}/hr=00/${PATIENT_KEY_PART}-1.gz`);
    await put(`events/dt=${today()}/hr=01/${PATIENT_KEY_PART}-2.gz`);
    const r = await runCheck(archiveCheck, local(), 10_000);
    assert.strictEqual(r.status, "pass", r.detail);
    assert.match(r.detail, /^2 objects under events\//);
    assert.ok(!JSON.stringify(r).includes(PATIENT_KEY_PART));
  });

  it("archive fails when the only objects are older than the window", async () => {
    await put(`events/dt=${today()}/hr=00/a.gz`);
    // The clock two hours on, the window the last hour: the object (written now) is older.
    const r = await runCheck(archiveCheck, local(new Date(Date.now() + 2 * 3_600_000)), 10_000);
    assert.strictEqual(r.status, "fail", r.detail);
    assert.match(r.detail, /no object under events\//);
  });

  it("archive fails on an empty archive (objects elsewhere do not count)", async () => {
    await put(`errors/processing-failed/dt=${today()}/hr=00/a.gz`);
    const r = await runCheck(archiveCheck, local(), 10_000);
    assert.strictEqual(r.status, "fail", r.detail);
  });

  it("stream passes with nothing under errors/, and fails on a new error object without printing its key", async () => {
    await put(`events/dt=${today()}/hr=00/a.gz`);
    const ok = await runCheck(streamCheck, local(), 10_000);
    assert.strictEqual(ok.status, "pass", ok.detail);
    await put(`errors/elasticsearch-failed/dt=${today()}/hr=00/${PATIENT_KEY_PART}.gz`);
    const r = await runCheck(streamCheck, local(), 10_000);
    assert.strictEqual(r.status, "fail", r.detail);
    assert.match(r.detail, /1 object under errors\/ since the window's start/);
    assert.ok(!JSON.stringify(r).includes(PATIENT_KEY_PART));
  });

  it("archive is unreachable, within the bound, when S3 does not answer (closed port)", async () => {
    const started = Date.now();
    const ctx = context({}, { endpoint: "http://127.0.0.1:9", forcePathStyle: true, credentials, timeoutMs: 1_000 });
    const r = await runCheck(archiveCheck, ctx, 10_000);
    assert.strictEqual(r.status, "unreachable", r.detail);
    assert.match(r.detail, /s3:ListBucket: network error ECONNREFUSED/);
    assert.ok(Date.now() - started < 5_000);
  });

  it("archive fails, not unreachable, when the bucket is gone", async () => {
    const outputs = { ...OUTPUTS, securityEventPipeline: { archiveBucket: "hcp-prod-gone" } };
    const r = await runCheck(archiveCheck, context({ outputs }, { endpoint: s3.endpoint, forcePathStyle: true, credentials }), 10_000);
    assert.strictEqual(r.status, "fail", r.detail);
    assert.match(r.detail, /NoSuchBucket/);
  });
});
