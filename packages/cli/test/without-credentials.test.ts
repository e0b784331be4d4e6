// URLs in messages lose their user name, password and query, however the password is written.
import { describe, expect, it } from 'vitest';
import { withoutCredentials } from '../src/cluster/controller-proxy.js';

describe('withoutCredentials', () => {
  it.each([
    ['https://admin:s3cret@host:6443/api', 'https://host:6443/api'],
    ['https://admin:p#ss@host/x', 'https://host/x'],
    ['https://admin:s3cr?t@host/x', 'https://host/x'],
    ['https://admin:a/b@c@host', 'https://host'],
    ['connect to https://u:p@host:1 failed: refused', 'connect to https://host:1 failed: refused'],
    ['https://host/path?token=abc', 'https://host/path?…'],
    ['https://host:6443', 'https://host:6443'],
  ])('%s', (text, shown) => {
    expect(withoutCredentials(text)).toBe(shown);
  });
});
