import { mongo } from 'mongoose';
import { bytesOf } from './bytes';

describe('bytesOf', () => {
  it('reads Buffers, Uint8Array views and BSON binaries as exactly their bytes', () => {
    const buffer = Buffer.from([1, 2, 3]);
    expect(bytesOf(buffer)).toBe(buffer);
    const backing = new Uint8Array([9, 1, 2, 3, 9]);
    expect([...bytesOf(backing.subarray(1, 4))]).toEqual([1, 2, 3]);
    const binary = mongo.BSON.deserialize(mongo.BSON.serialize({ b: new mongo.Binary(buffer) })).b;
    expect(binary).toBeInstanceOf(mongo.Binary);
    expect([...bytesOf(binary)]).toEqual([1, 2, 3]);
  });
});
