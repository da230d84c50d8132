/** How the config reports what is wrong: one problem per bad key, thrown together. */
import { PROJECT_NAME } from "./schema";

/** One bad key: which, what it held, and what is allowed. */
export interface ConfigProblem {
  readonly key: string;
  readonly value?: string;
  readonly message: string;
}

/** Thrown with every problem of a stack's config at once. */
export class PlatformConfigError extends Error {
  constructor(
    readonly problems: readonly ConfigProblem[],
    /** Namespace prefix shown before each key. */
    namespace = `${PROJECT_NAME}:`,
  ) {
    super(
      `Invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems
          .map((p) => `  - ${namespace}${p.key}${p.value === undefined ? "" : ` = ${JSON.stringify(p.value)}`}: ${p.message}`)
          .join("\n"),
    );
    this.name = "PlatformConfigError";
  }
}

/** Records one problem of a key (keys without the namespace prefix). */
export type Report = (key: string, value: string | undefined, message: string) => void;
