// Materials of a declaration, in either suite: sealed in the creditor's browser for each reader
// (the creditor itself and the administrator member who sent its claim notice), uploaded with
// PUT /v1/blobs/{hash} before the declaration references them, and opened in a reader's browser
// with the encryption key derived from its unlocked account key (encryptionKey.ts).
// The associated data binds a file to its place: "declaration/<creditor id>/material/<index>".
import { api, ApiError } from "../api/client";
import { toHex, utf8 } from "../chain/bytes";
import { hash, type AccountKey, type SuiteName } from "../chain/suite";
import type { Attachment } from "../chain/tx";
import { deriveEncryptionKey } from "./encryptionKey";
import { SealError, newDataKey, openData, sealData, unwrapDataKey, wrapDataKey } from "./seal";
import { openDataSm, sealDataSm, unwrapDataKeySm, wrapDataKeySm } from "./sealSm";

export const MATERIAL_BYTES_MAX = 32 << 20; // PUT /v1/blobs/{hash} takes at most 32 MiB
export const MATERIALS_MAX = 20;

export function declarationMaterialAad(creditorId: string, index: number): Uint8Array {
  return utf8(`declaration/${creditorId}/material/${index}`);
}

export interface MaterialReader {
  accountId: string;
  encryptionKey: Uint8Array;
}

export function sealFor(suite: SuiteName, dataKey: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array {
  return suite === "intl" ? sealData(dataKey, plaintext, aad) : sealDataSm(dataKey, plaintext, aad);
}

export function openFor(suite: SuiteName, dataKey: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Uint8Array {
  return suite === "intl" ? openData(dataKey, sealed, aad) : openDataSm(dataKey, sealed, aad);
}

export function wrapFor(suite: SuiteName, readerPublic: Uint8Array, dataKey: Uint8Array): Uint8Array {
  return suite === "intl" ? wrapDataKey(readerPublic, dataKey) : wrapDataKeySm(readerPublic, dataKey);
}

export function unwrapFor(suite: SuiteName, readerSecret: Uint8Array, wrapped: Uint8Array): Uint8Array {
  return suite === "intl" ? unwrapDataKey(readerSecret, wrapped) : unwrapDataKeySm(readerSecret, wrapped);
}

export interface SealedMaterial {
  sealed: Uint8Array;
  hashHex: string;
  attachment: Attachment;
}

export function sealMaterial(
  suite: SuiteName,
  file: { name: string; mediaType: string; content: Uint8Array },
  readers: MaterialReader[],
  aad: Uint8Array,
): SealedMaterial {
  if (readers.length === 0) throw new SealError("INVALID_ARGUMENT", "a file needs at least one reader");
  const dataKey = newDataKey();
  const sealed = sealFor(suite, dataKey, file.content, aad);
  const hashHex = toHex(hash(suite, sealed));
  const keys = readers.map((r) => ({ readerAccountId: r.accountId, wrappedHex: toHex(wrapFor(suite, r.encryptionKey, dataKey)) }));
  dataKey.fill(0);
  return {
    sealed,
    hashHex,
    attachment: { hashHex, size: sealed.length, mediaType: file.mediaType || "application/octet-stream", name: file.name, keys },
  };
}

// The readers' published encryption keys (GET /v1/accounts/{id}); an account without one is
// named in the error, as the contract would refuse it.
export async function readersOf(accountIds: string[]): Promise<MaterialReader[]> {
  const unique = [...new Set(accountIds.filter((id) => id !== ""))];
  const readers: MaterialReader[] = [];
  for (const id of unique) {
    const account = await api.account(id);
    const key = account.encryptionKey ?? "";
    if (key === "") throw new ApiError(400, "NO_ENCRYPTION_KEY", id);
    readers.push({ accountId: id, encryptionKey: Uint8Array.from(atob(key), (c) => c.charCodeAt(0)) });
  }
  return readers;
}

// An attachment as the node's JSON shows it (protobuf JSON: bytes in base64).
export interface AttachmentJson {
  hash?: string;
  size?: string;
  mediaType?: string;
  name?: string;
  keys?: { readerAccountId?: string; wrapped?: string }[];
}

const fromB64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

// Downloads a material with a signed read and opens it with the reader's derived key.
export async function openMaterial(
  key: AccountKey,
  myAccountId: string,
  attachment: AttachmentJson,
  aad: Uint8Array,
): Promise<Uint8Array> {
  const mine = attachment.keys?.find((k) => k.readerAccountId === myAccountId);
  if (!mine?.wrapped) throw new SealError("INVALID_ARGUMENT", "this material's key is not wrapped for your account");
  const hashHex = toHex(fromB64(attachment.hash ?? ""));
  const sealed = await api.downloadBlob(key, hashHex);
  if (toHex(hash(key.suite, sealed)) !== hashHex) throw new SealError("MALFORMED", "the downloaded material does not match its hash");
  const encryption = deriveEncryptionKey(key);
  const dataKey = unwrapFor(key.suite, encryption.secret, fromB64(mine.wrapped));
  try {
    return openFor(key.suite, dataKey, sealed, aad);
  } finally {
    dataKey.fill(0);
  }
}
