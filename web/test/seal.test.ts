// Materials sealed in the browser (src/materials/seal.ts) against the C++ primitives
// (src/crypto/seal.h): web/test/vectors/seal-web.json is sealed here and opened by
// src/api/web_vector_test.cc (BrowserSealedMaterialOpensInTheCli); seal.json is sealed by the
// C++ code and opened here. ONECHAIN_WRITE_WEB_VECTORS=1 rewrites seal-web.json.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { x25519 } from "@noble/curves/ed25519.js";
import { fromHex, toHex, utf8 } from "../src/chain/bytes";
import { SealError, openData, sealData, sealFile, unwrapDataKey, wrapDataKey } from "../src/materials/seal";
import cliVector from "./vectors/seal.json";

// The vectors' reader: X25519 secret bytes 0x60..0x7f.
const readerSecret = Uint8Array.from({ length: 32 }, (_, i) => 0x60 + i);
const readerPublic = x25519.getPublicKey(readerSecret);
const aad = utf8("claim/00001111222233334444555566667777/material/0");
const plaintext = utf8("%PDF-1.7 a contract between 深圳供应链有限公司 and the debtor");

describe("materials sealed in the browser", () => {
  it("round-trips and refuses another key, other associated data and any altered byte", () => {
    const file = sealFile("contract.pdf", "application/pdf", plaintext, [{ accountId: "acct", encryptionKey: readerPublic }], aad);
    expect(file.attachment.size).toBe(file.sealed.length);
    expect(file.sealed.length).toBe(24 + plaintext.length + 16);
    const dataKey = unwrapDataKey(readerSecret, file.attachment.keys[0].wrapped);
    expect(toHex(openData(dataKey, file.sealed, aad))).toBe(toHex(plaintext));
    expect(() => openData(dataKey, file.sealed, utf8("claim/other/material/0"))).toThrow(SealError);
    const altered = file.sealed.slice();
    altered[30] ^= 1;
    expect(() => openData(dataKey, altered, aad)).toThrow(SealError);
    const other = x25519.utils.randomSecretKey();
    expect(() => unwrapDataKey(other, file.attachment.keys[0].wrapped)).toThrow(/not wrapped for this key/);
    const wrapped = file.attachment.keys[0].wrapped.slice();
    wrapped[50] ^= 1;
    expect(() => unwrapDataKey(readerSecret, wrapped)).toThrow(SealError);
    // The plaintext appears nowhere in what is uploaded.
    expect(toHex(file.sealed)).not.toContain(toHex(plaintext.subarray(0, 8)));
  });

  it("opens what the C++ code sealed (seal.json)", () => {
    expect(cliVector.readerPublicKeyHex).toBe(toHex(readerPublic));
    const dataKey = unwrapDataKey(readerSecret, fromHex(cliVector.wrappedHex));
    expect(toHex(openData(dataKey, fromHex(cliVector.sealedHex), fromHex(cliVector.associatedDataHex)))).toBe(cliVector.plaintextHex);
  });

  it("writes what the C++ test opens (seal-web.json)", () => {
    const path = join(process.cwd(), "test/vectors/seal-web.json"); // npm test runs in web/
    if (process.env.ONECHAIN_WRITE_WEB_VECTORS === "1") {
      const dataKey = Uint8Array.from({ length: 32 }, (_, i) => i);
      const vector = {
        comment: "Sealed by web/test/seal.test.ts (ONECHAIN_WRITE_WEB_VECTORS=1); opened by src/api/web_vector_test.cc.",
        readerPublicKeyHex: toHex(readerPublic),
        associatedDataHex: toHex(aad),
        plaintextHex: toHex(plaintext),
        wrappedHex: toHex(wrapDataKey(readerPublic, dataKey)),
        sealedHex: toHex(sealData(dataKey, plaintext, aad)),
      };
      writeFileSync(path, JSON.stringify(vector, null, 2) + "\n");
    }
    const web = JSON.parse(readFileSync(path, "utf8"));
    const dataKey = unwrapDataKey(readerSecret, fromHex(web.wrappedHex));
    expect(toHex(openData(dataKey, fromHex(web.sealedHex), fromHex(web.associatedDataHex)))).toBe(web.plaintextHex);
  });
});

describe("upload of a sealed file (PUT /v1/blobs/{hash})", () => {
  it("sends the ciphertext under its hash, signed with a digest of the exact bytes", async () => {
    const { api } = await import("../src/api/client");
    const { signatureBase } = await import("../src/chain/requestAuth");
    const { verify, publicKeyOf } = await import("../src/chain/suite");
    const { sha256 } = await import("@noble/hashes/sha2.js");
    const { fromBase64 } = await import("../src/chain/bytes");
    const key = { suite: "intl" as const, secret: Uint8Array.from({ length: 32 }, (_, i) => i + 1) };
    const file = sealFile("invoice.pdf", "application/pdf", plaintext, [{ accountId: "acct", encryptionKey: readerPublic }], aad);
    const sent: { url: string; init: RequestInit }[] = [];
    const realFetch = globalThis.fetch;
    globalThis.fetch = (async (url: string, init: RequestInit) => {
      sent.push({ url, init });
      return new Response("{}", { status: 200 });
    }) as typeof fetch;
    try {
      await api.uploadBlob(key, file.sealed, file.hashHex);
    } finally {
      globalThis.fetch = realFetch;
    }
    expect(sent).toHaveLength(1);
    const { url, init } = sent[0];
    expect(url).toBe(`/v1/blobs/${toHex(sha256(file.sealed))}`);
    expect(init.method).toBe("PUT");
    expect(init.body).toBe(file.sealed);
    const headers = init.headers as Record<string, string>;
    expect(headers["Content-Digest"]).toBe(`sha-256=:${Buffer.from(sha256(file.sealed)).toString("base64")}:`);
    const params = headers["Signature-Input"].replace(/^sig1=/, "");
    const base = utf8(signatureBase({ method: "PUT", path: url, query: "", body: file.sealed }, headers["Content-Digest"], params));
    const signature = fromBase64(headers.Signature.replace(/^sig1=:/, "").replace(/:$/, ""));
    expect(verify("intl", publicKeyOf(key), base, signature)).toBe(true);
  });
});
