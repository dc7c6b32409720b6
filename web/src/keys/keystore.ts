// Account keys kept in the browser's IndexedDB, each encrypted under its own password: scrypt
// (N = 2^15, r = 8, p = 1) derives an AES-256-GCM key; the public key is the associated data, so
// a record cannot be re-labelled. A wrong password fails GCM's tag check and is reported as such.
// A key is of one suite (intl: the Ed25519 seed; sm: the SM2 scalar); records made before the sm
// suite have no `suite` and are intl.
import { scryptAsync } from "@noble/hashes/scrypt.js";
import { fromBase64, toBase64, toHex, utf8 } from "../chain/bytes";
import { publicKeyOf, type AccountKey, type SuiteName } from "../chain/suite";

export interface KdfParams {
  N: number;
  r: number;
  p: number;
}

export const DEFAULT_KDF: KdfParams = { N: 1 << 15, r: 8, p: 1 };
export const PASSWORD_CHARS_MIN = 8;

export interface StoredKey {
  name: string;
  suite?: SuiteName; // absent: intl
  publicKeyHex: string;
  kdf: KdfParams;
  salt: string; // base64
  iv: string; // base64
  ciphertext: string; // base64 of the sealed 32-byte secret
  created: number; // ms
}

export class WrongPasswordError extends Error {
  readonly code = "wrong-password";
  constructor() {
    super("Wrong password: this key could not be decrypted.");
  }
}

async function aesKey(password: string, salt: Uint8Array, kdf: KdfParams): Promise<CryptoKey> {
  const raw = await scryptAsync(utf8(password), salt, { ...kdf, dkLen: 32 });
  return crypto.subtle.importKey("raw", raw as BufferSource, "AES-GCM", false, ["encrypt", "decrypt"]);
}

export function suiteOf(record: StoredKey): SuiteName {
  return record.suite ?? "intl";
}

export async function sealKey(
  name: string,
  account: AccountKey | Uint8Array,
  password: string,
  kdf: KdfParams = DEFAULT_KDF,
): Promise<StoredKey> {
  const key0: AccountKey = account instanceof Uint8Array ? { suite: "intl", secret: account } : account;
  const seed = key0.secret;
  if (password.length < PASSWORD_CHARS_MIN) {
    throw new Error(`A password has at least ${PASSWORD_CHARS_MIN} characters.`);
  }
  const publicKeyHex = toHex(publicKeyOf(key0));
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = await aesKey(password, salt, kdf);
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv: iv as BufferSource, additionalData: utf8(publicKeyHex) as BufferSource },
    key,
    seed as BufferSource,
  );
  return {
    name,
    ...(key0.suite === "intl" ? {} : { suite: key0.suite }),
    publicKeyHex,
    kdf,
    salt: toBase64(salt),
    iv: toBase64(iv),
    ciphertext: toBase64(new Uint8Array(sealed)),
    created: Date.now(),
  };
}

export async function openKey(record: StoredKey, password: string): Promise<AccountKey> {
  const key = await aesKey(password, fromBase64(record.salt), record.kdf);
  let seed: Uint8Array;
  try {
    seed = new Uint8Array(
      await crypto.subtle.decrypt(
        {
          name: "AES-GCM",
          iv: fromBase64(record.iv) as BufferSource,
          additionalData: utf8(record.publicKeyHex) as BufferSource,
        },
        key,
        fromBase64(record.ciphertext) as BufferSource,
      ),
    );
  } catch {
    throw new WrongPasswordError();
  }
  const account: AccountKey = { suite: suiteOf(record), secret: seed };
  if (seed.length !== 32 || toHex(publicKeyOf(account)) !== record.publicKeyHex) throw new WrongPasswordError();
  return account;
}

const DB_NAME = "onechain";
const STORE = "keys";

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "name" });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function withStore<T>(
  mode: IDBTransactionMode,
  use: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const db = await openDb();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = use(tx.objectStore(STORE));
      let failure: DOMException | null = null;
      request.onerror = () => {
        failure = request.error;
      };
      tx.oncomplete = () => resolve(request.result);
      tx.onabort = () => reject(failure ?? tx.error);
    });
  } finally {
    db.close();
  }
}

// Refuses to overwrite a key of the same name (ConstraintError).
export function saveKey(record: StoredKey): Promise<IDBValidKey> {
  return withStore("readwrite", (store) => store.add(record));
}

export function listKeys(): Promise<StoredKey[]> {
  return withStore("readonly", (store) => store.getAll() as IDBRequest<StoredKey[]>);
}

export function deleteKey(name: string): Promise<undefined> {
  return withStore("readwrite", (store) => store.delete(name));
}
