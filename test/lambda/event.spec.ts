/** Reading S3 notifications: key decoding, version identity and malformed events. */
import { strict as assert } from "assert";
import { decodeS3Key, MalformedEventError, parseS3Event } from "../../lambda/data-processor/event";
import { s3Event, s3Record } from "../../tools/local-aws/s3-events";

describe("data-processor S3 event parsing", () => {
  describe("decodeS3Key", () => {
    const cases: [string, string | undefined][] = [
      ["intake/a.json", "intake/a.json"],
      ["intake/patient+1.json", "intake/patient 1.json"],
      ["intake/a%2Bb.json", "intake/a+b.json"],
      ["intake/caf%C3%A9/%E6%82%A3%E8%80%85.json", "intake/café/患者.json"],
      ["intake/100%25.json", "intake/100%.json"],
      ["intake/%E0%A4%A.json", undefined],
      ["intake/%zz.json", undefined],
    ];
    for (const [raw, decoded] of cases) {
      it(`${raw} -> ${decoded ?? "(invalid)"}`, () => assert.equal(decodeS3Key(raw), decoded));
    }
  });

  it("reads bucket, decoded key, size and the audit version of each record", () => {
    const refs = parseS3Event(
      s3Event(
        s3Record("intake/clinic a/p+1.json", 120, { versionId: "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY", sequencer: "0055AED6DCD90281E5" }),
        s3Record("intake/b.json", 0, { sequencer: "0055AED6DCD90281E6" }),
        s3Record("intake/c.json", 7, { versionId: "null", sequencer: "0055AED6DCD90281E7" }),
      ),
    );
    assert.deepEqual(
      refs.map((r) => [r.index, r.bucket, r.key, r.sizeBytes, r.versionId, r.auditVersion]),
      [
        [0, "phi-data-test", "intake/clinic a/p+1.json", 120, "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY", "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY"],
        [1, "phi-data-test", "intake/b.json", 0, undefined, "null#0055AED6DCD90281E6"],
        // Versioning suspended: every overwrite is version "null", so the sequencer tells them apart.
        [2, "phi-data-test", "intake/c.json", 7, undefined, "null#0055AED6DCD90281E7"],
      ],
    );
  });

  const record = () =>
    s3Record("intake/x.json", 10) as unknown as { eventSource?: unknown; eventName?: unknown; s3: Record<string, Record<string, unknown>> };
  const malformed: [string, () => unknown, RegExp[]][] = [
    ["undefined", () => undefined, [/Records is missing or not an array: this is not an S3 event notification/]],
    [
      "an SQS event",
      () => ({ Records: [{ eventSource: "aws:sqs", body: "{}" }] }),
      [/Records\[0\]\.eventSource must be "aws:s3", got "aws:sqs"/, /Records\[0\]\.s3 is missing/],
    ],
    ["Records as an object", () => ({ Records: {} }), [/Records is missing or not an array/]],
    ["no records", () => ({ Records: [] }), [/Records is empty/]],
    ["a null record", () => ({ Records: [null] }), [/Records\[0\] is not an object/]],
    [
      "no eventName",
      () => {
        const r = record();
        delete r.eventName;
        return { Records: [r] };
      },
      [/Records\[0\]\.eventName is missing/],
    ],
    [
      "no bucket",
      () => {
        const r = record();
        delete r.s3.bucket;
        return { Records: [r] };
      },
      [/Records\[0\]\.s3\.bucket\.name is missing/],
    ],
    [
      "no object",
      () => {
        const r = record();
        delete r.s3.object;
        return { Records: [r] };
      },
      [/Records\[0\]\.s3\.object is missing/],
    ],
    [
      "an empty key",
      () => {
        const r = record();
        r.s3.object.key = "";
        return { Records: [r] };
      },
      [/Records\[0\]\.s3\.object\.key is missing/],
    ],
    [
      "a broken key encoding",
      () => {
        const r = record();
        r.s3.object.key = "intake/%E0%A4%A";
        return { Records: [r] };
      },
      [/Records\[0\]\.s3\.object\.key is not a valid URL-encoded S3 key/],
    ],
    [
      "a negative size",
      () => {
        const r = record();
        r.s3.object.size = -1;
        return { Records: [r] };
      },
      [/Records\[0\]\.s3\.object\.size must be a whole number of bytes, got -1/],
    ],
    [
      "a size as a string",
      () => {
        const r = record();
        r.s3.object.size = "10";
        return { Records: [r] };
      },
      [/size must be a whole number of bytes, got "10"/],
    ],
    [
      "neither version nor sequencer",
      () => {
        const r = record();
        delete r.s3.object.sequencer;
        return { Records: [r] };
      },
      [/Records\[0\]\.s3\.object\.versionId or \.sequencer is required/],
    ],
    [
      "a numeric versionId",
      () => {
        const r = record();
        r.s3.object.versionId = 3;
        return { Records: [r] };
      },
      [/versionId must be a string/],
    ],
    [
      "a good record and a bad one",
      () => {
        const r = record();
        delete r.s3.object.key;
        return { Records: [record(), r] };
      },
      [/Records\[1\]\.s3\.object\.key is missing/],
    ],
  ];
  for (const [name, event, expected] of malformed) {
    it(`refuses ${name}, naming the field`, () => {
      assert.throws(
        () => parseS3Event(event()),
        (e: Error) =>
          e instanceof MalformedEventError &&
          expected.every((re) => re.test(e.message)) &&
          /accepts S3 ObjectCreated notifications/.test(e.message),
      );
    });
  }
});
