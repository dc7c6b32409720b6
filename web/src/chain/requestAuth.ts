// Signed reads (src/api/request_auth.h): RFC 9421 HTTP Message Signatures over method, path,
// query and the body's RFC 9530 Content-Digest (SHA-256 in both suites), made with the account
// key: alg "ed25519" (intl) or "sm2-sm3" (sm).
import { sha256 } from "@noble/hashes/sha2.js";
import { toBase64, toHex, utf8 } from "./bytes";
import { SUITE_ALG, publicKeyOf, sign, type AccountKey } from "./suite";

export interface RequestParts {
  method: string;
  path: string; // without the query
  query: string; // raw, without "?"; empty when none
  body: string | Uint8Array; // a binary body (an upload) is digested as is
}

export interface SignatureHeaders {
  "Content-Digest": string;
  "Signature-Input": string;
  Signature: string;
}

export function contentDigest(body: string | Uint8Array): string {
  return `sha-256=:${toBase64(sha256(typeof body === "string" ? utf8(body) : body))}:`;
}

export function signatureBase(parts: RequestParts, digest: string, params: string): string {
  return [
    `"@method": ${parts.method}`,
    `"@path": ${parts.path}`,
    `"@query": ?${parts.query}`,
    `"content-digest": ${digest}`,
    `"@signature-params": ${params}`,
  ].join("\n");
}

export function randomNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return toBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

// `key` is an account key, or an Ed25519 seed (suite intl).
export function signRequest(
  key: AccountKey | Uint8Array,
  parts: RequestParts,
  created: number,
  nonce: string,
): SignatureHeaders {
  const account: AccountKey = key instanceof Uint8Array ? { suite: "intl", secret: key } : key;
  const digest = contentDigest(parts.body);
  const keyHex = toHex(publicKeyOf(account));
  const params =
    `("@method" "@path" "@query" "content-digest");created=${created}` +
    `;nonce="${nonce}";keyid="${keyHex}";alg="${SUITE_ALG[account.suite]}"`;
  const signature = sign(account, utf8(signatureBase(parts, digest, params)));
  return {
    "Content-Digest": digest,
    "Signature-Input": `sig1=${params}`,
    Signature: `sig1=:${toBase64(signature)}:`,
  };
}
