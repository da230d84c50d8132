/**
 * data-processor: bundle size, cold start, validation speed, and throughput against local S3
 * (s3rver) and DynamoDB (dynalite) with SNS and SSM mocked.
 *
 * Throughput runs twice against the same servers, each time in batches of {@link BATCH_SIZE} and
 * one record per invocation, and prints the ratio of the two:
 * - as is: the emulators run in this process and share its event loop (and the machine's cores)
 *   with the handler. They cost more CPU per record than the handler itself (a record costs four
 *   emulator calls) and answer in well under a millisecond, so there is almost no waiting for the
 *   handler's concurrency to overlap: these figures compare versions of the handler's CPU cost.
 * - with a modelled network round trip of {@link MODELLED_ROUND_TRIP_MS} ms added to each S3 and
 *   DynamoDB request (an SDK middleware of the bench, idle time, not CPU). In AWS a record's four
 *   calls are network round trips of a few to tens of milliseconds each, and overlapping them is
 *   what running a batch's records concurrently (RECORD_CONCURRENCY at a time) buys. The ratio stays
 *   below RECORD_CONCURRENCY: with 25 records in 4 slots the busiest slot runs 7 of them (~25 / 7).
 * Neither predicts production throughput. "validation only" isolates the handler's own CPU work.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { setTimeout as sleep } from "timers/promises";
import { gzipSync } from "zlib";
import { buildLambdaBundle } from "../components/lib/lambda-bundle";
import type { AwsClients } from "../lambda/data-processor/aws";
import { RECORD_CONCURRENCY } from "../lambda/data-processor/contract";
import { classifyDocument } from "../lambda/data-processor/fhir/classify";
import { AJV_OPTIONS, extractSubset, GENERATED_VALIDATOR_PATH, loadOfficialSchema, ROOT_REF } from "../lambda/data-processor/fhir/generate";
import { captureOutput, LocalAws, startLocalAws, s3Event, s3Record } from "../tools/local-aws/data-processor";
import { json, notJson, patientWithBadBirthDateAndGender, validObservation, validPatient } from "../tools/local-aws/fhir-records";
import { freshProcessMs, timedScript as timed } from "./probe";
import type { Bench, Measurement } from "./run";

const REPO_ROOT = path.resolve(__dirname, "..");
const RECORDS = 500;
const BATCH_SIZE = 25;
const SINGLE_RECORD_INVOCATIONS = 200;
const COLD_START_RUNS = 5;
const UPLOAD_CONCURRENCY = 16;
const VALIDATION_ROUNDS = 20;
/** Idle time added before each S3 and DynamoDB request of the handler in the second throughput run. */
const MODELLED_ROUND_TRIP_MS = 20;

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const median = (values: readonly number[]) => percentile(values, 50);

async function inBatches<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(work));
}

/** A mix like a real intake: 80 % valid Patients and Observations, 20 % invalid. */
function record(i: number): string {
  switch (i % 10) {
    case 8:
      return json({ ...patientWithBadBirthDateAndGender, id: `bad-${i}` });
    case 9:
      return notJson;
    default:
      return i % 2 === 0 ? json({ ...validPatient, id: `pat-${i}` }) : json({ ...validObservation, id: `obs-${i}` });
  }
}

/** Re-throws what a handler run threw (captureOutput caught it), as it was thrown. */
function rethrow(error: unknown): never {
  throw error;
}

