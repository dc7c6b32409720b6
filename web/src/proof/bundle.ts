// Proof bundles (docs/proof-bundle.md) verified in the browser, as `onechain verify bundle` does
// (src/ledger/proof_bundle.cc): the checkpoint header is of the genesis chain, its certificate
// (the interim CertificateSignatures: distinct validators of the genesis set, each signing the
// header bytes, at least n − ⌊(n−1)/3⌋ of n) verifies, and the record's RFC 6962 / RFC 9162
// inclusion proof leads to the header's log root. Bundles across a validator-set change
// (handoffs) are refused here: the trust root is the genesis set.
import { concat as concatBytes, fromBase64, toHex } from "../chain/bytes";
import { readProto, type ProtoFields } from "../chain/protoRead";
import { hash, verify, type SuiteName } from "../chain/suite";

export const ARMOR_LINE = "onechain-proof@v1";
const BUNDLE_BYTES_MAX = 256 * 1024;

export interface TrustRoot {
  chainId: string;
  suite: SuiteName;
  validators: Uint8Array[]; // the genesis validators' public keys
}

export interface VerifiedRecord {
  record: Uint8Array; // the SignedTx bytes
  leafHash: Uint8Array;
  leafIndex: bigint;
  height: bigint; // of the certifying checkpoint
  checkpointTimeMs: bigint;
  logSize: bigint;
}

export class BundleError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function dearmor(text: string): Uint8Array {
  const lines = text.trim().split(/\r?\n/);
  if (lines[0]?.trim() !== ARMOR_LINE) throw new BundleError("NOT_A_BUNDLE", `the text does not start with ${ARMOR_LINE}`);
  const body = lines.slice(1).join("").replace(/\s+/g, "");
  if (body.length > (BUNDLE_BYTES_MAX * 4) / 3 + 4) throw new BundleError("TOO_LARGE", "the bundle is larger than 256 KiB");
  try {
    return fromBase64(body);
  } catch {
    throw new BundleError("MALFORMED", "the bundle's body is not base64");
  }
}

const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

export function leafHashOf(suite: SuiteName, record: Uint8Array): Uint8Array {
  return hash(suite, concatBytes(Uint8Array.of(0), record));
}

