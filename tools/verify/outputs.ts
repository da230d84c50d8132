/**
 * The stack outputs verify reads (`pulumi stack output --json`, the `export const`s of index.ts).
 * A check asks for an output by its path; a missing one fails that check with a sentence that says
 * to upgrade the stack, never with a TypeError.
 */
import * as fs from "fs";

export type Outputs = Readonly<Record<string, unknown>>;

/** An output the check needs is absent (a stack deployed before the output existed). */
export class MissingOutput extends Error {
  constructor(readonly outputPath: string) {
    super(`output ${outputPath} missing: upgrade the stack (pulumi up with this version), then run pulumi stack output --json again`);
    this.name = "MissingOutput";
  }
}

/** Reads `pulumi stack output --json`; a sentence (for a usage error) when the file is not such an object. */
export function readOutputs(file: string): Outputs | string {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    return `--outputs ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? "error"})`;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return `--outputs ${file}: not JSON; write it with pulumi stack output --json --stack <stack> > ${file}`;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return `--outputs ${file}: not the object pulumi stack output --json writes`;
  }
  return parsed as Outputs;
}

/** The output at `path` (dot-separated), or undefined. */
export function optionalOutput(outputs: Outputs, path: string): unknown {
  let value: unknown = outputs;
  for (const part of path.split(".")) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** The non-empty string output at `path`; MissingOutput otherwise. */
export function requiredString(outputs: Outputs, path: string): string {
  const value = optionalOutput(outputs, path);
  if (typeof value !== "string" || value === "" || value === "[secret]") throw new MissingOutput(path);
  return value;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * The stack's region: the `region` output, or for a stack deployed before it existed, the region of
 * an ARN the outputs hold (the alert topic, else the incident state machine).
 */
export function regionFromOutputs(outputs: Outputs): string | undefined {
  const exported = optionalOutput(outputs, "region");
  if (typeof exported === "string" && REGION.test(exported)) return exported;
  for (const path of ["alertTopicArn", "securityEventPipeline.incidentStateMachineArn"]) {
    const arn = optionalOutput(outputs, path);
    if (typeof arn === "string") {
      const region = arn.split(":")[3];
      if (region && REGION.test(region)) return region;
    }
  }
  return undefined;
}

/**
 * The OpenSearch domain's name from its endpoint (`vpc-<name>-<id>.<region>.es.amazonaws.com`,
 * https://docs.aws.amazon.com/opensearch-service/latest/developerguide/vpc.html): for a stack
 * deployed before index.ts exported `securityEventPipeline.domainName`.
 */
export function domainNameFromEndpoint(endpoint: string): string | undefined {
  const host = endpoint.replace(/^https?:\/\//, "").split(".")[0];
  const m = /^(?:vpc|search)-(.+)-[a-z0-9]+$/.exec(host);
  return m?.[1];
}

/**
 * The domain's name: the `securityEventPipeline.domainName` output, else derived from the endpoint;
 * MissingOutput naming `securityEventPipeline.domainName` when neither gives one.
 */
export function domainName(outputs: Outputs): string {
  const exported = optionalOutput(outputs, "securityEventPipeline.domainName");
  if (typeof exported === "string" && exported !== "") return exported;
  const endpoint = optionalOutput(outputs, "securityEventPipeline.domainEndpoint");
  const derived = typeof endpoint === "string" ? domainNameFromEndpoint(endpoint) : undefined;
  if (derived === undefined) throw new MissingOutput("securityEventPipeline.domainName");
  return derived;
}
