// The key pool hands out its copies in turn, and in the order asked for: the thread pool
// runs jobs in the order they arrive, and a row of jobs on one copy runs one at a time.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KeyPool } from '../src/keys/private-key-pool.js';

const pkcs8 = () =>
  new Uint8Array(
    generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'der' },
      privateKeyEncoding: { type: 'pkcs8', format: 'der' },
    }).privateKey,
  );

describe('KeyPool', () => {
  it('after the first copy, gives the four copies in turn, each take resolving in the order asked', async () => {
    const pool = new KeyPool('pkcs8', pkcs8());
    const first = await pool.take();
    const resolved: number[] = [];
    const keys = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        pool.take().then((key) => {
          resolved.push(i);
          return key;
        }),
      ),
    );
    expect(resolved).toEqual([...Array(12).keys()]);
    // Takes 2..13 get copies 2, 3, 4, 1, 2, 3, 4, 1, ...
    expect(keys[3]).toBe(first);
    expect(new Set(keys.slice(0, 4)).size).toBe(4);
    keys.slice(4).forEach((key, i) => expect(key).toBe(keys[i % 4]));
  });

  it('a key that does not import fails the first take and every later one', async () => {
    const pool = new KeyPool('pkcs8', Uint8Array.of(1, 2, 3));
    await expect(pool.take()).rejects.toThrow();
    await expect(Promise.all([pool.take(), pool.take()])).rejects.toThrow();
  });
});
