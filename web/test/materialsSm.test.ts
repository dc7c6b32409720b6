// The sm suite's materials against the C++ primitives (src/crypto/seal.h through OpenSSL 3):
// web/test/vectors/seal-sm.json is sealed by src/api/web_vector_test.cc and opened here;
// seal-sm-web.json is sealed here and opened there (BrowserSealedSmMaterialOpensInTheCli).
// ONECHAIN_WRITE_WEB_VECTORS=1 rewrites seal-sm-web.json.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fromHex, toHex, utf8 } from "../src/chain/bytes";
import { smPublicKey } from "../src/materials/encryptionKey";
import { newDataKey } from "../src/materials/seal";
import { openDataSm, sealDataSm, unwrapDataKeySm, wrapDataKeySm } from "../src/materials/sealSm";
import cliVector from "./vectors/seal-sm.json";
import webVector from "./vectors/seal-sm-web.json";

// The vectors' reader: the SM2 scalar 0x60..0x7f.
const readerSecret = Uint8Array.from({ length: 32 }, (_, i) => 0x60 + i);
const readerPublic = smPublicKey(readerSecret);

function opens(vector: typeof cliVector): string {
  expect(vector.readerPublicKeyHex).toBe(toHex(readerPublic));
  const dataKey = unwrapDataKeySm(readerSecret, fromHex(vector.wrappedHex));
  return toHex(openDataSm(dataKey, fromHex(vector.sealedHex), fromHex(vector.associatedDataHex)));
}

describe("sm materials shared with the C++ code", () => {
  it("opens what the C++ code sealed (seal-sm.json)", () => {
    expect(opens(cliVector)).toBe(cliVector.plaintextHex);
    const altered = fromHex(cliVector.sealedHex);
    altered[20] ^= 1;
    const dataKey = unwrapDataKeySm(readerSecret, fromHex(cliVector.wrappedHex));
    expect(() => openDataSm(dataKey, altered, fromHex(cliVector.associatedDataHex))).toThrow(/does not open/);
  });

  it("writes what the C++ test opens (seal-sm-web.json)", () => {
    if (process.env.ONECHAIN_WRITE_WEB_VECTORS === "1") {
      const plaintext = utf8("%PDF-1.7 浏览器以 SM4-CTR 与 HMAC-SM3 封装的供货合同 (a contract sealed in the browser)");
      const aad = utf8("declaration/fedcba9876543210fedcba9876543210/material/0");
      const dataKey = newDataKey();
      const vector = {
        comment: "Sealed by web/test/materialsSm.test.ts (ONECHAIN_WRITE_WEB_VECTORS=1); opened by src/api/web_vector_test.cc.",
        readerPublicKeyHex: toHex(readerPublic),
        associatedDataHex: toHex(aad),
        plaintextHex: toHex(plaintext),
        wrappedHex: toHex(wrapDataKeySm(readerPublic, dataKey)),
        sealedHex: toHex(sealDataSm(dataKey, plaintext, aad)),
      };
      writeFileSync(join(process.cwd(), "test/vectors/seal-sm-web.json"), JSON.stringify(vector, null, 2) + "\n");
    }
    expect(opens(webVector)).toBe(webVector.plaintextHex);
  });
});
