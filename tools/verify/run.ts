/**
 * `npm run verify -- --stack <name> --outputs <file> [--since 24h] [--format text|json] [--region r]`:
 * proof in the account that the platform's safeguards work (issue 18), with read actions only
 * (iam/verifier-policy.json). Exit 0 when every check passes, 1 when any fails or cannot be
 * evaluated, 2 for usage, 3 when the account cannot be reached or the credentials are refused.
 */
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { Aws, describeError, withTimeout, type AwsOptions } from "./aws";
import { runCheck, type Check, type CheckResult } from "./check";
import { alarmsCheck, trailCheck } from "./checks-audit";
import { archiveCheck, domainCheck, streamCheck, workflowCheck } from "./checks-pipeline";
import { backupCheck, secretCheck } from "./checks-recovery";
import { accessLogsCheck, appLogsCheck, edgeLogsCheck } from "./checks-edge";
import { guardrailsCheck } from "./checks-guardrails";
import { canaryCheck, replicationCheck } from "./checks-canary";
import { parseFlags, UsageError } from "../command-line";
import { readOutputs, regionFromOutputs } from "./outputs";

export const CHECKS: readonly Check[] = [
  trailCheck,
  streamCheck,
  archiveCheck,
  domainCheck,
  workflowCheck,
  canaryCheck,
  replicationCheck,
  backupCheck,
  secretCheck,
  edgeLogsCheck,
  accessLogsCheck,
  appLogsCheck,
  guardrailsCheck,
  alarmsCheck,
];

export const USAGE =
  "usage: npm run verify -- --stack <name> --outputs <file from pulumi stack output --json> [--since 24h] [--format text|json] [--region <region>]";

export const EXIT = { pass: 0, fail: 1, usage: 2, unreachable: 3 } as const;

export interface VerifyOptions {
  /** Tests: the clock, the AWS client options (a local endpoint, fixed credentials), shorter bounds. */
  readonly now?: Date;
  readonly aws?: Partial<Omit<AwsOptions, "region">>;
  /** Bound of the credential check (default 8 s: the default chain's IMDS lookup included). */
  readonly identityTimeoutMs?: number;
  /** Bound of one check as a whole (default 60 s). */
  readonly checkTimeoutMs?: number;
  readonly checks?: readonly Check[];
}

export interface VerifyResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `24h`, `90m`, `7d` in milliseconds; undefined for anything else. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d{1,4})([mhd])$/.exec(text);
  if (!m || Number(m[1]) === 0) return undefined;
  return Number(m[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as "m" | "h" | "d"];
}

export async function verify(argv: readonly string[], options: VerifyOptions = {}): Promise<VerifyResult> {
  const usage = (message: string): VerifyResult => ({ code: EXIT.usage, stdout: "", stderr: `verify: ${message}\n` });
  let flags;
  try {
    flags = parseFlags(argv, { stack: "string", outputs: "string", since: "string", format: "string", region: "string" }, USAGE);
  } catch (e) {
    if (e instanceof UsageError) return usage(e.message);
    throw e;
  }
  if (flags.help) return { code: EXIT.pass, stdout: `${USAGE}\n`, stderr: "" };
  const { stack, outputs: outputsFile, since = "24h", format = "text" } = flags.values;
  if (!stack) return usage(`--stack is required\n${USAGE}`);
  if (!/^[A-Za-z0-9_.-]+$/.test(stack)) return usage(`--stack ${stack}: not a stack name`);
  if (!outputsFile) return usage(`--outputs is required (pulumi stack output --json --stack ${stack} > outputs.json)\n${USAGE}`);
  if (format !== "text" && format !== "json") return usage(`--format must be text or json, got ${format}`);
  const sinceMs = parseDuration(since);
  if (sinceMs === undefined) return usage(`--since must be a number and m, h or d (e.g. 24h), got ${since}`);
  const outputs = readOutputs(outputsFile);
  if (typeof outputs === "string") return usage(outputs);
  const region = flags.values.region ?? regionFromOutputs(outputs);
  if (!region) return usage("no region in the outputs (region, or alertTopicArn): pass --region");

  const now = options.now ?? new Date();
  const aws = new Aws({ region, timeoutMs: 10_000, ...options.aws });
  // First who we are, with a short bound: no credentials, refused ones or no network end here (exit 3).
  const identityTimeoutMs = options.identityTimeoutMs ?? 8_000;
  let account: string;
  try {
    const sts = aws.client(STSClient);
    const who = await withTimeout(
      sts.send(new GetCallerIdentityCommand({}), { abortSignal: AbortSignal.timeout(identityTimeoutMs) }),
      identityTimeoutMs,
    );
    if (!who.Account) throw Object.assign(new Error(), { name: "NoAccount" });
    account = who.Account;
  } catch (e) {
    const reason = describeError("sts:GetCallerIdentity", e, identityTimeoutMs).message;
    return { code: EXIT.unreachable, stdout: "", stderr: `verify: cannot reach the AWS account in ${region}: ${reason}\n` };
  }

  const ctx = { stack, outputs, aws, account, region, now, since: new Date(now.getTime() - sinceMs) };
  const checkTimeoutMs = options.checkTimeoutMs ?? 60_000;
  const results: CheckResult[] = [];
  for (const check of options.checks ?? CHECKS) results.push(await runCheck(check, ctx, checkTimeoutMs));
  const code = results.every((r) => r.status === "pass" || r.status === "skipped") ? EXIT.pass : EXIT.fail;
  const report = {
    stack,
    account,
    region,
    since: ctx.since.toISOString(),
    checkedAt: now.toISOString(),
    passed: code === EXIT.pass,
    checks: results,
  };
  return { code, stdout: format === "json" ? `${JSON.stringify(report, null, 2)}\n` : renderText(report), stderr: "" };
}

function renderText(r: { stack: string; account: string; region: string; since: string; checks: readonly CheckResult[] }): string {
  const tally = (s: string) => r.checks.filter((c) => c.status === s).length;
  const lines = [
    `verify ${r.stack} in ${r.account} ${r.region} since ${r.since}: ${tally("pass")} pass, ${tally("fail")} fail, ${tally("unreachable")} unreachable, ${tally("skipped")} skipped`,
  ];
  for (const c of r.checks) {
    lines.push(`${c.status.toUpperCase().padEnd(11)} ${c.id}: ${c.title} [${c.citation}]`);
    lines.push(`            ${c.detail}`);
    if (c.lookAt) lines.push(`            look at: ${c.lookAt}`);
    if (c.status === "pass") lines.push(`            settles: ${c.rows.join("; ")}`);
  }
  return `${lines.join("\n")}\n`;
}
