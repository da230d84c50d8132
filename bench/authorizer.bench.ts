/**
 * authorizer: the issue's Performance measurements, side by side in one run, against dynalite
 * (in this process) with Step Functions and SQS mocked.
 *
 * - A 10,000-event batch (1,000 records of 10 events, as CloudWatch Logs batches them) with 1 %
 *   distinct (principal, bucket) keys: the authorizer with a cold cache vs. a naive handler doing
 *   one GetItem per event (same decode, parse, decision and encode; 16 requests in flight, not
 *   one at a time: written as a reasonable first version would be).
 * - DynamoDB requests per 100 events.
 * - Warm cache vs. the floor: decode, parse, annotate with a constant, serialize and re-encode the
 *   same batch with no lookups.
 * - events/s and p50/p95 per batch; bundle size and cold start (a fresh Node.js process requiring
 *   the bundled index.js, SDK included).
 *
 * dynalite shares the event loop with the handler, so absolute times are for comparing versions;
 * the ratios are the point. The batch is larger than one real invocation can carry (about 13 MB
 * of events against Firehose's 1 MB buffer), so the response budget is lifted for it.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { gzipSync } from "zlib";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { buildLambdaBundle } from "../components/lib/lambda-bundle";
import { eventFacts } from "../lambda/authorizer/cloudtrail";
import { AccessCheck, ANNOTATION_FIELD, Decision, GRANTS_ATTRIBUTE, OUTPUT_VERSION, parseGrants } from "../lambda/authorizer/contract";
import { decodeRecord, encodeDocument, FirehoseResponseRecord } from "../lambda/authorizer/firehose";
import { checkAccess } from "../lambda/authorizer/grants";
import { sha256Hex } from "../lambda/authorizer/log";
import { BUCKET, firehoseEvent, identities, record, s3DataEvent } from "../tools/local-aws/cloudtrail-events";
import { GRANTS_TABLE, startLocalAws } from "../tools/local-aws/authorizer";
import { freshProcessMs, timedScript } from "./probe";
import type { Bench, Measurement } from "./run";

const REPO_ROOT = path.resolve(__dirname, "..");
const EVENTS = 10_000;
const EVENTS_PER_RECORD = 10;
const DISTINCT_KEYS = EVENTS / 100;
const COLD_BATCHES = 5;
const WARM_BATCHES = 10;
const NAIVE_BATCHES = 2;
const NAIVE_CONCURRENCY = 16;
const COLD_START_RUNS = 5;
const quiet = () => undefined;

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const roleArn = (i: number) => `arn:aws:iam::111122223333:role/bench-role-${i}`;

/** 10,000 GetObject/PutObject events over 100 roles, 10 per record. */
function batch() {
  const records = [];
  for (let r = 0; r < EVENTS / EVENTS_PER_RECORD; r++) {
    const events = Array.from({ length: EVENTS_PER_RECORD }, (_, j) => {
      const i = r * EVENTS_PER_RECORD + j;
      return s3DataEvent({
        eventName: i % 3 === 0 ? "PutObject" : "GetObject",
        key: `patients/p-${i}/note.json`,
        userIdentity: identities.assumedRole(roleArn(i % DISTINCT_KEYS)),
      });
    });
    records.push(record(events));
  }
  return firehoseEvent(records);
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, value };
}

/** The floor: the same decode, parse, serialize and encode, a constant annotation, no lookups. */
function floor(event: ReturnType<typeof batch>): FirehoseResponseRecord[] {
  return event.records.map((r) => {
    const d = decodeRecord(r.data);
    if (!d.ok) return { recordId: r.recordId, result: "ProcessingFailed", data: r.data };
    const events = d.objects.map((o) => {
      const facts = eventFacts(o);
      return { ...o, [ANNOTATION_FIELD]: { decision: "allowed", principal: facts.principal, checks: [] } };
    });
    return {
      recordId: r.recordId,
      result: "Ok",
      data: encodeDocument({ authorizerVersion: OUTPUT_VERSION, decision: "allowed", eventCount: events.length, events }),
    };
  });
}

