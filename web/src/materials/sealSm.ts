// Materials sealed in the browser for the sm suite, byte for byte as src/crypto/seal.cc does it
// through OpenSSL 3 (docs/materials.md), with sm-crypto's SM2, SM3 and SM4 primitives:
//   sealed data:  iv(16) ‖ SM4-CTR(key[0..16), iv, plaintext) ‖ HMAC-SM3(key[16..32),
//                 len(aad) (8 bytes big-endian) ‖ aad ‖ iv ‖ ciphertext) (32);
//                 the counter is the whole 16-byte block, big-endian, as OpenSSL's CTR mode;
//   wrapped key:  SM2 public-key encryption (GB/T 32918.4) of the 32-byte data key, C1 ‖ C3 ‖ C2
//                 as GM/T 0009's DER SEQUENCE { INTEGER x, INTEGER y, OCTET STRING C3, OCTET STRING C2 }.
// Not SM4-GCM: OpenSSL 3.0 (Debian 12) has none, so the node's sm scheme is encrypt-then-MAC and
// the browser follows it. sm-crypto has SM4 in ECB and CBC only; CTR is SM4-ECB of the counter
// blocks XORed into the data.
import { sm2, sm3, sm4 } from "sm-crypto";
import { concat, fromHex, toHex } from "../chain/bytes";
import { SealError } from "./seal";

const SM4_KEY_BYTES = 16;
const IV_BYTES = 16;
const TAG_BYTES = 32;
const WRAPPED_MAX_BYTES = 256;
const CTR_CHUNK_BYTES = 64 * 1024;

const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));
const plain = (bytes: Uint8Array): number[] => Array.from(bytes);

// The keystream of SM4-CTR for `length` bytes from the counter block `iv`.
function sm4Ctr(key: Uint8Array, iv: Uint8Array, input: Uint8Array): Uint8Array {
  const blocks = Math.ceil(input.length / 16);
  const counters = new Uint8Array(blocks * 16);
  const counter = iv.slice();
  for (let b = 0; b < blocks; b++) {
    counters.set(counter, b * 16);
    for (let i = 15; i >= 0; i--) {
      counter[i] = (counter[i] + 1) & 0xff;
      if (counter[i] !== 0) break;
    }
  }
  // In 64 KiB pieces: sm-crypto works on plain arrays, and smaller ones keep the heap small.
  const out = new Uint8Array(input.length);
  const keyBytes = plain(key);
  for (let at = 0; at < counters.length; at += CTR_CHUNK_BYTES) {
    const piece = counters.subarray(at, Math.min(at + CTR_CHUNK_BYTES, counters.length));
    const stream = sm4.encrypt(plain(piece), keyBytes, { padding: "none", output: "array" });
    const end = Math.min(at + piece.length, input.length);
    for (let i = at; i < end; i++) out[i] = input[i] ^ stream[i - at];
  }
  return out;
}

function lengthPrefix(n: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n), false);
  return out;
}

function smTag(macKey: Uint8Array, associatedData: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const message = concat(lengthPrefix(associatedData.length), associatedData, iv, ciphertext);
  return fromHex(sm3(plain(message), { key: plain(macKey), mode: "hmac" }));
}

function checkDataKey(dataKey: Uint8Array) {
  if (dataKey.length !== 32) throw new SealError("INVALID_ARGUMENT", "a data key is 32 bytes");
}

export function sealDataSm(dataKey: Uint8Array, plaintext: Uint8Array, associatedData: Uint8Array, iv: Uint8Array = random(IV_BYTES)): Uint8Array {
  checkDataKey(dataKey);
  const ciphertext = sm4Ctr(dataKey.subarray(0, SM4_KEY_BYTES), iv, plaintext);
  return concat(iv, ciphertext, smTag(dataKey.subarray(SM4_KEY_BYTES), associatedData, iv, ciphertext));
}

export function openDataSm(dataKey: Uint8Array, sealed: Uint8Array, associatedData: Uint8Array): Uint8Array {
  checkDataKey(dataKey);
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new SealError("MALFORMED", "sealed data is shorter than its iv and tag");
  const iv = sealed.subarray(0, IV_BYTES);
  const ciphertext = sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const expected = smTag(dataKey.subarray(SM4_KEY_BYTES), associatedData, iv, ciphertext);
  let diff = 0;
  for (let i = 0; i < TAG_BYTES; i++) diff |= expected[i] ^ tag[i];
  if (diff !== 0) throw new SealError("INVALID_ARGUMENT", "the data does not open with this key and associated data");
  return sm4Ctr(dataKey.subarray(0, SM4_KEY_BYTES), iv, ciphertext);
}

