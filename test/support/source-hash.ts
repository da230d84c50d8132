/**
 * A hash of the program's sources: everything `tools/plan.ts` reads to plan a stack (the program,
 * its components and handlers, the tools, the policy pack's shared modules, the stack files and the
 * locked dependencies). Plans cached under this hash are reused only while none of it changed.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";

export const ROOT = path.resolve(__dirname, "../..");

/** Folders hashed whole (minus node_modules) and single files of the repository root. */
const FOLDERS = ["components", "lambda", "tools", "policy-pack"];
const FILES = /^(index\.ts|Pulumi(\..+)?\.yaml|package(-lock)?\.json|tsconfig\.json)$/;

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(rel));
    else if (entry.isFile()) out.push(rel);
  }
  return out;
}

/** The repository-relative files {@link sourceHash} covers, sorted. */
export function sourceFiles(): string[] {
  const top = fs.readdirSync(ROOT).filter((f) => FILES.test(f));
  return [...top, ...FOLDERS.filter((d) => fs.existsSync(path.join(ROOT, d))).flatMap(filesUnder)].sort();
}

/** sha256 over each source file's path and bytes, plus `extra` (what else the cached thing depends on). */
export function sourceHash(extra = ""): string {
  const hash = createHash("sha256").update(process.version).update("\0").update(extra).update("\0");
  for (const file of sourceFiles())
    hash
      .update(file)
      .update("\0")
      .update(fs.readFileSync(path.join(ROOT, file)))
      .update("\0");
  return hash.digest("hex");
}