/** The naive handler: one GetItem per event, otherwise the same work. */
function naiveHandler(ddb: { send(c: GetCommand): Promise<{ Item?: Record<string, unknown> }> }, counter: { requests: number }) {
  return async (event: ReturnType<typeof batch>): Promise<FirehoseResponseRecord[]> => {
    const decoded = event.records.map((r) => decodeRecord(r.data));
    const jobs: { record: number; event: number; facts: ReturnType<typeof eventFacts> }[] = [];
    decoded.forEach((d, i) => d.ok && d.objects.forEach((o, j) => jobs.push({ record: i, event: j, facts: eventFacts(o) })));
    const checks = new Map<string, AccessCheck[]>();
    let next = 0;
    const worker = async () => {
      while (next < jobs.length) {
        const job = jobs[next++];
        const results: AccessCheck[] = [];
        for (const a of job.facts.accesses) {
          counter.requests++;
          const out = await ddb.send(
            new GetCommand({ TableName: GRANTS_TABLE, Key: { principal: job.facts.principal, bucket: a.bucket } }),
          );
          const grants = out.Item ? parseGrants(out.Item[GRANTS_ATTRIBUTE]).grants : null;
          results.push(checkAccess(a, grants, job.facts.eventTimeMs ?? Date.now(), a.key === undefined ? undefined : sha256Hex(a.key)));
        }
        checks.set(`${job.record}/${job.event}`, results);
      }
    };
    await Promise.all(Array.from({ length: NAIVE_CONCURRENCY }, worker));
    return event.records.map((r, i) => {
      const d = decoded[i];
      if (!d.ok) return { recordId: r.recordId, result: "ProcessingFailed", data: r.data };
      const events = d.objects.map((o, j) => {
        const c = checks.get(`${i}/${j}`) ?? [];
        const decision: Decision = c.every((x) => x.result === "granted") ? "allowed" : "denied";
        return { ...o, [ANNOTATION_FIELD]: { decision, checks: c } };
      });
      return {
        recordId: r.recordId,
        result: "Ok",
        data: encodeDocument({ authorizerVersion: OUTPUT_VERSION, decision: "allowed", eventCount: events.length, events }),
      };
    });
  };
}

