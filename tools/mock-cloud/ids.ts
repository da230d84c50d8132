/** Deterministic ids and names, derived from a seed (the stack, type and logical name of a resource). */
import { createHash } from "crypto";

/** A stable hex string for a seed. */
export function hexId(seed: string, length: number): string {
  let out = "";
  for (let i = 0; out.length < length; i++) out += createHash("sha256").update(`${seed}#${i}`).digest("hex");
  return out.slice(0, length);
}

export function uuid(seed: string): string {
  const h = hexId(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The logical-name-plus-suffix physical name Pulumi's autonaming would give. */
export function autoName(name: string, seed: string): string {
  return `${name}-${hexId(seed, 7)}`;
}
