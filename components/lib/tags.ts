/**
 * The tag set every taggable resource carries. Tags are passed explicitly to each resource (mocks
 * and policy checks do not see a provider's `defaultTags`); the explicit provider in index.ts also
 * carries them as `defaultTags`, so a resource added without tags is still tagged on a real deploy.
 */
import type { DataClassification, StackContext } from "../config";

export type Tags = Readonly<Record<string, string>>;

/** What a resource may add to or narrow in the platform's tags. */
export interface TagOptions {
  /** Overrides the stack's classification for a store that holds less sensitive data. */
  readonly dataClassification?: DataClassification;
  /** What the resource is for, e.g. `access-logs`, `audit-logs`, `incident-reports`. */
  readonly purpose?: string;
}

/** Project, Environment, DataClassification, Compliance, Stack and the config's extra tags. */
export function platformTags(config: StackContext, options: TagOptions = {}): Tags {
  const tags: Record<string, string> = {
    ...config.extraTags,
    Project: config.project,
    Environment: config.environment,
    Stack: config.stack,
    DataClassification: options.dataClassification ?? config.dataClassification,
    Compliance: "HIPAA",
  };
  if (options.purpose !== undefined) tags.Purpose = options.purpose;
  return Object.freeze(tags);
}
