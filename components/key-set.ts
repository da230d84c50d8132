/**
 * Key sets: the keys an {@link Encryption} built, by purpose, each present, so that callers need no
 * `!`: the primary region's (every purpose) and the recovery region's (phi, audit, backup).
 */
import type { Encryption, EncryptionKey, KeyPurpose } from "./encryption";

/** Keys of the given purposes, each present (no `!` where they are used). */
export type KeySet<P extends KeyPurpose> = { readonly [K in P]: EncryptionKey };
/** The primary region's keys: every purpose. */
export type PrimaryKeys = KeySet<KeyPurpose>;
/** The recovery region's keys: what its replicas and copied backups are encrypted with. */
export const RECOVERY_KEY_PURPOSES = ["phi", "audit", "backup"] as const satisfies readonly KeyPurpose[];
export type RecoveryKeys = KeySet<(typeof RECOVERY_KEY_PURPOSES)[number]>;

/** The keys of `purposes` an {@link Encryption} built; throws naming a purpose it did not build. */
export function keySet<P extends KeyPurpose>(encryption: Encryption, purposes: readonly P[]): KeySet<P> {
  const entries = purposes.map((purpose) => {
    const key = encryption.keys[purpose];
    if (key === undefined) throw new Error(`Encryption: no ${purpose} key (its purposes leave it out)`);
    return [purpose, key] as const;
  });
  return Object.freeze(Object.fromEntries(entries)) as KeySet<P>;
}
