// An account's encryption key in the browser (docs/materials.md "Encryption keys"): derived from
// the unlocked account key with HKDF-SHA256, so it needs no storage of its own and is as safe as
// the account key (encrypted in IndexedDB, in memory only while unlocked). The derivation is
// domain-separated ("onechain encryption key v1"), so the signing key and the encryption key are
// independent keys:
//   intl: the 32 HKDF bytes are the X25519 secret; the public key is 32 bytes;
//   sm:   48 HKDF bytes reduced to a scalar d in [1, n-2] (bias below 2^-128); the public key is
//         SM2's 04 ‖ x ‖ y (65 bytes).
// The console publishes the public half with SetEncryptionKey (the account page).
import { x25519 } from "@noble/curves/ed25519.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { sm2 } from "sm-crypto";
import { fromHex, toHex, utf8 } from "../chain/bytes";
import type { AccountKey, SuiteName } from "../chain/suite";

const SM2_ORDER = BigInt("0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123");
const SALT = utf8("onechain encryption key v1");

export interface EncryptionKey {
  suite: SuiteName;
  secret: Uint8Array; // X25519 secret, or the SM2 scalar (32 bytes, big-endian)
  publicKey: Uint8Array;
}

export function smPublicKey(secret: Uint8Array): Uint8Array {
  return fromHex(sm2.getPublicKeyFromPrivateKey(toHex(secret)));
}

export function deriveEncryptionKey(account: AccountKey): EncryptionKey {
  if (account.suite === "intl") {
    const secret = hkdf(sha256, account.secret, SALT, utf8("intl"), 32);
    return { suite: "intl", secret, publicKey: x25519.getPublicKey(secret) };
  }
  const wide = BigInt(`0x${toHex(hkdf(sha256, account.secret, SALT, utf8("sm"), 48))}`);
  const d = (wide % (SM2_ORDER - 2n)) + 1n;
  const secret = fromHex(d.toString(16).padStart(64, "0"));
  return { suite: "sm", secret, publicKey: smPublicKey(secret) };
}