// RFC 9162 §2.1.3.2: the root that `path` leads to from leaf `index` of a tree of `size` leaves.
export function rootFromInclusion(
  suite: SuiteName,
  leafHash: Uint8Array,
  index: bigint,
  size: bigint,
  path: Uint8Array[],
): Uint8Array {
  if (index >= size) throw new BundleError("INCLUSION", "the leaf index is not below the tree size");
  let fn = index;
  let sn = size - 1n;
  let r = leafHash;
  for (const p of path) {
    if (sn === 0n) throw new BundleError("INCLUSION", "the inclusion path is longer than the tree is deep");
    if ((fn & 1n) === 1n || fn === sn) {
      r = hash(suite, concatBytes(Uint8Array.of(1), p, r));
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      r = hash(suite, concatBytes(Uint8Array.of(1), r, p));
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) throw new BundleError("INCLUSION", "the inclusion path is shorter than the tree is deep");
  return r;
}

function verifyCertificate(root: TrustRoot, header: Uint8Array, certificate: Uint8Array): void {
  let signatures: ProtoFields[];
  try {
    signatures = readProto(certificate).repeatedBytes(1).map((s) => readProto(s));
  } catch {
    throw new BundleError("CERTIFICATE", "the certificate does not decode");
  }
  const members = new Set(root.validators.map(toHex));
  const signers = new Set<string>();
  for (const s of signatures) {
    const key = s.bytes(1) ?? new Uint8Array();
    const keyHex = toHex(key);
    if (!members.has(keyHex)) throw new BundleError("CERTIFICATE", `the certificate is signed by ${keyHex.slice(0, 16)}…, not a genesis validator`);
    if (signers.has(keyHex)) throw new BundleError("CERTIFICATE", "a validator signed the certificate twice");
    if (!verify(root.suite, key, header, s.bytes(2) ?? new Uint8Array())) {
      throw new BundleError("CERTIFICATE", `the signature of validator ${keyHex.slice(0, 16)}… does not verify over the checkpoint`);
    }
    signers.add(keyHex);
  }
  const n = members.size;
  const quorum = n - Math.floor((n - 1) / 3);
  if (n === 0 || signers.size < quorum) {
    throw new BundleError("CERTIFICATE", `${signers.size} of ${n} validators signed; ${quorum} are needed`);
  }
}

// Verifies a bundle that proves a record (a transaction); throws BundleError with the reason.
export function verifyRecordBundle(bundleBytes: Uint8Array, root: TrustRoot): VerifiedRecord {
  if (bundleBytes.length > BUNDLE_BYTES_MAX) throw new BundleError("TOO_LARGE", "the bundle is larger than 256 KiB");
  let bundle: ProtoFields;
  try {
    bundle = readProto(bundleBytes);
  } catch (e) {
    throw new BundleError("MALFORMED", `the bundle does not decode: ${(e as Error).message}`);
  }
  try {
    if (bundle.uint(1) !== 1n) throw new BundleError("FORMAT", "the bundle's format is not 1");
    if (bundle.repeatedBytes(7).length > 0) {
      throw new BundleError("HANDOFFS", "the validator set changed since genesis; verify this bundle with `onechain verify bundle`");
    }
    const checkpoint = bundle.message(6);
    const headerBytes = checkpoint?.bytes(1);
    if (!checkpoint || !headerBytes) throw new BundleError("CHECKPOINT", "the bundle has no checkpoint");
    const header = readProto(headerBytes);
    if (header.string(1) !== root.chainId) {
      throw new BundleError("CHAIN", `the checkpoint is of chain "${header.string(1)}", not "${root.chainId}"`);
    }
    verifyCertificate(root, headerBytes, checkpoint.bytes(2) ?? new Uint8Array());
    const record = bundle.bytes(2);
    if (!record) throw new BundleError("NO_RECORD", "the bundle carries no record (only its signer's bundle does)");
    const leafHash = leafHashOf(root.suite, record);
    const given = bundle.bytes(3);
    if (given && !equal(given, leafHash)) throw new BundleError("INCLUSION", "the leaf hash is not the record's");
    const inclusion = bundle.message(4);
    if (!inclusion) throw new BundleError("INCLUSION", "the bundle has no inclusion proof");
    const size = inclusion.uint(2);
    if (size !== header.uint(10)) throw new BundleError("INCLUSION", "the inclusion proof's tree size is not the checkpoint's log size");
    const computed = rootFromInclusion(root.suite, leafHash, inclusion.uint(1), size, inclusion.repeatedBytes(3));
    if (!equal(computed, header.bytes(11) ?? new Uint8Array())) {
      throw new BundleError("INCLUSION", "the record is not in the ledger: its inclusion proof does not lead to the checkpoint's log root");
    }
    return {
      record,
      leafHash,
      leafIndex: inclusion.uint(1),
      height: header.uint(2),
      checkpointTimeMs: header.uint(4),
      logSize: size,
    };
  } catch (e) {
    if (e instanceof BundleError) throw e;
    throw new BundleError("MALFORMED", `the bundle does not decode: ${(e as Error).message}`);
  }
}

// The trust root from GET /v1/genesis.
export function trustRootOf(genesis: { chainId?: string; suite?: string; validators?: { publicKey?: string }[] }): TrustRoot {
  return {
    chainId: genesis.chainId ?? "",
    suite: genesis.suite === "SUITE_SM" ? "sm" : "intl",
    validators: (genesis.validators ?? []).map((v) => fromBase64(v.publicKey ?? "")),
  };
}
