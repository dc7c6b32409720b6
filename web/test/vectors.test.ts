// The browser's transaction and signed-read bytes against the CLI's (src/api/web_vector_test.cc
// writes web/test/vectors/intl.json from the C++ code and checks it stays current).
import { describe, expect, it } from "vitest";
import { ed25519 } from "@noble/curves/ed25519.js";
import vector from "./vectors/intl.json";
import { fromHex, toHex } from "../src/chain/bytes";
import { signTx, type Action } from "../src/chain/tx";
import { signRequest } from "../src/chain/requestAuth";
import { pemFromSeed, seedFromPem } from "../src/keys/pem";

const seed = fromHex(vector.seedHex);

describe("shared vector (intl)", () => {
  it("reads the CLI's PEM key and derives its public key", () => {
    expect(toHex(seedFromPem(vector.pem))).toBe(vector.seedHex);
    expect(pemFromSeed(seed)).toBe(vector.pem);
    expect(toHex(ed25519.getPublicKey(seed))).toBe(vector.publicKeyHex);
  });

  for (const tx of vector.txs) {
    it(`signs ${tx.name} to the CLI's exact bytes`, () => {
      const { chainId, nonce, validUntilHeight, ...action } = tx.fields;
      const signed = signTx(seed, { chainId, nonce, validUntilHeight }, action as Action);
      expect(toHex(signed.body)).toBe(tx.bodyHex);
      expect(toHex(signed.signature)).toBe(tx.signatureHex);
      expect(toHex(signed.envelope)).toBe(tx.envelopeHex);
      expect(toHex(signed.hash)).toBe(tx.txHashHex);
      expect(ed25519.verify(signed.signature, fromHex(tx.bodyHex), fromHex(vector.publicKeyHex))).toBe(true);
    });
  }

  it("signs a read with the CLI's exact headers", () => {
    const r = vector.signedRead;
    const headers = signRequest(seed, { method: r.method, path: r.path, query: r.query, body: r.body }, r.created, r.nonce);
    expect(headers["Content-Digest"]).toBe(r.contentDigest);
    expect(headers["Signature-Input"]).toBe(r.signatureInput);
    expect(headers.Signature).toBe(r.signature);
  });

  it("a changed field changes the bytes (the comparison is not vacuous)", () => {
    const tx = vector.txs[0];
    const { chainId, nonce, validUntilHeight, ...action } = tx.fields;
    const signed = signTx(seed, { chainId, nonce: BigInt(nonce) + 1n, validUntilHeight }, action as Action);
    expect(toHex(signed.body)).not.toBe(tx.bodyHex);
  });
});
