// Materials encrypted in the browser before upload (docs/materials.md, src/crypto/seal.h), suite
// intl: a file is sealed once under a fresh 32-byte data key with XChaCha20-Poly1305
// (nonce(24) ‖ ciphertext ‖ tag(16), the associated data binding it to its place), and the data
// key is wrapped for each reader's X25519 encryption key as libsodium's crypto_box_seal does:
// ephemeral public key(32) ‖ XSalsa20-Poly1305 box (tag ‖ ciphertext) under
// HSalsa20(X25519(ephemeral, reader)), nonce BLAKE2b-192(ephemeral public ‖ reader public).
// The sm suite (SM4-CTR + HMAC-SM3, SM2-wrapped keys) is sealSm.ts; materials.ts picks by suite.
import { xchacha20poly1305 } from "@noble/ciphers/chacha.js";
import { hsalsa, secretbox } from "@noble/ciphers/salsa.js";
import { x25519 } from "@noble/curves/ed25519.js";
import { blake2b } from "@noble/hashes/blake2.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { concat, toHex } from "../chain/bytes";

export const DATA_KEY_BYTES = 32;
const NONCE_BYTES = 24;
const TAG_BYTES = 16;
const X25519_BYTES = 32;
export const WRAPPED_KEY_BYTES = X25519_BYTES + DATA_KEY_BYTES + TAG_BYTES; // 80

export class SealError extends Error {
  constructor(
    readonly code: "INVALID_ARGUMENT" | "MALFORMED",
    message: string,
  ) {
    super(message);
  }
}

const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));

export function newDataKey(): Uint8Array {
  return random(DATA_KEY_BYTES);
}

export function sealData(dataKey: Uint8Array, plaintext: Uint8Array, associatedData: Uint8Array, nonce = random(NONCE_BYTES)): Uint8Array {
  if (dataKey.length !== DATA_KEY_BYTES) throw new SealError("INVALID_ARGUMENT", "a data key is 32 bytes");
  return concat(nonce, xchacha20poly1305(dataKey, nonce, associatedData).encrypt(plaintext));
}

export function openData(dataKey: Uint8Array, sealed: Uint8Array, associatedData: Uint8Array): Uint8Array {
  if (sealed.length < NONCE_BYTES + TAG_BYTES) throw new SealError("MALFORMED", "sealed data is shorter than its nonce and tag");
  try {
    return xchacha20poly1305(dataKey, sealed.subarray(0, NONCE_BYTES), associatedData).decrypt(sealed.subarray(NONCE_BYTES));
  } catch {
    throw new SealError("INVALID_ARGUMENT", "the data does not open with this key and associated data");
  }
}

// crypto_box_beforenm: HSalsa20 of the X25519 shared secret with a zero nonce.
function boxKey(secret: Uint8Array, publicKey: Uint8Array): Uint8Array {
  const shared = x25519.getSharedSecret(secret, publicKey);
  if (shared.every((b) => b === 0)) throw new SealError("INVALID_ARGUMENT", "the reader key is of small order");
  const sigma = new Uint32Array([0x61707865, 0x3320646e, 0x79622d32, 0x6b206574]);
  const words = new Uint32Array(8);

  for (let i = 0; i < 8; i++) words[i] = new DataView(shared.buffer, shared.byteOffset).getUint32(4 * i, true);
  const out = new Uint32Array(8);
  hsalsa(sigma, words, new Uint32Array(4), out);
  const key = new Uint8Array(32);
  const view = new DataView(key.buffer);
  for (let i = 0; i < 8; i++) view.setUint32(4 * i, out[i], true);
  return key;
}

function sealNonce(ephemeralPublic: Uint8Array, readerPublic: Uint8Array): Uint8Array {
  return blake2b(concat(ephemeralPublic, readerPublic), { dkLen: NONCE_BYTES });
}

// crypto_box_seal(dataKey, readerPublicKey).
export function wrapDataKey(readerPublicKey: Uint8Array, dataKey: Uint8Array, ephemeralSecret = x25519.utils.randomSecretKey()): Uint8Array {
  if (readerPublicKey.length !== X25519_BYTES) throw new SealError("INVALID_ARGUMENT", "an X25519 public key is 32 bytes");
  if (dataKey.length !== DATA_KEY_BYTES) throw new SealError("INVALID_ARGUMENT", "a data key is 32 bytes");
  const ephemeralPublic = x25519.getPublicKey(ephemeralSecret);
  const box = secretbox(boxKey(ephemeralSecret, readerPublicKey), sealNonce(ephemeralPublic, readerPublicKey)).seal(dataKey);
  return concat(ephemeralPublic, box);
}

// crypto_box_seal_open(wrapped, readerPublic, readerSecret).
export function unwrapDataKey(readerSecret: Uint8Array, wrapped: Uint8Array): Uint8Array {
  if (wrapped.length !== WRAPPED_KEY_BYTES) throw new SealError("MALFORMED", `a wrapped key is ${WRAPPED_KEY_BYTES} bytes`);
  const readerPublic = x25519.getPublicKey(readerSecret);
  const ephemeralPublic = wrapped.subarray(0, X25519_BYTES);
  try {
    return secretbox(boxKey(readerSecret, ephemeralPublic), sealNonce(ephemeralPublic, readerPublic)).open(wrapped.subarray(X25519_BYTES));
  } catch {
    throw new SealError("INVALID_ARGUMENT", "the data key was not wrapped for this key, or was altered");
  }
}

export interface Reader {
  accountId: string;
  encryptionKey: Uint8Array; // X25519 public key
}

export interface SealedFile {
  sealed: Uint8Array; // what is uploaded: PUT /v1/blobs/{hashHex}
  hashHex: string; // SHA-256 of the sealed bytes (the intl suite's hash)
  attachment: {
    hash: Uint8Array;
    size: number;
    mediaType: string;
    name: string;
    keys: { readerAccountId: string; wrapped: Uint8Array }[];
  };
}

// Encrypts a file for its readers: one data key, wrapped for each.
export function sealFile(
  name: string,
  mediaType: string,
  content: Uint8Array,
  readers: Reader[],
  associatedData: Uint8Array,
): SealedFile {
  if (readers.length === 0) throw new SealError("INVALID_ARGUMENT", "a file needs at least one reader");
  const dataKey = newDataKey();
  const sealed = sealData(dataKey, content, associatedData);
  const hash = sha256(sealed);
  const keys = readers.map((r) => ({ readerAccountId: r.accountId, wrapped: wrapDataKey(r.encryptionKey, dataKey) }));
  dataKey.fill(0);
  return { sealed, hashHex: toHex(hash), attachment: { hash, size: sealed.length, mediaType, name, keys } };
}