function coldStart(bundleCode: Buffer): Measurement[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "data-processor-bench-"));
  try {
    fs.writeFileSync(path.join(dir, "index.js"), bundleCode);
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    const subsetFile = path.join(dir, "subset.json");
    fs.writeFileSync(subsetFile, JSON.stringify(extractSubset(loadOfficialSchema().schema)));
    const runtimeOptions = { ...AJV_OPTIONS, code: { ...AJV_OPTIONS.code, source: false } };

    const loadGenerated: number[] = [];
    const compileAtRuntime: number[] = [];
    const bundleInit: number[] = [];
    for (let i = 0; i < COLD_START_RUNS; i++) {
      loadGenerated.push(freshProcessMs(timed(`require(${JSON.stringify(GENERATED_VALIDATOR_PATH)})`), dir));
      compileAtRuntime.push(
        freshProcessMs(
          timed(
            `const Ajv = require("ajv").default; const ajv = new Ajv(${JSON.stringify(runtimeOptions)}); ` +
              `ajv.addSchema(require(${JSON.stringify(subsetFile)})); ajv.getSchema(${JSON.stringify(ROOT_REF)})`,
          ),
          dir,
        ),
      );
      bundleInit.push(freshProcessMs(timed(`require("./index.js")`), dir));
    }
    return [
      {
        name: "cold start: load generated validator",
        value: median(loadGenerated),
        unit: "ms",
        note: `median of ${COLD_START_RUNS} fresh processes`,
      },
      {
        name: "cold start: Ajv compile of the same subset",
        value: median(compileAtRuntime),
        unit: "ms",
        note: "what compiling at init would cost instead",
      },
      { name: "cold start: require bundled index.js", value: median(bundleInit), unit: "ms", note: "includes loading the AWS SDK clients" },
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** classifyDocument alone (decode, parse, validate) over the record mix: the handler's CPU per record. */
function validationOnly(): Measurement[] {
  const bodies = Array.from({ length: RECORDS }, (_, i) => Buffer.from(record(i)));
  const accepted = ["Patient", "Observation", "Bundle"];
  for (const b of bodies) classifyDocument(b, accepted);
  const started = process.hrtime.bigint();
  for (let round = 0; round < VALIDATION_ROUNDS; round++) for (const b of bodies) classifyDocument(b, accepted);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return [
    {
      name: "validation only",
      value: (RECORDS * VALIDATION_ROUNDS) / seconds,
      unit: "records/s",
      note: `classifyDocument, ${RECORDS * VALIDATION_ROUNDS} records of ~${bodies[0].length} bytes`,
    },
  ];
}

/** An SDK middleware that waits `ms` before each S3 and DynamoDB request: a network round trip, as idle time. */
function modelledRoundTrip(ms: number) {
  return (clients: AwsClients) => {
    const options = { step: "finalizeRequest", name: "benchModelledRoundTrip" } as const;
    clients.s3.middlewareStack.add(
      (next) => async (args) => {
        await sleep(ms);
        return next(args);
      },
      options,
    );
    clients.dynamodb.middlewareStack.add(
      (next) => async (args) => {
        await sleep(ms);
        return next(args);
      },
      options,
    );
    return {};
  };
}

/**
 * One throughput run with a fresh handler: uploads its own objects, processes them in batches and then one per invocation, and
 * checks that each got exactly one audit item.
 */
async function throughput(aws: LocalAws, roundTripMs: number): Promise<Measurement[]> {
  const tag = roundTripMs === 0 ? "" : `, +${roundTripMs} ms per request`;
  const prefix = `intake/bench/rtt-${roundTripMs}`;
  const handler = aws.handler({ wrap: roundTripMs === 0 ? undefined : modelledRoundTrip(roundTripMs) });
  const keys = Array.from({ length: RECORDS }, (_, i) => `${prefix}/batch/${String(i).padStart(4, "0")}.json`);
  const singles = Array.from({ length: SINGLE_RECORD_INVOCATIONS }, (_, i) => `${prefix}/single/${String(i).padStart(4, "0")}.json`);
  const bodies = new Map<string, string>();
  [...keys, ...singles].forEach((k, i) => bodies.set(k, record(i)));
  await inBatches([...bodies.keys()], UPLOAD_CONCURRENCY, (k) => aws.put(k, bodies.get(k)!));

  // Warm the instance (config load, connections) so the loops measure steady state.
  await aws.put(`${prefix}/warmup.json`, json(validPatient));
  await captureOutput(() => handler(s3Event(s3Record(`${prefix}/warmup.json`, 100)), { awsRequestId: "warmup" }));

  const batchLatencies: number[] = [];
  const recordLatencies: number[] = [];
  let requestId = 0;
  const batchStarted = process.hrtime.bigint();
  for (let i = 0; i < keys.length; i += BATCH_SIZE) {
    const event = s3Event(...keys.slice(i, i + BATCH_SIZE).map((k) => s3Record(k, Buffer.byteLength(bodies.get(k)!))));
    const t = process.hrtime.bigint();
    const run = await captureOutput(() => handler(event, { awsRequestId: `bench-${++requestId}` }));
    batchLatencies.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (run.error) rethrow(run.error);
    for (const line of run.lines) {
      const parsed: unknown = JSON.parse(line);
      if (typeof parsed === "object" && parsed !== null && "durationMs" in parsed && typeof parsed.durationMs === "number")
        recordLatencies.push(parsed.durationMs);
    }
  }
  const batchRate = RECORDS / (Number(process.hrtime.bigint() - batchStarted) / 1e9);

  const singleLatencies: number[] = [];
  const singleStarted = process.hrtime.bigint();
  for (const k of singles) {
    const t = process.hrtime.bigint();
    const run = await captureOutput(() =>
      handler(s3Event(s3Record(k, Buffer.byteLength(bodies.get(k)!))), { awsRequestId: `bench-${++requestId}` }),
    );
    singleLatencies.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (run.error) rethrow(run.error);
  }
  const singleRate = SINGLE_RECORD_INVOCATIONS / (Number(process.hrtime.bigint() - singleStarted) / 1e9);

  const items = (await aws.auditItems()).filter((item) => String(item.objectKey).startsWith(`${prefix}/`));
  const expected = RECORDS + SINGLE_RECORD_INVOCATIONS + 1;
  if (items.length !== expected)
    throw new Error(`expected ${expected} audit items (one per record) under ${prefix}/, found ${items.length}`);
  const quarantined = items.filter((item) => item.outcome === "QUARANTINED").length;
  return [
    {
      name: `records/s, batches of ${BATCH_SIZE}${tag}`,
      value: batchRate,
      unit: "records/s",
      note: `${RECORDS} records, ${quarantined} quarantined in all`,
    },
    { name: `batch latency p50${tag}`, value: median(batchLatencies), unit: "ms" },
    { name: `batch latency p95${tag}`, value: percentile(batchLatencies, 95), unit: "ms" },
    {
      name: `record latency p50 (in batches)${tag}`,
      value: median(recordLatencies),
      unit: "ms",
      note: "durationMs of the record.* log lines",
    },
    { name: `record latency p95 (in batches)${tag}`, value: percentile(recordLatencies, 95), unit: "ms" },
    { name: `records/s, one record per invocation${tag}`, value: singleRate, unit: "records/s", note: "as S3 delivers events, sequential" },
    { name: `invocation latency p50 (1 record)${tag}`, value: median(singleLatencies), unit: "ms" },
    { name: `invocation latency p95 (1 record)${tag}`, value: percentile(singleLatencies, 95), unit: "ms" },
    {
      name: `batches / one per invocation${tag}`,
      value: batchRate / singleRate,
      unit: "x",
      note: `${batchRate.toFixed(1)} / ${singleRate.toFixed(1)} records/s, ${RECORD_CONCURRENCY} records at a time`,
    },
  ];
}

/** Both throughput runs against one pair of servers. */
async function throughputRuns(): Promise<Measurement[]> {
  const aws = await startLocalAws();
  try {
    return [...(await throughput(aws, 0)), ...(await throughput(aws, MODELLED_ROUND_TRIP_MS))];
  } finally {
    await aws.stop();
  }
}

export const bench: Bench = {
  name: "data-processor",
  description:
    `bundle, cold start and 2 x ${RECORDS + SINGLE_RECORD_INVOCATIONS} FHIR records against s3rver + dynalite ` +
    `(as is, then +${MODELLED_ROUND_TRIP_MS} ms per request)`,
  async run() {
    const started = process.hrtime.bigint();
    const bundle = buildLambdaBundle("lambda/data-processor/index.ts");
    const buildMs = Number(process.hrtime.bigint() - started) / 1e6;
    const measurements: Measurement[] = [
      { name: "bundle: index.js", value: bundle.sizeBytes, unit: "bytes", note: `sha256 ${bundle.sha256.slice(0, 12)}` },
      {
        name: "bundle: gzip -9 of index.js",
        value: gzipSync(bundle.files["index.js"], { level: 9 }).length,
        unit: "bytes",
        note: "about the zipped deployment package",
      },
      { name: "bundle: build time", value: buildMs, unit: "ms" },
    ];
    measurements.push(...coldStart(bundle.files["index.js"]));
    measurements.push(...validationOnly());
    measurements.push(...(await throughputRuns()));
    return measurements;
  },
};
