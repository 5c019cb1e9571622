import { mongo } from 'mongoose';

/**
 * The bytes of a binary field as a Buffer view. Documents read with `lean()` hold BSON `Binary`
 * values (bytes in `.buffer`, length in `.position`); documents built in memory hold Buffers.
 */
export function bytesOf(value: Buffer | Uint8Array | mongo.Binary): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof mongo.Binary) {
    const bytes = value.buffer;
    return Buffer.from(bytes.buffer, bytes.byteOffset, value.position);
  }
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}
