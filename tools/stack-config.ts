/**
 * Reads a Pulumi project file and a stack file the way the CLI hands config to a program: every
 * value a string (lists and maps JSON-encoded), keys qualified with their namespace, and the
 * project's `config:` defaults applied to keys the stack does not set.
 */
import * as fs from "fs";
import { parse } from "yaml";

export interface ProjectFile {
  readonly name: string;
  /** Project-level config declarations, by key (the project's namespace). */
  readonly config: Readonly<Record<string, { type?: string; default?: unknown; description?: string }>>;
}

export interface StackConfig {
  /** Fully qualified key (`namespace:key`) to its value as the runtime sees it. */
  readonly config: Record<string, string>;
  /** Qualified keys whose values are secret (`secure:` in the stack file). */
  readonly secretKeys: string[];
}

/** An unreadable or malformed project/stack file; exit 1 like invalid config. */
export class StackFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackFileError";
  }
}

function readYaml(path: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(path, "utf8");
  } catch (err) {
    throw new StackFileError(`cannot read ${path}: ${(err as Error).message}`);
  }
  try {
    return parse(text);
  } catch (err) {
    throw new StackFileError(`${path} is not valid YAML: ${(err as Error).message}`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function readProjectFile(path: string): ProjectFile {
  const doc = readYaml(path);
  if (!isObject(doc) || typeof doc.name !== "string") {
    throw new StackFileError(`${path} must be a Pulumi project file with a "name"`);
  }
  const config = isObject(doc.config) ? (doc.config as ProjectFile["config"]) : {};
  return { name: doc.name, config };
}

/** The runtime's string form of a config value. */
function configString(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

export function readStackConfig(path: string, project: ProjectFile): StackConfig {
  const doc = readYaml(path);
  if (doc !== null && doc !== undefined && !isObject(doc)) {
    throw new StackFileError(`${path} must be a mapping with a "config:" key`);
  }
  const entries = doc && isObject(doc.config) ? doc.config : {};
  if (doc && doc.config !== undefined && !isObject(doc.config)) {
    throw new StackFileError(`${path}: "config" must be a mapping of keys to values`);
  }
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [rawKey, value] of Object.entries(entries)) {
    const key = rawKey.includes(":") ? rawKey : `${project.name}:${rawKey}`;
    if (isObject(value) && typeof value.secure === "string") {
      // A ciphertext cannot be decrypted without the stack's secrets provider; the offline plan
      // keeps the key (so validation sees it is set) and marks the value secret.
      config[key] = "[secret]";
      secretKeys.push(key);
      continue;
    }
    config[key] = configString(value);
  }
  for (const [key, decl] of Object.entries(project.config)) {
    const qualified = key.includes(":") ? key : `${project.name}:${key}`;
    if (!(qualified in config) && decl && decl.default !== undefined) config[qualified] = configString(decl.default);
  }
  return { config, secretKeys };
}

/** The project-namespace keys of a qualified config, without their prefix. */
export function projectKeys(config: Record<string, string>, projectName: string): Record<string, string> {
  const prefix = `${projectName}:`;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
  return out;
}