function coldStart(code: Buffer): Measurement[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "authorizer-bench-"));
  try {
    fs.writeFileSync(path.join(dir, "index.js"), code);
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    const runs: number[] = [];
    for (let i = 0; i < COLD_START_RUNS; i++) {
      runs.push(freshProcessMs(timedScript(`require("./index.js")`), dir, { ...process.env, AWS_REGION: "us-east-1" }));
    }
    return [
      {
        name: "cold start: require bundled index.js",
        value: percentile(runs, 50),
        unit: "ms",
        note: `median of ${COLD_START_RUNS} fresh processes, SDK clients included`,
      },
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the measurements and returns them (the runner prints the table). */
export async function runAuthorizerBench(): Promise<Measurement[]> {
  const started = process.hrtime.bigint();
  const bundle = buildLambdaBundle("lambda/authorizer/index.ts");
  const buildMs = Number(process.hrtime.bigint() - started) / 1e6;
  const measurements: Measurement[] = [
    { name: "bundle: index.js", value: bundle.sizeBytes, unit: "bytes", note: `sha256 ${bundle.sha256.slice(0, 12)}` },
    { name: "bundle: gzip -9 of index.js", value: gzipSync(bundle.files["index.js"], { level: 9 }).length, unit: "bytes" },
    { name: "bundle: build time", value: buildMs, unit: "ms" },
    ...coldStart(bundle.files["index.js"]),
  ];

  const aws = await startLocalAws();
  try {
    for (let i = 0; i < DISTINCT_KEYS; i++) {
      await aws.putGrants(roleArn(i), BUCKET, [
        { prefix: "patients/", access: "read" },
        { prefix: "patients/", access: "write" },
      ]);
    }
    const event = batch();
    const options = { log: quiet, maxResponseBytes: Number.POSITIVE_INFINITY };

    // Cold cache: a new instance (empty cache) per batch.
    const cold: number[] = [];
    const requestsBefore = aws.batchGetRequests();
    for (let i = 0; i < COLD_BATCHES; i++) {
      const h = aws.handler(options);
      const run = await timed(() => h(event, { awsRequestId: `cold-${i}` }));
      if (run.value.records.some((r) => r.result !== "Ok")) throw new Error("cold batch: a record was not Ok");
      const decisions = documentDecisions(run.value.records[0]);
      if (decisions !== "allowed") throw new Error(`cold batch: expected allowed, got ${decisions}`);
      cold.push(run.ms);
    }
    const coldRequests = (aws.batchGetRequests() - requestsBefore) / COLD_BATCHES;

    // Warm cache: one instance, first batch discarded.
    const warmHandler = aws.handler(options);
    await warmHandler(event);
    const warmBefore = aws.batchGetRequests();
    const warm: number[] = [];
    for (let i = 0; i < WARM_BATCHES; i++) warm.push((await timed(() => warmHandler(event, { awsRequestId: `warm-${i}` }))).ms);
    const warmRequests = (aws.batchGetRequests() - warmBefore) / WARM_BATCHES;

    // Floor.
    floor(event);
    const floorRuns: number[] = [];
    for (let i = 0; i < WARM_BATCHES; i++) floorRuns.push((await timed(() => Promise.resolve(floor(event)))).ms);

    // Naive.
    const naiveCounter = { requests: 0 };
    const naive = naiveHandler(aws.ddb, naiveCounter);
    const naiveRuns: number[] = [];
    for (let i = 0; i < NAIVE_BATCHES; i++) naiveRuns.push((await timed(() => naive(event))).ms);

    const p50 = (v: number[]) => percentile(v, 50);
    const eps = (ms: number) => EVENTS / (ms / 1000);
    measurements.push(
      {
        name: "cold cache: events/s",
        value: eps(p50(cold)),
        unit: "events/s",
        note: `${EVENTS} events, ${DISTINCT_KEYS} distinct keys, new instance per batch`,
      },
      { name: "cold cache: batch p50", value: p50(cold), unit: "ms" },
      { name: "cold cache: batch p95", value: percentile(cold, 95), unit: "ms" },
      { name: "cold cache: DynamoDB requests per batch", value: coldRequests, unit: "requests" },
      { name: "cold cache: DynamoDB requests per 100 events", value: coldRequests / (EVENTS / 100), unit: "requests", note: "target <= 1" },
      { name: "naive (GetItem per event): events/s", value: eps(p50(naiveRuns)), unit: "events/s", note: `${NAIVE_CONCURRENCY} in flight` },
      { name: "naive: batch p50", value: p50(naiveRuns), unit: "ms" },
      { name: "naive: DynamoDB requests per 100 events", value: naiveCounter.requests / NAIVE_BATCHES / (EVENTS / 100), unit: "requests" },
      { name: "cold cache vs naive: throughput", value: p50(naiveRuns) / p50(cold), unit: "x", note: "target >= 20" },
      { name: "warm cache: events/s", value: eps(p50(warm)), unit: "events/s" },
      { name: "warm cache: batch p50", value: p50(warm), unit: "ms" },
      { name: "warm cache: batch p95", value: percentile(warm, 95), unit: "ms" },
      { name: "warm cache: DynamoDB requests per batch", value: warmRequests, unit: "requests" },
      { name: "floor (decode/parse/serialize/encode): batch p50", value: p50(floorRuns), unit: "ms" },
      { name: "warm cache vs floor: time per batch", value: p50(warm) / p50(floorRuns), unit: "x", note: "target <= 2" },
    );
    return measurements;
  } finally {
    await aws.stop();
  }
}

function documentDecisions(r: FirehoseResponseRecord): string {
  return (JSON.parse(Buffer.from(r.data, "base64").toString("utf8")) as { decision: string }).decision;
}

export const bench: Bench = {
  name: "authorizer",
  description: `bundle, cold start and a ${EVENTS}-event Firehose batch (1 % distinct keys) against dynalite: cold and warm cache, naive handler, floor`,
  run: runAuthorizerBench,
};

if (require.main === module) {
  runAuthorizerBench().then(
    (ms) => {
      for (const m of ms)
        process.stdout.write(
          `${m.name.padEnd(52)} ${m.value.toFixed(m.value < 10 ? 2 : 0).padStart(12)} ${m.unit}${m.note ? `  (${m.note})` : ""}\n`,
        );
    },
    (e) => {
      process.stderr.write(`${(e as Error).stack ?? e}\n`);
      process.exitCode = 1;
    },
  );
}
