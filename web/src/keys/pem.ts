// Account keys as `onechain keys new` writes them: PKCS#8 PEM of an Ed25519 key (RFC 8410).
import { ed25519 } from "@noble/curves/ed25519.js";
import { concat, fromBase64, fromHex, toBase64 } from "../chain/bytes";

// PrivateKeyInfo { version 0, AlgorithmIdentifier { id-Ed25519 }, OCTET STRING { OCTET STRING seed } }
const PKCS8_ED25519_PREFIX = fromHex("302e020100300506032b657004220420");

export class KeyImportError extends Error {
  constructor(
    readonly code: "encrypted-pem" | "not-pem" | "not-ed25519",
    message: string,
  ) {
    super(message);
  }
}

export function seedFromPem(pem: string): Uint8Array {
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
  const prefixMatches = PKCS8_ED25519_PREFIX.every((b, i) => der[i] === b);
  if (der.length !== PKCS8_ED25519_PREFIX.length + 32 || !prefixMatches) {
    throw new KeyImportError(
      "not-ed25519",
      "The key is not an Ed25519 key (the console signs for intl-suite networks).",
    );
  }
  return der.slice(PKCS8_ED25519_PREFIX.length);
}

export function pemFromSeed(seed: Uint8Array): string {
  const body = toBase64(concat(PKCS8_ED25519_PREFIX, seed));
  return `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\n`;
}

export function newSeed(): Uint8Array {
  return ed25519.utils.randomSecretKey();
}
