/**
 * Property: whatever bytes arrive (arbitrary bytes, truncated JSON, oversized records, valid
 * events mixed in), the batch never throws, every recordId comes back exactly once and in order,
 * nothing is dropped (no `Dropped`; every ProcessingFailed keeps its original data unless the
 * response budget forced it out, and Ok records hold every input event), and the response fits.
 */
import { strict as assert } from "assert";
import fc from "fast-check";
import { gunzipSync } from "zlib";
import { responseBytes } from "../../lambda/authorizer/firehose";
import type { AuthorizerHandler } from "../../lambda/authorizer/index";
import {
  BUCKET,
  documentOf,
  firehoseEvent,
  gzipData,
  identities,
  rawRecord,
  s3DataEvent,
  subscriptionMessage,
  USER_ARN,
} from "../../tools/local-aws/cloudtrail-events";
import { LocalAws, startLocalAws } from "../../tools/local-aws/authorizer";

const BUDGET = 200_000;

describe("authorizer property: arbitrary records", function () {
  this.timeout(120_000);
  let aws: LocalAws;
  let handler: AuthorizerHandler;

  before(async () => {
    aws = await startLocalAws();
    await aws.putGrants(USER_ARN, BUCKET, [{ prefix: "patients/", access: "read" }]);
    handler = aws.handler({ maxResponseBytes: BUDGET });
  });
  after(async () => {
    await aws?.stop();
  });

  const validLine = fc
    .record({
      key: fc.string({ maxLength: 40 }),
      eventName: fc.constantFrom("GetObject", "PutObject", "DeleteObject", "ListBuckets"),
      role: fc.boolean(),
    })
    .map(({ key, eventName, role }) =>
      JSON.stringify(s3DataEvent({ key, eventName, userIdentity: role ? identities.assumedRole() : identities.iamUser() })),
    );
  const truncated = validLine.chain((line) => fc.nat({ max: line.length - 1 }).map((n) => line.slice(0, n)));
  // A subscription's DATA_MESSAGE (gzip), its log events' messages valid, truncated or arbitrary.
  const messages = fc.array(fc.oneof(validLine, truncated, fc.string({ maxLength: 80 })), { minLength: 0, maxLength: 4 });
  const subscription = messages.map((m) => gzipData(subscriptionMessage(m)));
  const text = messages.map((lines) => Buffer.from(lines.join("\n")));
  const bytes = fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a));
  const oversized = fc
    .integer({ min: 50_000, max: 150_000 })
    .map((n) => Buffer.from(JSON.stringify({ ...s3DataEvent(), padding: "x".repeat(n) })));
  const data = fc.oneof(
    { arbitrary: subscription, weight: 4 },
    { arbitrary: text.map((b) => gzipData(b)), weight: 1 },
    { arbitrary: text.map((b) => b.toString("base64")), weight: 1 },
    { arbitrary: bytes.map((b) => b.toString("base64")), weight: 3 },
    { arbitrary: oversized.map((b) => gzipData(subscriptionMessage([b.toString("utf8")]))), weight: 1 },
    { arbitrary: fc.string({ maxLength: 20 }), weight: 1 },
  );

  it("never throws; every recordId exactly once, in order; nothing dropped; the response within budget", async () => {
    let documents = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(data, { minLength: 1, maxLength: 12 }), async (datas) => {
        const input = datas.map((d, i) => rawRecord(d, `record-${i}`));
        const out = await handler(firehoseEvent(input));
        assert.deepEqual(
          out.records.map((r) => r.recordId),
          input.map((r) => r.recordId),
        );
        assert.ok(Buffer.byteLength(JSON.stringify(out)) <= BUDGET);
        assert.equal(Buffer.byteLength(JSON.stringify(out)), responseBytes(out.records));
        out.records.forEach((r, i) => {
          assert.ok(r.result === "Ok" || r.result === "ProcessingFailed", "never Dropped");
          if (r.result === "ProcessingFailed") {
            assert.ok(
              r.data === input[i].data || r.data === "",
              "the original data (or nothing, past the budget: Firehose keeps the original)",
            );
            return;
          }
          const envelope = JSON.parse(gunzipSync(Buffer.from(input[i].data, "base64")).toString("utf8")) as {
            logEvents: { message: string }[];
          };
          const lines = envelope.logEvents.map((e) => e.message).filter((l) => l.trim() !== "");
          const doc = documentOf(r.data);
          documents++;
          assert.equal(doc.eventCount, lines.length, "every event of the record is in its document");
          doc.events.forEach((e, j) =>
            assert.deepEqual({ ...e, authorization: undefined }, { ...JSON.parse(lines[j]), authorization: undefined }),
          );
        });
      }),
      { numRuns: 150 },
    );
    assert.ok(documents > 0, "some generated records were valid subscription messages and came back as documents");
  });
});
