import { strict as assert } from "assert";
import type { Encryption, EncryptionKey } from "../../components/encryption";
import { keySet, RECOVERY_KEY_PURPOSES } from "../../components/key-set";

describe("keySet", () => {
  const key = (purpose: EncryptionKey["purpose"]) => ({ purpose }) as unknown as EncryptionKey;
  const built = (purposes: EncryptionKey["purpose"][]) =>
    ({ keys: Object.fromEntries(purposes.map((p) => [p, key(p)])) }) as unknown as Encryption;

  it("returns each key of the purposes asked for", () => {
    const keys = keySet(built(["phi", "audit", "backup"]), RECOVERY_KEY_PURPOSES);
    assert.deepEqual(Object.keys(keys).sort(), ["audit", "backup", "phi"]);
    assert.equal(keys.backup.purpose, "backup");
  });

  it("throws naming a purpose the Encryption did not build", () => {
    assert.throws(() => keySet(built(["phi", "audit"]), RECOVERY_KEY_PURPOSES), /no backup key/);
  });
});
