// Materials in both suites (src/materials/): the encryption key derived from the account key, the
// sm sealing (SM4-CTR + HMAC-SM3, SM2-wrapped data key as GM/T 0009 DER) and what a declaration's
// attachment carries.
import { describe, expect, it, vi } from "vitest";
import { sm4 } from "sm-crypto";
import { x25519 } from "@noble/curves/ed25519.js";
import { fromHex, toHex, utf8 } from "../src/chain/bytes";
import { deriveEncryptionKey } from "../src/materials/encryptionKey";
import { declarationMaterialAad, openFor, openMaterial, sealMaterial, unwrapFor } from "../src/materials/materials";
import { SealError } from "../src/materials/seal";
import { openDataSm, sealDataSm, unwrapDataKeySm, wrapDataKeySm } from "../src/materials/sealSm";
import { validateMaterials } from "../src/validationMore";

const secret = (first: number) => Uint8Array.from({ length: 32 }, (_, i) => first + i);

describe("the encryption key derived from the account key", () => {
  it("is stable, separate from the signing key, and of the suite's kind", () => {
    const intl = deriveEncryptionKey({ suite: "intl", secret: secret(1) });
    expect(toHex(intl.publicKey)).toBe(toHex(deriveEncryptionKey({ suite: "intl", secret: secret(1) }).publicKey));
    expect(toHex(intl.publicKey)).toBe(toHex(x25519.getPublicKey(intl.secret)));
    expect(toHex(intl.secret)).not.toBe(toHex(secret(1)));
    expect(toHex(deriveEncryptionKey({ suite: "intl", secret: secret(2) }).publicKey)).not.toBe(toHex(intl.publicKey));
    const sm = deriveEncryptionKey({ suite: "sm", secret: secret(1) });
    expect(sm.publicKey.length).toBe(65);
    expect(sm.publicKey[0]).toBe(4);
    expect(toHex(sm.secret)).not.toBe(toHex(intl.secret));
  });
});

describe("sm sealing", () => {
  const dataKey = secret(0x40);
  const aad = declarationMaterialAad("fedcba9876543210fedcba9876543210", 0);

  it("is SM4 in counter mode over the whole 16-byte block (GB/T 32907 key and block)", () => {
    // With a zero plaintext CTR yields the keystream: SM4(key, iv), SM4(key, iv + 1), with the
    // carry running across all 16 bytes.
    const key = fromHex("0123456789abcdeffedcba9876543210");
    const iv = fromHex("0123456789abcdeffedcba98765432ff");
    const sealed = sealDataSm(new Uint8Array([...key, ...new Uint8Array(16)]), new Uint8Array(32), utf8(""), iv);
    const block = (b: Uint8Array) => toHex(Uint8Array.from(sm4.encrypt(Array.from(b), Array.from(key), { padding: "none", output: "array" })));
    expect(toHex(sealed.subarray(16, 32))).toBe(block(iv));
    expect(toHex(sealed.subarray(32, 48))).toBe(block(fromHex("0123456789abcdeffedcba9876543300")));
    // Past the first 64 KiB piece the counter runs on: block 4096 is SM4(key, iv + 4096).
    const long = sealDataSm(new Uint8Array([...key, ...new Uint8Array(16)]), new Uint8Array(65536 + 32), utf8(""), iv);
    expect(toHex(long.subarray(16 + 65536, 16 + 65536 + 16))).toBe(block(fromHex("0123456789abcdeffedcba98765442ff")));
    // GB/T 32907's example: SM4(key, key) = 681edf34d206965e86b3e94f536e4246.
    expect(block(key)).toBe("681edf34d206965e86b3e94f536e4246");
  });

  it("opens what it sealed, and refuses another place, a flipped byte and a short input", () => {
    const plaintext = utf8("合同 contract ".repeat(40));
    const sealed = sealDataSm(dataKey, plaintext, aad);
    expect(sealed.length).toBe(16 + plaintext.length + 32);
    expect(toHex(openDataSm(dataKey, sealed, aad))).toBe(toHex(plaintext));
    expect(() => openDataSm(dataKey, sealed, declarationMaterialAad("fedcba9876543210fedcba9876543210", 1))).toThrow(SealError);
    for (const at of [0, 20, sealed.length - 1]) {
      const altered = sealed.slice();
      altered[at] ^= 1;
      expect(() => openDataSm(dataKey, altered, aad)).toThrow(/does not open/);
    }
    expect(() => openDataSm(dataKey, sealed.subarray(0, 40), aad)).toThrow(/shorter/);
  });

  it("wraps the data key for an SM2 reader as DER, which only that reader opens", () => {
    const reader = deriveEncryptionKey({ suite: "sm", secret: secret(0x60) });
    const other = deriveEncryptionKey({ suite: "sm", secret: secret(0x61) });
    const wrapped = wrapDataKeySm(reader.publicKey, dataKey);
    expect(wrapped[0]).toBe(0x30);
    expect(wrapped.length).toBeGreaterThan(100);
    expect(wrapped.length).toBeLessThanOrEqual(256);
    expect(toHex(unwrapDataKeySm(reader.secret, wrapped))).toBe(toHex(dataKey));
    expect(() => unwrapDataKeySm(other.secret, wrapped)).toThrow(/not wrapped for this key/);
    const altered = wrapped.slice();
    altered[altered.length - 3] ^= 1;
    expect(() => unwrapDataKeySm(reader.secret, altered)).toThrow(SealError);
    expect(() => unwrapDataKeySm(reader.secret, wrapped.subarray(0, 50))).toThrow(/DER/);
    expect(() => wrapDataKeySm(reader.publicKey.subarray(1), dataKey)).toThrow(/65 bytes/);
  });
});

