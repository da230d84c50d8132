/**
 * manifest.json of an evidence report: what the report was made from (the deployment's SHA-256, the
 * policy pack's version, the program's commit) and the SHA-256 of every other file of the report, so a
 * changed, added or removed file is detected; with --verification, the SHA-256 of verify's output as well (`verifyManifest`). The manifest's own SHA-256 is printed
 * by `npm run evidence`: record it (a ticket, a CI log) and the whole report is tamper-evident.
 * No time and no absolute path in it: the same inputs and program give the same bytes.
 */
import { spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";

export const MANIFEST_FILE = "manifest.json";
export const MANIFEST_VERSION = 1;

export interface ProgramState {
  /** `git rev-parse HEAD` of the program's checkout; null outside a git checkout. */
  commit: string | null;
  /** Whether tracked files differ from that commit (`git status --porcelain --untracked-files=no`); null when unknown. */
  modified: boolean | null;
}

export interface Manifest {
  manifestVersion: number;
  deployment: { file: string; sha256: string; bytes: number };
  /** The `npm run verify --format json` output the report shows (--verification), when one was given. */
  verification?: { file: string; sha256: string; bytes: number };
  pack: { name: string; version: string };
  program: ProgramState;
  files: { path: string; sha256: string; bytes: number }[];
}

export const sha256 = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex");

/** The commit of the program that wrote the report (the repository holding this file). */
export function programState(root: string = path.resolve(__dirname, "../..")): ProgramState {
  const git = (...args: string[]) => spawnSync("git", ["-C", root, ...args], { encoding: "utf8" });
  const head = git("rev-parse", "HEAD");
  if (head.status !== 0 || typeof head.stdout !== "string") return { commit: null, modified: null };
  const status = git("status", "--porcelain", "--untracked-files=no");
  return {
    commit: head.stdout.trim(),
    modified: status.status === 0 && typeof status.stdout === "string" ? status.stdout.trim() !== "" : null,
  };
}

/** Every file under `dir` but the manifest, as "/"-separated relative paths in byte order. */
function filesOf(dir: string, prefix = ""): string[] {
  return fs
    .readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .flatMap((e) => {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      if (e.isDirectory()) return filesOf(dir, rel);
      return rel === MANIFEST_FILE ? [] : [rel];
    })
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function buildManifest(
  dir: string,
  o: {
    deploymentFile: string;
    deployment: string | Buffer;
    pack: { name: string; version: string };
    program: ProgramState;
    verification?: { file: string; bytes: Buffer };
  },
): Manifest {
  return {
    manifestVersion: MANIFEST_VERSION,
    deployment: { file: path.basename(o.deploymentFile), sha256: sha256(o.deployment), bytes: Buffer.byteLength(o.deployment) },
    ...(o.verification
      ? {
          verification: {
            file: path.basename(o.verification.file),
            sha256: sha256(o.verification.bytes),
            bytes: o.verification.bytes.length,
          },
        }
      : {}),
    pack: { name: o.pack.name, version: o.pack.version },
    program: o.program,
    files: filesOf(dir).map((f) => {
      const bytes = fs.readFileSync(path.join(dir, f));
      return { path: f, sha256: sha256(bytes), bytes: bytes.length };
    }),
  };
}

export const renderManifest = (m: Manifest): string => `${JSON.stringify(m, null, 2)}\n`;

/** What differs between a report directory and its manifest: changed, missing and unlisted files (empty when intact). */
export function verifyManifest(dir: string): string[] {
  const m = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), "utf8")) as Manifest;
  const listed = new Map(m.files.map((f) => [f.path, f.sha256]));
  const problems: string[] = [];
  const present = filesOf(dir);
  for (const f of present) {
    const want = listed.get(f);
    if (want === undefined) problems.push(`${f}: not in the manifest`);
    else if (sha256(fs.readFileSync(path.join(dir, f))) !== want) problems.push(`${f}: SHA-256 differs from the manifest`);
  }
  for (const f of listed.keys()) if (!present.includes(f)) problems.push(`${f}: in the manifest but missing`);
  return problems;
}
