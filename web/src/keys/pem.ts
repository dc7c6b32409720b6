// Account keys as `onechain keys new` writes them: unencrypted PKCS#8 PEM of an Ed25519 key
// (RFC 8410, suite intl) or of an SM2 key (id-ecPublicKey with the SM2 curve, suite sm).
import { concat, fromBase64, fromHex, toBase64 } from "../chain/bytes";
import { isValidSecret, newSecret, publicKeyOf, type AccountKey, type SuiteName } from "../chain/suite";

// PrivateKeyInfo { version 0, AlgorithmIdentifier { id-Ed25519 }, OCTET STRING { OCTET STRING seed } }
const PKCS8_ED25519_PREFIX = fromHex("302e020100300506032b657004220420");
// AlgorithmIdentifier { id-ecPublicKey 1.2.840.10045.2.1, sm2 1.2.156.10197.1.301 }
const SM2_ALGORITHM = fromHex("301306072a8648ce3d020106082a811ccf5501822d");

export class KeyImportError extends Error {
  constructor(
    readonly code: "encrypted-pem" | "not-pem" | "unsupported-key",
    message: string,
  ) {
    super(message);
  }
}

// One DER TLV at `offset` (short and long definite lengths).
interface Tlv {
  tag: number;
  start: number; // of the value
  end: number;
}

function readTlv(der: Uint8Array, offset: number, limit: number): Tlv {
  if (offset + 2 > limit) throw new Error("truncated");
  const tag = der[offset];
  let length = der[offset + 1];
  let start = offset + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes === 0 || bytes > 2 || start + bytes > limit) throw new Error("bad length");
    length = 0;
    for (let i = 0; i < bytes; i++) length = (length << 8) | der[start + i];
    start += bytes;
  }
  if (start + length > limit) throw new Error("truncated");
  return { tag, start, end: start + length };
}

const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

// The SM2 scalar of PrivateKeyInfo { 0, SM2_ALGORITHM, OCTET STRING { ECPrivateKey { 1, OCTET STRING d, ... } } }.
function sm2SecretFromDer(der: Uint8Array): Uint8Array | null {
  try {
    const info = readTlv(der, 0, der.length);
    if (info.tag !== 0x30 || info.end !== der.length) return null;
    const version = readTlv(der, info.start, info.end);
    if (version.tag !== 0x02 || version.end - version.start !== 1 || der[version.start] !== 0) return null;
    const algorithm = readTlv(der, version.end, info.end);
    if (!equal(der.slice(version.end, algorithm.end), SM2_ALGORITHM)) return null;
    const wrapped = readTlv(der, algorithm.end, info.end);
    if (wrapped.tag !== 0x04) return null;
    const ecKey = readTlv(der, wrapped.start, wrapped.end);
    if (ecKey.tag !== 0x30) return null;
    const ecVersion = readTlv(der, ecKey.start, ecKey.end);
    if (ecVersion.tag !== 0x02 || der[ecVersion.start] !== 1) return null;
    const scalar = readTlv(der, ecVersion.end, ecKey.end);
    if (scalar.tag !== 0x04 || scalar.end - scalar.start !== 32) return null;
    return der.slice(scalar.start, scalar.end);
  } catch {
    return null;
  }
}

export function keyFromPem(pem: string): AccountKey {
  const text = pem.trim();
  if (text.includes("BEGIN ENCRYPTED PRIVATE KEY")) {
    throw new KeyImportError(
      "encrypted-pem",
      "The PEM is encrypted; decrypt it first (openssl pkey -in key.pem -out plain.pem).",
    );
  }
  const match = /^-----BEGIN PRIVATE KEY-----\s*([A-Za-z0-9+/=\s]+?)\s*-----END PRIVATE KEY-----$/.exec(
    text,
  );
  if (!match) throw new KeyImportError("not-pem", "This is not a PKCS#8 PEM private key.");
  let der: Uint8Array;
  try {
    der = fromBase64(match[1].replace(/\s+/g, ""));
  } catch {
    throw new KeyImportError("not-pem", "The PEM body is not base64.");
  }
  if (der.length === PKCS8_ED25519_PREFIX.length + 32 && PKCS8_ED25519_PREFIX.every((b, i) => der[i] === b)) {
    return { suite: "intl", secret: der.slice(PKCS8_ED25519_PREFIX.length) };
  }
  const sm2 = sm2SecretFromDer(der);
  if (sm2 && isValidSecret("sm", sm2)) return { suite: "sm", secret: sm2 };
  throw new KeyImportError(
    "unsupported-key",
    "The key is neither an Ed25519 key (suite intl) nor an SM2 key (suite sm).",
  );
}

// The intl seed of a PEM (kept for callers that only take Ed25519 keys).
export function seedFromPem(pem: string): Uint8Array {
  const key = keyFromPem(pem);
  if (key.suite !== "intl") throw new KeyImportError("unsupported-key", "The key is not an Ed25519 key.");
  return key.secret;
}

function pemOfDer(der: Uint8Array): string {
  const body = toBase64(der).replace(/(.{64})/g, "$1\n").replace(/\n$/, "");
  return `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\n`;
}

export function pemFromKey(key: AccountKey): string {
  if (key.suite === "intl") return pemOfDer(concat(PKCS8_ED25519_PREFIX, key.secret));
  // As OpenSSL writes it: ECPrivateKey { 1, d, [1] BIT STRING { 0x04 ‖ x ‖ y } }.
  const ecKey = concat(fromHex("306b0201010420"), key.secret, fromHex("a144034200"), publicKeyOf(key));
  const wrapped = concat(fromHex("046d"), ecKey);
  const body = concat(fromHex("020100"), SM2_ALGORITHM, wrapped);
  return pemOfDer(concat(fromHex("308187"), body));
}

export function pemFromSeed(seed: Uint8Array): string {
  return pemFromKey({ suite: "intl", secret: seed });
}

export function newKey(suite: SuiteName): AccountKey {
  return { suite, secret: newSecret(suite) };
}

export function newSeed(): Uint8Array {
  return newSecret("intl");
}
