import { describe, expect, it } from "vitest";
import { fromHex, toHex } from "../src/chain/bytes";
import { WrongPasswordError, listKeys, openKey, saveKey, sealKey, deleteKey } from "../src/keys/keystore";

// A cheap scrypt for the test; the console uses DEFAULT_KDF (N = 2^15).
const kdf = { N: 1 << 10, r: 8, p: 1 };
const seed = fromHex("404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f");

describe("keystore", () => {
  it("stores a key encrypted and opens it only with its password", async () => {
    const record = await sealKey("judge", seed, "correct horse", kdf);
    expect(record.publicKeyHex).toBe("2543b92ff1095511476adc8369db6ddc933665a11978dda1404ee1066ca9559d");
    expect(record.ciphertext).not.toContain(toHex(seed));
    await saveKey(record);
    const [stored] = await listKeys();
    expect(stored.name).toBe("judge");
    expect(toHex((await openKey(stored, "correct horse")).secret)).toBe(toHex(seed));
    await expect(openKey(stored, "wrong password")).rejects.toBeInstanceOf(WrongPasswordError);
    // A record relabelled with another public key does not open either (associated data).
    await expect(openKey({ ...stored, publicKeyHex: "00".repeat(32) }, "correct horse")).rejects.toBeInstanceOf(
      WrongPasswordError,
    );
    await expect(saveKey(record)).rejects.toMatchObject({ name: "ConstraintError" });
    await deleteKey("judge");
    expect(await listKeys()).toEqual([]);
  });

  it("refuses a short password", async () => {
    await expect(sealKey("k", seed, "short", kdf)).rejects.toThrow(/at least 8/);
  });
});
