/**
 * Canary incidents (issue 18, detection path): the authorizer marks an incident `canary` only for the
 * canary principal (compared the way grants are matched) reading under the canary prefix of the
 * canary bucket, and throttles canary incidents in their own window, per minute of the access, so
 * that a CloudTrail delivery delay never throttles the next scheduled probe.
 */
import { strict as assert } from "assert";
import {
  AUTHORIZER_ENV,
  AuthorizerEnvironmentError,
  CANARY_INCIDENT_THROTTLE_SECONDS,
  DEFAULT_INCIDENT_THROTTLE_SECONDS,
  IncidentInput,
  MIN_INCIDENT_THROTTLE_SECONDS,
  readAuthorizerEnvironment,
  throttleClaim,
} from "../../lambda/authorizer/contract";
import { isCanaryAccess } from "../../lambda/authorizer/canary";
import type { AuthorizerHandler } from "../../lambda/authorizer/index";
import {
  ACCOUNT,
  BUCKET,
  CANARY_KEY,
  CANARY_PREFIX,
  documentOf,
  firehoseEvent,
  identities,
  OTHER_BUCKET,
  PROBE_ROLE_ARN,
  record,
  ROLE_ARN,
  s3DataEvent,
} from "../../tools/local-aws/cloudtrail-events";
import { CANARY_ENVIRONMENT, ENVIRONMENT, LocalAws, startLocalAws, type HandlerOptions } from "../../tools/local-aws/authorizer";

const CANARY = { principalArn: PROBE_ROLE_ARN, bucketName: BUCKET, keyPrefix: CANARY_PREFIX };
const probe = () => identities.assumedRole(PROBE_ROLE_ARN);

describe("authorizer canary: the environment", () => {
  it("reads the three canary variables together, and none of them as no canary", () => {
    assert.deepEqual(readAuthorizerEnvironment({ ...ENVIRONMENT, ...CANARY_ENVIRONMENT }).canary, CANARY);
    assert.equal(readAuthorizerEnvironment(ENVIRONMENT).canary, undefined);
    assert.ok(!("canary" in readAuthorizerEnvironment(ENVIRONMENT)));
  });

  it("refuses a partial canary, a session ARN, a user, a wildcard, a bad bucket and a wildcard prefix, naming each variable", () => {
    const problems = (extra: Record<string, string>) => {
      try {
        readAuthorizerEnvironment({ ...ENVIRONMENT, ...extra });
        return [];
      } catch (e) {
        assert.ok(e instanceof AuthorizerEnvironmentError);
        return [...e.problems];
      }
    };
    const partial = problems({ [AUTHORIZER_ENV.canaryPrincipalArn]: PROBE_ROLE_ARN });
    assert.equal(partial.length, 1);
    assert.match(partial[0], /CANARY_BUCKET_NAME, CANARY_KEY_PREFIX must be set with CANARY_PRINCIPAL_ARN/);
    for (const principal of [
      `arn:aws:sts::${ACCOUNT}:assumed-role/hcp-test-canary-probe/session`,
      `arn:aws:iam::${ACCOUNT}:user/probe`,
      "*",
      "s3.amazonaws.com",
    ])
      assert.match(
        problems({ ...CANARY_ENVIRONMENT, [AUTHORIZER_ENV.canaryPrincipalArn]: principal }).join(),
        /CANARY_PRINCIPAL_ARN must be/,
        principal,
      );
    assert.match(
      problems({ ...CANARY_ENVIRONMENT, [AUTHORIZER_ENV.canaryBucketName]: "Not_A_Bucket" }).join(),
      /CANARY_BUCKET_NAME must be/,
    );
    assert.match(
      problems({ ...CANARY_ENVIRONMENT, [AUTHORIZER_ENV.canaryKeyPrefix]: "canary/*" }).join(),
      /CANARY_KEY_PREFIX must be a key prefix/,
    );
    assert.match(problems({ ...CANARY_ENVIRONMENT, [AUTHORIZER_ENV.canaryKeyPrefix]: "/canary/" }).join(), /CANARY_KEY_PREFIX/);
  });
});

