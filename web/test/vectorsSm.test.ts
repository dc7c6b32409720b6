// The sm suite in the browser against the CLI (src/api/web_vector_test.cc writes
// web/test/vectors/sm.json from the C++ code). SM2 signatures are randomized, so the bodies, hashes
// and signed-read headers are compared byte for byte and each side verifies the other's
// signatures: here the CLI's, in C++ (BrowserSmSignaturesVerifyInTheCli) the browser's, which
// ONECHAIN_WRITE_WEB_VECTORS=1 npm test writes to web/test/vectors/sm-web.json.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import vector from "./vectors/sm.json";
import { fromBase64, fromHex, toHex, utf8 } from "../src/chain/bytes";
import { signTx, type Action } from "../src/chain/tx";
import { signRequest, signatureBase } from "../src/chain/requestAuth";
import { hash, publicKeyOf, verify, type AccountKey } from "../src/chain/suite";
import { keyFromPem, pemFromKey } from "../src/keys/pem";

const key: AccountKey = { suite: "sm", secret: fromHex(vector.seedHex) };
const publicKey = fromHex(vector.publicKeyHex);

function signAll() {
  const txs = vector.txs.map((tx) => {
    const { chainId, nonce, validUntilHeight, ...action } = tx.fields;
    const signed = signTx(key, { chainId, nonce, validUntilHeight }, action as Action);
    return { name: tx.name, bodyHex: toHex(signed.body), signatureHex: toHex(signed.signature), txHashHex: toHex(signed.hash) };
  });
  const r = vector.signedRead;
  const headers = signRequest(key, { method: r.method, path: r.path, query: r.query, body: r.body }, r.created, r.nonce);
  const signedRead = {
    ...r,
    contentDigest: headers["Content-Digest"],
    signatureInput: headers["Signature-Input"],
    signature: headers.Signature,
  };
  return { publicKeyHex: toHex(publicKeyOf(key)), txs, signedRead };
}

describe("shared vector (sm)", () => {
  it("reads the CLI's SM2 PEM, writes it back the same and derives the public key", () => {
    const imported = keyFromPem(vector.pem);
    expect(imported.suite).toBe("sm");
    expect(toHex(imported.secret)).toBe(vector.seedHex);
    expect(pemFromKey(key)).toBe(vector.pem);
    expect(toHex(publicKeyOf(key))).toBe(vector.publicKeyHex);
  });

  for (const tx of vector.txs) {
    it(`encodes ${tx.name} to the CLI's bytes, hashes it with SM3 and verifies the CLI's signature`, () => {
      const { chainId, nonce, validUntilHeight, ...action } = tx.fields;
      const signed = signTx(key, { chainId, nonce, validUntilHeight }, action as Action);
      expect(toHex(signed.body)).toBe(tx.bodyHex);
      expect(toHex(signed.hash)).toBe(tx.txHashHex);
      expect(toHex(hash("sm", fromHex(tx.bodyHex)))).toBe(tx.txHashHex);
      expect(signed.signature.length).toBe(64);
      // The envelope is SignedTx { body, signature }: the CLI's with its signature swapped for ours.
      expect(toHex(signed.envelope).replace(toHex(signed.signature), tx.signatureHex)).toBe(tx.envelopeHex);
      expect(verify("sm", publicKey, signed.body, signed.signature)).toBe(true);
      expect(verify("sm", publicKey, fromHex(tx.bodyHex), fromHex(tx.signatureHex))).toBe(true);
      const tampered = fromHex(tx.bodyHex);
      tampered[0] ^= 1;
      expect(verify("sm", publicKey, tampered, fromHex(tx.signatureHex))).toBe(false);
    });
  }

  it("signs a read with the CLI's digest and parameters, and verifies the CLI's signature", () => {
    const r = vector.signedRead;
    const headers = signRequest(key, { method: r.method, path: r.path, query: r.query, body: r.body }, r.created, r.nonce);
    expect(headers["Content-Digest"]).toBe(r.contentDigest);
    expect(headers["Signature-Input"]).toBe(r.signatureInput);
    const params = r.signatureInput.replace(/^sig1=/, "");
    const base = utf8(signatureBase({ method: r.method, path: r.path, query: r.query, body: r.body }, r.contentDigest, params));
    const cliSignature = fromBase64(r.signature.replace(/^sig1=:/, "").replace(/:$/, ""));
    expect(verify("sm", publicKey, base, cliSignature)).toBe(true);
    const ours = fromBase64(headers.Signature.replace(/^sig1=:/, "").replace(/:$/, ""));
    expect(verify("sm", publicKey, base, ours)).toBe(true);
  });

  it("the committed browser signatures (checked by the C++ test) are of the current bodies", () => {
    const fresh = signAll();
    const path = join(process.cwd(), "test/vectors/sm-web.json"); // npm test runs in web/
    if (process.env.ONECHAIN_WRITE_WEB_VECTORS === "1") writeFileSync(path, JSON.stringify(fresh, null, 2) + "\n");
    const webVector = JSON.parse(readFileSync(path, "utf8")) as ReturnType<typeof signAll>;
    expect(webVector.publicKeyHex).toBe(fresh.publicKeyHex);
    expect(webVector.txs.map((t) => [t.name, t.bodyHex, t.txHashHex])).toEqual(
      fresh.txs.map((t) => [t.name, t.bodyHex, t.txHashHex]),
    );
    for (const t of webVector.txs) expect(verify("sm", publicKey, fromHex(t.bodyHex), fromHex(t.signatureHex))).toBe(true);
  });
});