// ---- DER of GM/T 0009 SM2Cipher ----

function derLength(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  if (n < 0x100) return Uint8Array.of(0x81, n);
  return Uint8Array.of(0x82, n >> 8, n & 0xff);
}

const derTlv = (tag: number, value: Uint8Array) => concat(Uint8Array.of(tag), derLength(value.length), value);

function derInteger(unsigned: Uint8Array): Uint8Array {
  let start = 0;
  while (start < unsigned.length - 1 && unsigned[start] === 0) start++;
  const body = unsigned.subarray(start);
  return derTlv(0x02, body[0] & 0x80 ? concat(Uint8Array.of(0), body) : body);
}

class DerReader {
  private offset = 0;
  constructor(private readonly bytes: Uint8Array) {}
  read(tag: number): Uint8Array {
    const b = this.bytes;
    if (this.offset + 2 > b.length || b[this.offset] !== tag) throw new SealError("MALFORMED", "a wrapped key is not SM2 ciphertext DER");
    let length = b[this.offset + 1];
    let at = this.offset + 2;
    if (length === 0x81 || length === 0x82) {
      const count = length - 0x80;
      if (at + count > b.length) throw new SealError("MALFORMED", "a wrapped key is not SM2 ciphertext DER");
      length = count === 1 ? b[at] : (b[at] << 8) | b[at + 1];
      at += count;
    } else if (length >= 0x80) {
      throw new SealError("MALFORMED", "a wrapped key is not SM2 ciphertext DER");
    }
    if (at + length > b.length) throw new SealError("MALFORMED", "a wrapped key is not SM2 ciphertext DER");
    this.offset = at + length;
    return b.subarray(at, at + length);
  }
  done(): boolean {
    return this.offset === this.bytes.length;
  }
}

function coordinate(integer: Uint8Array): Uint8Array {
  const trimmed = integer.length === 33 && integer[0] === 0 ? integer.subarray(1) : integer;
  if (trimmed.length > 32) throw new SealError("MALFORMED", "an SM2 coordinate is longer than 32 bytes");
  const out = new Uint8Array(32);
  out.set(trimmed, 32 - trimmed.length);
  return out;
}

export function wrapDataKeySm(readerPublicKey: Uint8Array, dataKey: Uint8Array): Uint8Array {
  checkDataKey(dataKey);
  if (readerPublicKey.length !== 65 || readerPublicKey[0] !== 4) {
    throw new SealError("INVALID_ARGUMENT", "an SM2 public key is 65 bytes, 04 ‖ x ‖ y");
  }
  // sm-crypto: hex of C1 (x ‖ y, no 04) ‖ C3 ‖ C2 in cipher mode 1.
  const raw = fromHex(sm2.doEncrypt(plain(dataKey), toHex(readerPublicKey), 1));
  const x = raw.subarray(0, 32);
  const y = raw.subarray(32, 64);
  const c3 = raw.subarray(64, 96);
  const c2 = raw.subarray(96);
  return derTlv(0x30, concat(derInteger(x), derInteger(y), derTlv(0x04, c3), derTlv(0x04, c2)));
}

export function unwrapDataKeySm(readerSecret: Uint8Array, wrapped: Uint8Array): Uint8Array {
  if (wrapped.length > WRAPPED_MAX_BYTES) throw new SealError("MALFORMED", `a wrapped key is at most ${WRAPPED_MAX_BYTES} bytes`);
  const outer = new DerReader(wrapped);
  const sequence = new DerReader(outer.read(0x30));
  if (!outer.done()) throw new SealError("MALFORMED", "a wrapped key is not SM2 ciphertext DER");
  const x = coordinate(sequence.read(0x02));
  const y = coordinate(sequence.read(0x02));
  const c3 = sequence.read(0x04);
  const c2 = sequence.read(0x04);
  if (!sequence.done() || c3.length !== 32) throw new SealError("MALFORMED", "a wrapped key is not SM2 ciphertext DER");
  const opened = sm2.doDecrypt(toHex(concat(x, y, c3, c2)), toHex(readerSecret), 1, { output: "array" }) as unknown as number[];
  if (opened.length !== 32) {
    throw new SealError("INVALID_ARGUMENT", "the data key was not wrapped for this key, or was altered");
  }
  return Uint8Array.from(opened);
}
