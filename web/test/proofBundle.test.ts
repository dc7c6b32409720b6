// Proof bundles and the printable notice, verified in the browser's code: RFC 6962 inclusion on
// certificate-transparency's public vectors (as src/ledger/log_tree_test.cc uses them), and a
// bundle/notice built here from two signed transactions in a two-leaf log certified by one
// validator — accepted as made, refused after any one change.
import { describe, expect, it } from "vitest";
import { ed25519 } from "@noble/curves/ed25519.js";
import { concat, fromHex, toBase64, toHex, utf8 } from "../src/chain/bytes";
import { ProtoWriter } from "../src/chain/proto";
import { hash } from "../src/chain/suite";
import { signTx } from "../src/chain/tx";
import { BundleError, leafHashOf, rootFromInclusion, verifyRecordBundle, type TrustRoot } from "../src/proof/bundle";
import { factsOf, makeNoticePdf, noticeLines, verifyNoticePayload, verifyNoticePdf } from "../src/proof/notice";

const leaves = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"];
const roots = [
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];
const inclusion: [number, number, string[]][] = [
  [1, 1, []],
  [
    1,
    8,
    [
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
  ],
  [
    6,
    8,
    [
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  ],
  [3, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]],
  [
    2,
    5,
    [
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
  ],
];

describe("RFC 6962 inclusion", () => {
  for (const [leaf, size, path] of inclusion) {
    it(`leaf ${leaf} of ${size}`, () => {
      const leafHash = leafHashOf("intl", fromHex(leaves[leaf - 1]));
      const root = rootFromInclusion("intl", leafHash, BigInt(leaf - 1), BigInt(size), path.map(fromHex));
      expect(toHex(root)).toBe(roots[size - 1]);
      if (path.length > 0) {
        const wrong = path.map(fromHex);
        wrong[0][0] ^= 1;
        expect(toHex(rootFromInclusion("intl", leafHash, BigInt(leaf - 1), BigInt(size), wrong))).not.toBe(roots[size - 1]);
      }
    });
  }
  it("refuses a path of the wrong length", () => {
    const leafHash = leafHashOf("intl", fromHex(leaves[0]));
    expect(() => rootFromInclusion("intl", leafHash, 0n, 8n, [])).toThrow(BundleError);
  });
});

// A one-validator network: the validator certifies a header whose log holds [review, notice].
const validatorSeed = fromHex("11".repeat(32));
const adminSeed = fromHex("22".repeat(32));
const root: TrustRoot = { chainId: "onechain-test", suite: "intl", validators: [ed25519.getPublicKey(validatorSeed)] };
const claimId = "00001111222233334444555566667777";
const header = { chainId: "onechain-test", nonce: 5, validUntilHeight: 100 };
const review = signTx(adminSeed, header, {
  reviewClaim: {
    claimId,
    components: [
      { index: 0, confirmed: 123456789, ranking: "ordinary", reason: "" },
      { index: 1, confirmed: 0, ranking: "subordinated", reason: "利息超过约定" },
    ],
    collateralId: "",
    reasons: "interest not owed",
  },
}).envelope;
const notice = signTx(adminSeed, { ...header, nonce: 6 }, { sendReviewNotice: { claimId, objectionDeadlineMs: 1801000000000 } })
  .envelope;
const leafHashes = [leafHashOf("intl", review), leafHashOf("intl", notice)];
const logRoot = hash("intl", concat(Uint8Array.of(1), leafHashes[0], leafHashes[1]));

function bundleOf(index: number, options: { chainId?: string; signer?: Uint8Array; record?: Uint8Array } = {}): Uint8Array {
  const headerBytes = new ProtoWriter()
    .string(1, options.chainId ?? "onechain-test")
    .uint(2, 7)
    .uint(4, 1800000000000)
    .uint(10, 2)
    .bytes(11, logRoot)
    .finish();
  const signer = options.signer ?? validatorSeed;
  const certificate = new ProtoWriter()
    .message(1, new ProtoWriter().bytes(1, ed25519.getPublicKey(signer)).bytes(2, ed25519.sign(headerBytes, signer)).finish())
    .finish();
  return new ProtoWriter()
    .uint(1, 1)
    .bytes(2, options.record ?? [review, notice][index])
    .message(4, new ProtoWriter().uint(1, index).uint(2, 2).bytes(3, leafHashes[1 - index]).finish())
    .message(6, new ProtoWriter().bytes(1, headerBytes).bytes(2, certificate).finish())
    .finish();
}
const armor = (bytes: Uint8Array) => `onechain-proof@v1\n${toBase64(bytes).replace(/(.{64})/g, "$1\n")}`;

describe("proof bundles", () => {
  it("verifies a record certified by the genesis validator", () => {
    const v = verifyRecordBundle(bundleOf(1), root);
    expect(toHex(v.record)).toBe(toHex(notice));
    expect(v.height).toBe(7n);
  });
  it("refuses another chain, a non-validator's certificate and a changed record", () => {
    expect(() => verifyRecordBundle(bundleOf(1, { chainId: "other" }), root)).toThrow(/chain/);
    expect(() => verifyRecordBundle(bundleOf(1, { signer: adminSeed }), root)).toThrow(/not a genesis validator/);
    const changed = notice.slice();
    changed[changed.length - 1] ^= 1;
    expect(() => verifyRecordBundle(bundleOf(1, { record: changed }), root)).toThrow(/not in the ledger/);
  });
  it("reads the notice of a pasted QR payload", () => {
    const v = verifyNoticePayload(armor(bundleOf(1)), root);
    expect(v.claimId).toBe(claimId);
    expect(v.objectionDeadlineMs).toBe(1801000000000n);
    expect(() => verifyNoticePayload(armor(bundleOf(0)), root)).toThrow(/not prove a review-result notice/);
  });
});

describe("notice PDF", () => {
  const txHash = (body: Uint8Array) => hash("intl", body);
  const bundles = { review: armor(bundleOf(0)), notice: armor(bundleOf(1)) };

  it("verifies as made and is refused after one byte of its text or of a bundle changes", async () => {
    const f = factsOf(root, verifyRecordBundle(bundleOf(0), root), verifyRecordBundle(bundleOf(1), root), txHash);
    expect(noticeLines(f)).toContain("Total confirmed: CNY 1,234,567.89");
    expect(noticeLines(f).join("\n")).toContain("\\u5229\\u606f");
    const pdf = await makeNoticePdf(f, bundles);
    const ok = await verifyNoticePdf(pdf, root, txHash);
    expect(ok.facts.claimId).toBe(claimId);

    const latin = new TextDecoder("latin1").decode(pdf);
    const totalHex = toHex(utf8("Total confirmed: CNY "));
    const at = latin.toLowerCase().indexOf(totalHex);
    expect(at).toBeGreaterThan(0);
    const textTampered = pdf.slice();
    textTampered[at + totalHex.length + 1] += 1; // "1" -> "2"
    await expect(verifyNoticePdf(textTampered, root, txHash)).rejects.toThrow(/printed notice differs/);

    const bundleAt = latin.indexOf("/OneChainReviewProof (") + "/OneChainReviewProof (".length;
    const bundleTampered = pdf.slice();
    bundleTampered[bundleAt + 300] = bundleTampered[bundleAt + 300] === 0x41 ? 0x42 : 0x41;
    await expect(verifyNoticePdf(bundleTampered, root, txHash)).rejects.toBeInstanceOf(BundleError);
  });
});
