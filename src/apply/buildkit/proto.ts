/**
 * Protocol Buffers encoding, the part BuildKit's session and progress messages need: varints
 * (64-bit exact, as bigint), length-delimited fields (strings, bytes, nested messages), and a
 * reader that skips what it does not know. Hand-written because these dozen small messages are
 * all tscompose exchanges, and a general protobuf library costs more to load than a build
 * that finds every step in the cache takes.
 */

const WIRE = { varint: 0, fixed64: 1, bytes: 2, fixed32: 5 } as const;

export class ProtoWriter {
  private readonly parts: Buffer[] = [];

  private varint(value: bigint): void {
    let rest = BigInt.asUintN(64, value);
    const bytes: number[] = [];
    do {
      let byte = Number(rest & 0x7fn);
      rest >>= 7n;
      if (rest !== 0n) byte |= 0x80;
      bytes.push(byte);
    } while (rest !== 0n);
    this.parts.push(Buffer.from(bytes));
  }

  private tag(field: number, wire: number): void {
    this.varint(BigInt((field << 3) | wire));
  }

  /** An integer field (int32/uint32/int64/bool); zero is left out, as proto3 does. */
  int(field: number, value: number | bigint | boolean | undefined): this {
    const number = typeof value === 'boolean' ? (value ? 1n : 0n) : BigInt(value ?? 0);
    if (number === 0n) return this;
    this.tag(field, WIRE.varint);
    this.varint(number);
    return this;
  }

  bytes(field: number, value: Buffer | undefined): this {
    if (value === undefined || value.length === 0) return this;
    this.tag(field, WIRE.bytes);
    this.varint(BigInt(value.length));
    this.parts.push(value);
    return this;
  }

  string(field: number, value: string | undefined): this {
    return value ? this.bytes(field, Buffer.from(value, 'utf8')) : this;
  }

  /** A nested message, written even when empty (its presence means something). */
  message(field: number, value: ProtoWriter | undefined): this {
    if (value === undefined) return this;
    const body = value.finish();
    this.tag(field, WIRE.bytes);
    this.varint(BigInt(body.length));
    this.parts.push(body);
    return this;
  }

  finish(): Buffer {
    return Buffer.concat(this.parts);
  }
}

export interface ProtoField {
  readonly field: number;
  /** Varints as bigint; length-delimited fields as the bytes. */
  readonly value: bigint | Buffer;
}

/** The fields of a message in order; fixed-size fields are skipped (none of ours has them). */
export function* protoFields(data: Buffer): Generator<ProtoField> {
  let offset = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (offset >= data.length) throw new Error('truncated protobuf message');
      const byte = data[offset++];
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (offset < data.length) {
    const key = Number(varint());
    const field = key >>> 3;
    switch (key & 7) {
      case WIRE.varint:
        yield { field, value: varint() };
        break;
      case WIRE.bytes: {
        const length = Number(varint());
        if (offset + length > data.length) throw new Error('truncated protobuf message');
        yield { field, value: data.subarray(offset, offset + length) };
        offset += length;
        break;
      }
      case WIRE.fixed64:
        offset += 8;
        break;
      case WIRE.fixed32:
        offset += 4;
        break;
      default:
        throw new Error(`unsupported protobuf wire type ${key & 7}`);
    }
  }
}

/** Reads a message into plain values with one callback per known field. */
export function readMessage(data: Buffer, fields: Readonly<Record<number, (value: bigint | Buffer) => void>>): void {
  for (const { field, value } of protoFields(data)) fields[field]?.(value);
}

export const asText = (value: bigint | Buffer): string => (Buffer.isBuffer(value) ? value.toString('utf8') : '');
export const asBytes = (value: bigint | Buffer): Buffer => (Buffer.isBuffer(value) ? value : Buffer.alloc(0));
export const asNumber = (value: bigint | Buffer): number => (typeof value === 'bigint' ? Number(BigInt.asIntN(64, value)) : 0);
