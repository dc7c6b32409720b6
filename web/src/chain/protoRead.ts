// Reads protobuf wire format: each field number to its values in order (varints as bigint,
// length-delimited fields as bytes). Enough for the messages a proof bundle carries.
const WIRE_VARINT = 0;
const WIRE_I64 = 1;
const WIRE_LEN = 2;
const WIRE_I32 = 5;

export type FieldValue = bigint | Uint8Array;

export class ProtoFields {
  constructor(private readonly fields: Map<number, FieldValue[]>) {}

  bytes(field: number): Uint8Array | undefined {
    const values = this.fields.get(field);
    const last = values?.[values.length - 1];
    if (last !== undefined && !(last instanceof Uint8Array)) throw new Error(`field ${field} is not length-delimited`);
    return last;
  }

  has(field: number): boolean {
    return this.fields.has(field);
  }

  string(field: number): string {
    const b = this.bytes(field);
    return b ? new TextDecoder("utf-8", { fatal: true }).decode(b) : "";
  }

  uint(field: number): bigint {
    const values = this.fields.get(field);
    const last = values?.[values.length - 1];
    if (last === undefined) return 0n;
    if (typeof last !== "bigint") throw new Error(`field ${field} is not a varint`);
    return last;
  }

  repeatedBytes(field: number): Uint8Array[] {
    return (this.fields.get(field) ?? []).map((v) => {
      if (!(v instanceof Uint8Array)) throw new Error(`field ${field} is not length-delimited`);
      return v;
    });
  }

  message(field: number): ProtoFields | undefined {
    const b = this.bytes(field);
    return b ? readProto(b) : undefined;
  }
}

export function readProto(data: Uint8Array): ProtoFields {
  const fields = new Map<number, FieldValue[]>();
  let at = 0;
  const varint = (): bigint => {
    let value = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (at >= data.length || shift > 63n) throw new Error("truncated or overlong varint");
      const b = data[at++];
      value |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return value;
    }
  };
  while (at < data.length) {
    const key = varint();
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (field === 0) throw new Error("field number 0");
    let value: FieldValue;
    if (wire === WIRE_VARINT) value = varint();
    else if (wire === WIRE_LEN) {
      const length = Number(varint());
      if (at + length > data.length) throw new Error("truncated field");
      value = data.slice(at, at + length);
      at += length;
    } else if (wire === WIRE_I64 || wire === WIRE_I32) {
      const size = wire === WIRE_I64 ? 8 : 4;
      if (at + size > data.length) throw new Error("truncated field");
      value = data.slice(at, at + size);
      at += size;
    } else throw new Error(`unsupported wire type ${wire}`);
    const list = fields.get(field) ?? [];
    list.push(value);
    fields.set(field, list);
  }
  return new ProtoFields(fields);
}