describe("authorizer canary: which accesses are the canary's (pure)", () => {
  const facts = (principal: string | undefined, ...accesses: { bucket: string; key?: string }[]) => ({
    principal,
    accesses: accesses.map((a) => ({ ...a, access: "read" as const })),
  });
  const cases: [string, ReturnType<typeof facts>, boolean][] = [
    ["the probe role under canary/", facts(PROBE_ROLE_ARN, { bucket: BUCKET, key: CANARY_KEY }), true],
    ["the probe role listing canary/", facts(PROBE_ROLE_ARN, { bucket: BUCKET, key: CANARY_PREFIX }), true],
    ["the probe role under another prefix", facts(PROBE_ROLE_ARN, { bucket: BUCKET, key: "patients/p-1.json" }), false],
    ["the probe role, a key that only contains canary/", facts(PROBE_ROLE_ARN, { bucket: BUCKET, key: "x/canary/probe.json" }), false],
    ["the probe role under canary/ of another bucket", facts(PROBE_ROLE_ARN, { bucket: OTHER_BUCKET, key: CANARY_KEY }), false],
    [
      "the probe role copying canary/ out to another prefix",
      facts(PROBE_ROLE_ARN, { bucket: BUCKET, key: "out/x" }, { bucket: BUCKET, key: CANARY_KEY }),
      false,
    ],
    ["the probe role naming no key (DeleteObjects)", facts(PROBE_ROLE_ARN, { bucket: BUCKET }), false],
    ["another role under canary/", facts(ROLE_ARN, { bucket: BUCKET, key: CANARY_KEY }), false],
    [
      "the probe role's session ARN (never how a principal is read)",
      facts(`arn:aws:sts::${ACCOUNT}:assumed-role/hcp-test-canary-probe/s`, { bucket: BUCKET, key: CANARY_KEY }),
      false,
    ],
    ["no principal under canary/", facts(undefined, { bucket: BUCKET, key: CANARY_KEY }), false],
    [
      "a role of the same name in another account",
      facts(PROBE_ROLE_ARN.replace(ACCOUNT, "444455556666"), { bucket: BUCKET, key: CANARY_KEY }),
      false,
    ],
  ];
  for (const [what, f, expected] of cases)
    it(`${what}: ${expected ? "canary" : "not canary"}`, () => assert.equal(isCanaryAccess(f, CANARY), expected));

  it("without a configured canary nothing is the canary's", () => {
    assert.equal(isCanaryAccess(facts(PROBE_ROLE_ARN, { bucket: BUCKET, key: CANARY_KEY }), undefined), false);
  });

  it("throttle claims: a real incident its principal and window; a canary incident its own key per minute of its access, 60 s", () => {
    const input: IncidentInput = {
      eventId: "e-1",
      principalArn: PROBE_ROLE_ARN,
      bucket: BUCKET,
      access: "read",
      decision: "unknown-principal",
      eventTime: "2026-11-05T10:14:59Z",
    };
    const now = Date.parse("2026-11-05T10:30:00Z");
    assert.deepEqual(throttleClaim(input, 900, now), { key: PROBE_ROLE_ARN, windowSeconds: 900 });
    assert.deepEqual(throttleClaim({ ...input, canary: true }, 900, now), {
      key: `canary#2026-11-05T10:14#${PROBE_ROLE_ARN}`,
      windowSeconds: 60,
    });
    assert.equal(CANARY_INCIDENT_THROTTLE_SECONDS, MIN_INCIDENT_THROTTLE_SECONDS);
    assert.ok(CANARY_INCIDENT_THROTTLE_SECONDS < DEFAULT_INCIDENT_THROTTLE_SECONDS);
  });
});

