// What the built page ships: relative paths only, a strict Content-Security-Policy,
// and none of core's Node-only or key-generation code.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../packages/web/vite.config.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const dist = join(repo, 'packages/web/dist');

// Names from node-forge's RSA, big-integer and X.509 code; the page never generates keys, so none may ship.
const FORGE_IDENTIFIERS = ['BigInteger', 'modPow', 'RSAES-OAEP', 'generateKeyPair', 'createCertificate', 'certificateToAsn1'];
// A static import, a dynamic import or a require of a node: module (a `node:` string elsewhere is no import).
const NODE_IMPORT = /\b(?:from|import|require)\s*\(?\s*["'`]node:/;

let html = '';
let scripts: { name: string; text: string }[] = [];

beforeAll(() => {
  if (!existsSync(join(dist, 'index.html')))
    throw new Error('packages/web/dist is missing; build it first with pnpm build (or pnpm --filter @sealkit/web build).');
  html = readFileSync(join(dist, 'index.html'), 'utf8');
  scripts = readdirSync(join(dist, 'assets'))
    .filter((name) => name.endsWith('.js'))
    .map((name) => ({ name, text: readFileSync(join(dist, 'assets', name), 'utf8') }));
});

describe('the built page', () => {
  it('carries the Content-Security-Policy before anything it governs', () => {
    const meta = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)"/);
    expect(meta?.[1]?.replaceAll('&#39;', "'")).toBe(CONTENT_SECURITY_POLICY);
    expect(meta!.index!).toBeLessThan(html.indexOf('<script'));
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
  });

  it('loads only its own assets, by relative paths, and no inline script or style', () => {
    const references = [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((match) => match[1]);
    expect(references.filter((reference) => reference !== 'data:,')).toEqual([
      expect.stringMatching(/^\.\/assets\/[\w-]+\.js$/),
      expect.stringMatching(/^\.\/assets\/[\w-]+\.css$/),
    ]);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle="/);
  });

  it('is one script that imports no node: module', () => {
    expect(scripts.map((script) => script.name)).toHaveLength(1);
    for (const { text } of scripts) expect(text).not.toMatch(NODE_IMPORT);
  });

  it('contains none of node-forge', () => {
    for (const { text } of scripts) {
      for (const identifier of FORGE_IDENTIFIERS) expect(text, identifier).not.toContain(identifier);
    }
  });
});

describe('the checks themselves', () => {
  it('recognise node-forge: each identifier occurs in its sources', () => {
    const requireFromCore = createRequire(join(repo, 'packages/core/package.json'));
    const lib = dirname(requireFromCore.resolve('node-forge'));
    const forge = ['rsa.js', 'jsbn.js', 'x509.js', 'pkcs1.js'].map((file) => readFileSync(join(lib, file), 'utf8')).join('\n');
    for (const identifier of FORGE_IDENTIFIERS) expect(forge, identifier).toContain(identifier);
  });

  it.each([
    ['import{createHash}from"node:crypto"', true],
    ['await import("node:fs")', true],
    ["require('node:path')", true],
    ['process?.getBuiltinModule?.("node:crypto")', false],
  ])('tell a node: import (%s) from a mere string', (code, isImport) => {
    expect(NODE_IMPORT.test(code)).toBe(isImport);
  });
});
