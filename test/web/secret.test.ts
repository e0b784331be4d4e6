// The form's rules, checked in Node: what becomes the Secret, and which mistakes are caught before sealing.
import { fromBase64 } from '@sealkit/core';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../packages/web/src/errors.js';
import { secretFromValues, targetOf, type NamedValue } from '../../packages/web/src/secret.js';

const utf8 = (text: string) => new TextEncoder().encode(text);
const value = (key: string, text: string, field = `key-${key}`): NamedValue => ({ key, bytes: utf8(text), field });

function refusal(run: () => unknown): UserError {
  try {
    run();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}

describe('secretFromValues', () => {
  it('makes a v1 Secret whose data holds exactly the bytes given', () => {
    const binary = Uint8Array.of(0, 255, 10, 13, 128);
    const secret = secretFromValues({ namespace: 'team-a', name: 'db', scope: 'strict' }, [
      value('password', 'pä$$ wörd\n'),
      { key: 'blob.bin', bytes: binary, field: 'f' },
    ]);
    expect(secret).toMatchObject({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'team-a' } });
    expect(fromBase64(secret.data!.password!)).toEqual(utf8('pä$$ wörd\n'));
    expect(fromBase64(secret.data!['blob.bin']!)).toEqual(binary);
  });

  it('leaves out the namespace of a cluster-wide Secret when none is given', () => {
    const secret = secretFromValues({ namespace: '', name: 'shared', scope: 'cluster-wide' }, [value('a', 'b')]);
    expect(secret.metadata).toEqual({ name: 'shared' });
  });

  it.each([
    ['an empty key', [value('', 'x', 'row-2')], 'row-2', 'A value has no key'],
    ['a key with a space', [value('my key', 'x')], 'key-my key', 'The key "my key" is not valid'],
    ['a key used twice', [value('a', 'x'), value('a', 'y', 'second')], 'second', 'The key "a" is used twice'],
    ['a key named like an Object property', [value('constructor', 'x'), value('constructor', 'y', 'second')], 'second', 'used twice'],
  ])('refuses %s and points at that key', (_, values, field, message) => {
    const error = refusal(() => secretFromValues({ namespace: 'ns', name: 'n', scope: 'strict' }, values));
    expect(error.message).toContain(message);
    expect(error.field).toBe(field);
  });

  it('refuses a Secret without values', () => {
    expect(refusal(() => secretFromValues({ namespace: 'ns', name: 'n', scope: 'strict' }, [])).message).toBe(
      'Add at least one value to seal.',
    );
  });

  it('never puts a value into an error message', () => {
    const error = refusal(() =>
      secretFromValues({ namespace: 'ns', name: 'n', scope: 'strict' }, [
        value('ok', 'hunter2-secret'),
        value('bad key', 'hunter2-secret'),
      ]),
    );
    expect(error.message).not.toContain('hunter2');
  });
});

describe('targetOf', () => {
  it.each([
    ['strict', 'team-a', 'db', { scope: 'strict', namespace: 'team-a', name: 'db' }],
    ['namespace-wide', 'team-a', '', { scope: 'namespace-wide', namespace: 'team-a' }],
    ['cluster-wide', '', '', { scope: 'cluster-wide' }],
  ] as const)('a raw %s value needs only what its scope binds it to', (scope, namespace, name, target) => {
    expect(targetOf({ scope, namespace, name }, false)).toEqual(target);
  });

  it.each([
    [{ scope: 'strict', namespace: '', name: 'db' }, false, 'namespace', 'A strict value needs a namespace'],
    [{ scope: 'namespace-wide', namespace: '', name: '' }, false, 'namespace', 'A namespace-wide value needs a namespace'],
    [{ scope: 'strict', namespace: 'a', name: '' }, false, 'name', 'A strict value needs a name'],
    [{ scope: 'cluster-wide', namespace: '', name: '' }, true, 'name', "Enter the Secret's name."],
    [{ scope: 'strict', namespace: 'Team_A', name: 'db' }, true, 'namespace', 'The namespace "Team_A" is not valid'],
    [{ scope: 'strict', namespace: 'a'.repeat(64), name: 'db' }, true, 'namespace', 'is not valid'],
    [{ scope: 'strict', namespace: 'a', name: 'db/creds' }, true, 'name', 'The name "db/creds" is not valid'],
  ] as const)('refuses %o (whole Secret: %s) and points at the %s field', (placement, whole, field, message) => {
    const error = refusal(() => targetOf(placement, whole));
    expect(error.field).toBe(field);
    expect(error.message).toContain(message);
  });

  it('accepts a dotted Secret name and a 63-character namespace', () => {
    expect(targetOf({ scope: 'strict', namespace: 'a'.repeat(63), name: 'tls.example.com' }, true).name).toBe('tls.example.com');
  });
});