describe("a declaration's material", () => {
  for (const suite of ["intl", "sm"] as const) {
    it(`is sealed once and opened by each reader (${suite})`, () => {
      const a = deriveEncryptionKey({ suite, secret: secret(0x10) });
      const b = deriveEncryptionKey({ suite, secret: secret(0x20) });
      const content = utf8("%PDF-1.7 supply contract");
      const aad = declarationMaterialAad("00112233445566778899aabbccddeeff", 0);
      const m = sealMaterial(
        suite,
        { name: "合同.pdf", mediaType: "application/pdf", content },
        [
          { accountId: "creditor", encryptionKey: a.publicKey },
          { accountId: "administrator", encryptionKey: b.publicKey },
        ],
        aad,
      );
      expect(m.attachment.size).toBe(m.sealed.length);
      expect(m.attachment.keys.map((k) => k.readerAccountId)).toEqual(["creditor", "administrator"]);
      for (const [i, reader] of [a, b].entries()) {
        const key = unwrapFor(suite, reader.secret, fromHex(m.attachment.keys[i].wrappedHex));
        expect(toHex(openFor(suite, key, m.sealed, aad))).toBe(toHex(content));
      }
      expect(() => sealMaterial(suite, { name: "x", mediaType: "", content }, [], aad)).toThrow(/at least one reader/);
    });
  }
});

describe("validateMaterials", () => {
  it("names too many files, an empty file and a file over 32 MiB", () => {
    expect(validateMaterials([])).toBeUndefined();
    expect(validateMaterials([{ name: "a", size: 3 }])).toBeUndefined();
    expect(validateMaterials(Array.from({ length: 21 }, () => ({ name: "a", size: 1 })))).toEqual({ key: "err_tooManyFiles", vars: { max: 20 } });
    expect(validateMaterials([{ name: "a", size: 1 }, { name: "b", size: 0 }])).toEqual({ key: "err_fileEmpty", vars: { n: 2 } });
    expect(validateMaterials([{ name: "a", size: (32 << 20) + 1 }])).toEqual({ key: "err_fileTooLarge", vars: { n: 1, mib: 32 } });
  });
});

describe("opening a downloaded material (openMaterial)", () => {
  const creditor = { suite: "intl" as const, secret: secret(0x30) };
  const content = utf8("invoice 2026-118");
  const aad = declarationMaterialAad("00112233445566778899aabbccddeeff", 0);
  const m = sealMaterial(
    "intl",
    { name: "invoice.txt", mediaType: "text/plain", content },
    [{ accountId: "creditor", encryptionKey: deriveEncryptionKey(creditor).publicKey }],
    aad,
  );
  const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
  const json = { hash: b64(fromHex(m.hashHex)), keys: [{ readerAccountId: "creditor", wrapped: b64(fromHex(m.attachment.keys[0].wrappedHex)) }] };
  const serve = (body: Uint8Array) =>
    vi.stubGlobal("fetch", vi.fn(async () => new Response(body as BodyInit, { status: 200 })));

  it("opens the ciphertext the node returns, and refuses altered bytes, another place and another reader", async () => {
    serve(m.sealed);
    expect(toHex(await openMaterial(creditor, "creditor", json, aad))).toBe(toHex(content));
    const altered = m.sealed.slice();
    altered[30] ^= 1;
    serve(altered);
    await expect(openMaterial(creditor, "creditor", json, aad)).rejects.toThrow(/does not match its hash/);
    serve(m.sealed);
    await expect(openMaterial(creditor, "creditor", json, declarationMaterialAad("00112233445566778899aabbccddeeff", 1))).rejects.toThrow(
      /does not open/,
    );
    await expect(openMaterial(creditor, "administrator", json, aad)).rejects.toThrow(/not wrapped for your account/);
    vi.unstubAllGlobals();
  });
});
