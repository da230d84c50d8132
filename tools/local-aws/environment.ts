/**
 * The SDK's environment for a local run: region, credentials and endpoint variables set for the
 * local servers, the ones that would send requests elsewhere (session token, profile, the global
 * endpoint) removed, and everything put back as it was by `restore()`.
 */

/** Variables every local harness sets or clears; a harness adds its own (endpoints, handler settings). */
const SDK_KEYS = ["AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"] as const;

/** Cleared so that no request leaves for real AWS with the user's own session or profile. */
const CLEARED = ["AWS_SESSION_TOKEN", "AWS_PROFILE"] as const;

/** s3rver does not read aws-chunked bodies with trailing checksums: checksums only where an API requires them. */
export const CHECKSUMS_WHEN_REQUIRED = {
  AWS_REQUEST_CHECKSUM_CALCULATION: "WHEN_REQUIRED",
  AWS_RESPONSE_CHECKSUM_VALIDATION: "WHEN_REQUIRED",
} as const;

export interface LocalEnvironment {
  /** Puts back every variable this override saved (deleting the ones that were unset). */
  restore(): void;
}

/**
 * Sets `values` (region and credentials included) in process.env, deletes AWS_SESSION_TOKEN,
 * AWS_PROFILE and the keys in `clear`, and saves everything it touches for `restore()`. `save` lists
 * further keys to put back that the caller changes later.
 */
export function overrideEnvironment(
  values: Record<string, string> & { AWS_REGION: string; AWS_ACCESS_KEY_ID: string; AWS_SECRET_ACCESS_KEY: string },
  options: { clear?: readonly string[]; save?: readonly string[] } = {},
): LocalEnvironment {
  const clear = [...CLEARED, ...(options.clear ?? [])];
  const keys = new Set<string>([...SDK_KEYS, ...Object.keys(values), ...clear, ...(options.save ?? [])]);
  const saved = new Map([...keys].map((k) => [k, process.env[k]]));
  Object.assign(process.env, values);
  for (const k of clear) delete process.env[k];
  return {
    restore: () => {
      for (const [k, v] of saved) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    },
  };
}