describe("authorizer canary: marking and throttling through the handler (dynalite + mocked Step Functions)", function () {
  this.timeout(30_000);
  let aws: LocalAws;
  let n = 0;
  const invoke = (h: AuthorizerHandler, events: Record<string, unknown>[]) =>
    h(firehoseEvent(events.map((e) => record([e]))), { awsRequestId: `canary-${++n}` });
  const canaryHandler = (options: HandlerOptions = {}) =>
    aws.handler({ ...options, environment: { ...CANARY_ENVIRONMENT, ...options.environment } });
  const startedInputs = (before: number) =>
    aws
      .starts()
      .slice(before)
      .map((s) => JSON.parse(s.input!) as IncidentInput);
  const statusOf = (data: string) => (documentOf(data).events[0].authorization as { incident?: string }).incident;

  before(async () => {
    aws = await startLocalAws();
    // The analyst may write intake/ only: reading canary/ is denied for it too.
    await aws.putGrants(ROLE_ARN, BUCKET, [{ prefix: "intake/", access: "write" }]);
  });
  after(async () => {
    await aws?.stop();
  });

  it("the truth table: only the probe role under canary/ is marked canary; the probe role elsewhere and anyone else under canary/ are normal incidents", async () => {
    const before = aws.starts().length;
    const canaryRead = s3DataEvent({ key: CANARY_KEY, userIdentity: probe(), eventTime: "2026-11-05T10:00:00Z" });
    const probeElsewhere = s3DataEvent({ key: "patients/p-0001/record.json", userIdentity: probe(), eventTime: "2026-11-05T10:00:01Z" });
    const otherOnCanary = s3DataEvent({ key: CANARY_KEY, userIdentity: identities.assumedRole(), eventTime: "2026-11-05T10:00:02Z" });
    const userOnCanary = s3DataEvent({ key: CANARY_KEY, eventTime: "2026-11-05T10:00:03Z" });
    const out = await invoke(canaryHandler({ now: () => Date.parse("2026-11-05T10:05:00Z") }), [
      canaryRead,
      probeElsewhere,
      otherOnCanary,
      userOnCanary,
    ]);
    assert.deepEqual(
      out.records.map((r) => statusOf(r.data)),
      ["started", "started", "started", "started"],
      "a canary incident and a real incident of the same principal do not throttle each other",
    );
    const inputs = startedInputs(before);
    assert.deepEqual(
      inputs.map((i) => [i.eventId, i.canary]),
      [
        [canaryRead.eventID, true],
        [probeElsewhere.eventID, undefined],
        [otherOnCanary.eventID, undefined],
        [userOnCanary.eventID, undefined],
      ],
    );
    assert.deepEqual(
      inputs.map((i) => "canary" in i),
      [true, false, false, false],
      "a real incident carries no canary field at all",
    );
    assert.equal(inputs[0].principalArn, PROBE_ROLE_ARN);
    assert.equal(inputs[0].eventTime, "2026-11-05T10:00:00Z");
  });

  it("without the canary variables the probe role's read of canary/ is a normal incident", async () => {
    const before = aws.starts().length;
    const read = s3DataEvent({ key: CANARY_KEY, userIdentity: probe(), eventTime: "2026-11-06T10:00:00Z" });
    const out = await invoke(aws.handler({ now: () => Date.parse("2026-11-06T10:05:00Z") }), [read]);
    assert.equal(statusOf(out.records[0].data), "started");
    const [input] = startedInputs(before);
    assert.ok(!("canary" in input), JSON.stringify(input));
  });

  it("a probe delivered late never throttles the next scheduled one (15 min apart); probes of one minute start one incident", async () => {
    // Probe A (10:00) is delivered 14 min late; probe B (10:15) on time, 30 s after A was processed.
    // The principal's 900 s window on the authorizer's clock would throttle B: the canary's own does not.
    let clock = Date.parse("2026-11-07T10:14:00Z");
    const h = canaryHandler({ now: () => clock });
    const before = aws.starts().length;
    const principalWindow = await aws.throttleItem(PROBE_ROLE_ARN);
    const a = s3DataEvent({ key: CANARY_KEY, userIdentity: probe(), eventTime: "2026-11-07T10:00:00Z" });
    assert.equal(statusOf((await invoke(h, [a])).records[0].data), "started");
    clock += 30_000;
    const b = s3DataEvent({ key: CANARY_KEY, userIdentity: probe(), eventTime: "2026-11-07T10:15:00Z" });
    const sameMinute = s3DataEvent({ key: CANARY_KEY, userIdentity: probe(), eventTime: "2026-11-07T10:15:40Z" });
    const out = await invoke(h, [b, sameMinute]);
    assert.deepEqual(
      out.records.map((r) => statusOf(r.data)),
      ["started", "throttled"],
    );
    // A second read in B's minute, processed 10 s later, is still throttled (the 60 s window).
    clock += 10_000;
    const again = s3DataEvent({ key: CANARY_KEY, userIdentity: probe(), eventTime: "2026-11-07T10:15:50Z" });
    assert.equal(statusOf((await invoke(h, [again])).records[0].data), "throttled");
    assert.deepEqual(
      startedInputs(before).map((i) => i.eventId),
      [a.eventID, b.eventID],
    );
    const claim = await aws.throttleItem(`canary#2026-11-07T10:15#${PROBE_ROLE_ARN}`);
    assert.equal(claim?.eventId, b.eventID);
    assert.equal(claim?.expiresAt, Math.floor((clock - 10_000) / 1000) + CANARY_INCIDENT_THROTTLE_SECONDS);
    assert.deepEqual(await aws.throttleItem(PROBE_ROLE_ARN), principalWindow, "the canary never claims its principal's own window");
  });

  it("a real incident of the probe role is throttled by its own 900 s window, not by the canary's", async () => {
    let clock = Date.parse("2026-11-08T10:00:00Z");
    const h = canaryHandler({ now: () => clock });
    const real = (t: string) => s3DataEvent({ key: "patients/x.json", userIdentity: probe(), eventTime: t });
    assert.equal(statusOf((await invoke(h, [real("2026-11-08T09:59:00Z")])).records[0].data), "started");
    clock += 120_000;
    assert.equal(statusOf((await invoke(h, [real("2026-11-08T10:01:00Z")])).records[0].data), "throttled", "within 900 s");
    const probeRead = s3DataEvent({ key: CANARY_KEY, userIdentity: probe(), eventTime: "2026-11-08T10:01:30Z" });
    assert.equal(statusOf((await invoke(h, [probeRead])).records[0].data), "started", "the canary is not throttled by it");
  });
});
