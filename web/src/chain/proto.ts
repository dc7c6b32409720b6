// The few protobuf encodings the console writes (proto/tx.proto, proto/case.proto), written
// the way protobuf's C++ serializer writes them: fields in number order, proto3 defaults (empty
// strings and bytes, zero numbers) left out. The shared vector (web/test/vectors/intl.json)
// holds this to the CLI's bytes.
import { concat, utf8 } from "./bytes";

const WIRE_VARINT = 0;
const WIRE_LEN = 2;

export class ProtoWriter {
  private parts: Uint8Array[] = [];

  private varint(value: bigint): void {
    if (value < 0n || value >= 1n << 64n) throw new RangeError("varint out of uint64 range");
    const bytes: number[] = [];
    do {
      let b = Number(value & 0x7fn);
      value >>= 7n;
      if (value !== 0n) b |= 0x80;
      bytes.push(b);
    } while (value !== 0n);
    this.parts.push(Uint8Array.from(bytes));
  }

  private tag(field: number, wire: number): void {
    this.varint(BigInt((field << 3) | wire));
  }

  uint(field: number, value: bigint | number): this {
    const v = BigInt(value);
    if (v !== 0n) {
      this.tag(field, WIRE_VARINT);
      this.varint(v);
    }
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    if (value.length > 0) {
      this.tag(field, WIRE_LEN);
      this.varint(BigInt(value.length));
      this.parts.push(value);
    }
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, utf8(value));
  }

  // An embedded message: written even when empty, as C++ writes a set oneof member.
  message(field: number, value: Uint8Array): this {
    this.tag(field, WIRE_LEN);
    this.varint(BigInt(value.length));
    this.parts.push(value);
    return this;
  }

  finish(): Uint8Array {
    return concat(...this.parts);
  }
}
