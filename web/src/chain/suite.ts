// The two signature suites of src/crypto/crypto.h, as the browser signs with them:
//   intl: Ed25519 (@noble/curves) over the message, SHA-256 hashes;
//   sm:   SM2 with SM3 and the default user ID "1234567812345678" (sm-crypto), the signature as
//         r ‖ s (64 bytes, big-endian), SM3 hashes. Public keys are 0x04 ‖ x ‖ y (65 bytes).
// A network uses one suite (genesis); a key belongs to one suite.
import { ed25519 } from "@noble/curves/ed25519.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { sm2, sm3 } from "sm-crypto";
import { fromHex, toHex } from "./bytes";

export const SUITES = ["intl", "sm"] as const;
export type SuiteName = (typeof SUITES)[number];

// proto/types.proto Suite.
export const SUITE_NUMBER: Record<SuiteName, number> = { intl: 1, sm: 2 };
// GET /v1/health "suite".
export const SUITE_ENUM_NAME: Record<SuiteName, string> = { intl: "SUITE_INTL", sm: "SUITE_SM" };
// The RFC 9421 alg of signed reads (src/api/request_auth.h).
export const SUITE_ALG: Record<SuiteName, string> = { intl: "ed25519", sm: "sm2-sm3" };

// A private key: the Ed25519 seed or the SM2 scalar, 32 bytes either way.
export interface AccountKey {
  suite: SuiteName;
  secret: Uint8Array;
}

// SM2's order n: a scalar is in [1, n-2] (the private key d must leave 1 + d invertible).
const SM2_ORDER = BigInt("0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123");

export function isValidSecret(suite: SuiteName, secret: Uint8Array): boolean {
  if (secret.length !== 32) return false;
  if (suite === "intl") return true;
  const d = BigInt(`0x${toHex(secret)}`);
  return d >= 1n && d <= SM2_ORDER - 2n;
}

export function newSecret(suite: SuiteName): Uint8Array {
  if (suite === "intl") return ed25519.utils.randomSecretKey();
  for (;;) {
    const secret = crypto.getRandomValues(new Uint8Array(32));
    if (isValidSecret("sm", secret)) return secret;
  }
}

export function publicKeyOf(key: AccountKey): Uint8Array {
  if (key.suite === "intl") return ed25519.getPublicKey(key.secret);
  return fromHex(sm2.getPublicKeyFromPrivateKey(toHex(key.secret)));
}

// sm-crypto's byte arrays are plain arrays (it maps over them).
const plain = (bytes: Uint8Array): number[] => Array.from(bytes);

export function sign(key: AccountKey, message: Uint8Array): Uint8Array {
  if (key.suite === "intl") return ed25519.sign(message, key.secret);
  const publicKey = toHex(publicKeyOf(key));
  const signature = sm2.doSignature(plain(message), toHex(key.secret), { hash: true, der: false, publicKey });
  return fromHex(signature);
}

export function verify(suite: SuiteName, publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== 64) return false;
  try {
    if (suite === "intl") return publicKey.length === 32 && ed25519.verify(signature, message, publicKey);
    if (publicKey.length !== 65 || publicKey[0] !== 4) return false;
    return sm2.doVerifySignature(plain(message), toHex(signature), toHex(publicKey), { hash: true, der: false });
  } catch {
    return false;
  }
}

export function hash(suite: SuiteName, data: Uint8Array): Uint8Array {
  return suite === "intl" ? sha256(data) : fromHex(sm3(plain(data)));
}

export function suiteOfHealth(name: string | undefined): SuiteName | null {
  return (SUITES.find((s) => SUITE_ENUM_NAME[s] === name) as SuiteName | undefined) ?? null;
}
