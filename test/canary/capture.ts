/**
 * Leak canaries: recognisable secrets (a value and private keys) and a search for every
 * form they could leak in, plus a before/after snapshot of a directory tree so that every
 * file a process wrote or changed can be scanned. Shared by the CLI, web and controller
 * canary tests.
 *
 *   const value = canaryValue;                 // 'CANARY-<24 hex>', its base64/base64url/hex forms
 *   const key = await canaryKey();             // a fresh RSA-2048 key + certificate (memoised)
 *   findCanaries(stdout)                       // [] or e.g. ['value:base64@0', 'key:d-hex']
 *   const before = snapshotTree(dir); ...; treeChanges(before, snapshotTree(dir))
 */
import { createHash, createPrivateKey, randomBytes } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPair } from '../../packages/core/src/index.js';

export interface Canary {
  /** Names the canary in findings: `${label}:${form}`. */
  label: string;
  /** Search strings, by form name. Binary forms are latin1 strings (one char per byte). */
  forms: Record<string, string>;
}

export interface ValueCanary extends Canary {
  /** The plaintext: `CANARY-` + 24 random hex digits (a label may be put in between). */
  value: string;
  base64: string;
  base64url: string;
  /** Parts of the value that would still betray it if it were cut short or partly quoted. */
  substrings: string[];
}

export interface KeyCanary extends Canary {
  privateKeyPem: string;
  /** The certificate that goes with it, when known (public: it is no canary). */
  certificatePem?: string;
  /** Distinctive runs of the PEM body (whole lines inside the private part of the key). */
  bodySubstrings: string[];
}

const registered: Canary[] = [];

/** Adds a canary to those findCanaries looks for by default; returns it. */
export function register<T extends Canary>(canary: T): T {
  if (!registered.includes(canary)) registered.push(canary);
  return canary;
}

/** The canaries findCanaries looks for by default. */
export function registeredCanaries(): readonly Canary[] {
  return registered;
}

/**
 * base64 of `bytes` wherever it sits in a larger base64 text: one string per alignment
 * (0, 1, 2 bytes before it), keeping only the characters that depend on `bytes` alone.
 */
export function alignedBase64(bytes: Uint8Array, url = false): string[] {
  return [0, 1, 2].map((shift) => {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString(url ? 'base64url' : 'base64');
    const fullGroups = Math.floor((shift + bytes.length) / 3) * 4;
    return encoded.slice(shift === 0 ? 0 : 4, fullGroups);
  });
}

function addAligned(forms: Record<string, string>, prefix: string, bytes: Uint8Array): void {
  alignedBase64(bytes).forEach((text, shift) => (forms[`${prefix}base64@${shift}`] = text));
  alignedBase64(bytes, true).forEach((text, shift) => {
    if (text !== forms[`${prefix}base64@${shift}`]) forms[`${prefix}base64url@${shift}`] = text;
  });
}

/** A value canary; `label` names it in findings (and goes into the value when not "value"). */
export function makeCanaryValue(label = 'value'): ValueCanary {
  const hex = randomBytes(12).toString('hex');
  const value = label === 'value' ? `CANARY-${hex}` : `CANARY-${label}-${hex}`;
  const bytes = Buffer.from(value, 'utf8');
  const substrings = [hex.slice(0, 12), hex.slice(12)];
  const forms: Record<string, string> = {
    raw: value,
    'hex-part-1': substrings[0]!,
    'hex-part-2': substrings[1]!,
    hex: bytes.toString('hex'),
    HEX: bytes.toString('hex').toUpperCase(),
    utf16le: Buffer.from(value, 'utf16le').toString('latin1'),
    'utf16le-hex-part-1': Buffer.from(substrings[0]!, 'utf16le').toString('latin1'),
    'utf16le-hex-part-2': Buffer.from(substrings[1]!, 'utf16le').toString('latin1'),
  };
  addAligned(forms, '', bytes);
  return register({ label, value, base64: bytes.toString('base64'), base64url: bytes.toString('base64url'), substrings, forms });
}

/** The value canary of this process. */
export const canaryValue: ValueCanary = makeCanaryValue();

function pemBody(pem: string): Buffer {
  const match = /-----BEGIN [A-Z ]+-----([\s\S]*?)-----END [A-Z ]+-----/.exec(pem);
  if (!match) throw new Error('keyCanary: no PEM block in the text');
  return Buffer.from(match[1]!.replace(/\s+/g, ''), 'base64');
}

/**
 * A key canary for a private key PEM (PKCS#1 or PKCS#8), e.g. one sealkit generated:
 * its private numbers (d, p, q) as raw bytes, hex, base64 and base64url at every
 * alignment (so found in DER, PEM, JWK, key backups and dumps), whole PEM body lines
 * from the private part, and those lines base64-encoded again (a key backup's tls.key).
 * The public modulus is left out on purpose: it is in every certificate.
 */
export function keyCanary(privateKeyPem: string, label = 'key', certificatePem?: string): KeyCanary {
  const jwk = createPrivateKey(privateKeyPem).export({ format: 'jwk' }) as Record<string, string>;
  const forms: Record<string, string> = {};
  const der = pemBody(privateKeyPem);
  let privateStart = der.length;
  for (const part of ['d', 'p', 'q'] as const) {
    const number = Buffer.from(jwk[part]!, 'base64url');
    const at = der.indexOf(number);
    if (at >= 0) privateStart = Math.min(privateStart, at);
    const slice = number.subarray(8, 38); // 30 random bytes: distinctive, and short enough to survive truncation
    forms[`${part}-bytes`] = slice.toString('latin1');
    forms[`${part}-hex`] = slice.toString('hex');
    forms[`${part}-HEX`] = slice.toString('hex').toUpperCase();
    addAligned(forms, `${part}-`, slice);
  }
  // PEM lines are 64 characters = 48 bytes of DER; keep full lines after the start of d, but not the last.
  const lines = privateKeyPem
    .replace(/-----[A-Z ]+-----/g, '')
    .split(/\r?\n/)
    .filter((line) => line.length > 0);
  const firstPrivateLine = Math.ceil(privateStart / 48) + 1;
  const candidates = lines.slice(firstPrivateLine, -1).filter((line) => line.length === 64);
  const bodySubstrings = [0, 0.5, 0.99]
    .map((at) => candidates[Math.floor(at * (candidates.length - 1))]!)
    .filter((line, i, all) => line && all.indexOf(line) === i);
  if (bodySubstrings.length === 0) throw new Error('keyCanary: the PEM has no full body line in its private part');
  bodySubstrings.forEach((line, i) => {
    forms[`pem-line-${i}`] = line;
    alignedBase64(Buffer.from(line, 'latin1')).forEach((text, shift) => (forms[`pem-line-${i}-in-base64@${shift}`] = text));
  });
  return register({ label, privateKeyPem, certificatePem, bodySubstrings, forms });
}

/**
 * A canary for secret bytes that are no PEM key, e.g. an ML-KEM seed: two 24-byte runs
 * (distinctive, short enough to survive truncation) raw, in hex and in base64 at every alignment.
 */
export function bytesCanary(bytes: Uint8Array, label: string): Canary {
  const forms: Record<string, string> = {};
  for (const [i, run] of [bytes.subarray(0, 24), bytes.subarray(bytes.length - 24)].entries()) {
    const part = Buffer.from(run);
    forms[`run-${i}-bytes`] = part.toString('latin1');
    forms[`run-${i}-hex`] = part.toString('hex');
    forms[`run-${i}-HEX`] = part.toString('hex').toUpperCase();
    addAligned(forms, `run-${i}-`, part);
  }
  return register({ label, forms });
}

let memoisedKey: Promise<KeyCanary> | undefined;

/** This process's canary key: a fresh RSA-2048 key pair (PKCS#1 PEM and certificate), made once. */
export function canaryKey(): Promise<KeyCanary> {
  memoisedKey ??= generateKeyPair({ bits: 2048 }).then(({ privateKeyPem, certificatePem }) =>
    keyCanary(privateKeyPem, 'key', certificatePem),
  );
  return memoisedKey;
}

/** The text as searched: bytes one char each (latin1), so binary forms match too. */
function asSearchText(data: string | Uint8Array): string {
  return typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('latin1');
}

/**
 * Which canary forms occur in `data` (default: every registered canary), as `label:form`.
 * Besides the text itself it searches the text without whitespace and escaped newlines
 * (re-wrapped PEM, base64 split over lines, JSON strings) and with %XX decoded (URLs).
 */
export function findCanaries(data: string | Uint8Array, canaries: readonly Canary[] = registered): string[] {
  const text = asSearchText(data);
  const compact = text.replace(/\\r|\\n|\\\/|\s+/g, (match) => (match === '\\/' ? '/' : ''));
  const unescaped = compact.includes('%')
    ? compact.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    : compact;
  const views = [text, compact, unescaped];
  const found: string[] = [];
  for (const canary of canaries) {
    for (const [form, needle] of Object.entries(canary.forms)) {
      if (needle.length >= 8 && views.some((view) => view.includes(needle))) found.push(`${canary.label}:${form}`);
    }
  }
  return found;
}

/** The labels of the canaries found (e.g. ['value', 'key']). */
export function canaryLabels(findings: readonly string[]): string[] {
  return [...new Set(findings.map((finding) => finding.split(':')[0]!))];
}

// ---------------------------------------------------------------------------------------
// Directory snapshots

export interface TreeEntry {
  kind: 'file' | 'dir' | 'link' | 'other';
  /** Permission bits. */
  mode: number;
  size: number;
  ino: number;
  /** sha256 of a file's bytes. */
  hash?: string;
}

export type TreeSnapshot = Map<string, TreeEntry>;

/** Every file, directory and link under `root` (paths relative to it), skipping `exclude` (relative paths). */
export function snapshotTree(root: string, exclude: readonly string[] = []): TreeSnapshot {
  const entries: TreeSnapshot = new Map();
  const walk = (relative: string) => {
    for (const name of readdirSync(join(root, relative))) {
      const path = relative ? `${relative}/${name}` : name;
      if (exclude.includes(path)) continue;
      let stat;
      try {
        stat = lstatSync(join(root, path));
      } catch {
        continue; // removed meanwhile
      }
      const kind = stat.isFile() ? 'file' : stat.isDirectory() ? 'dir' : stat.isSymbolicLink() ? 'link' : 'other';
      const entry: TreeEntry = { kind, mode: stat.mode & 0o7777, size: stat.size, ino: stat.ino };
      if (kind === 'file')
        entry.hash = createHash('sha256')
          .update(readFileSync(join(root, path)))
          .digest('hex');
      entries.set(path, entry);
      if (kind === 'dir') walk(path);
    }
  };
  walk('');
  return entries;
}

export interface TreeChange {
  path: string;
  change: 'added' | 'changed' | 'removed';
  entry?: TreeEntry;
}

/** What differs between two snapshots: new entries, changed files (bytes, mode, inode) and removed ones. */
export function treeChanges(before: TreeSnapshot, after: TreeSnapshot): TreeChange[] {
  const changes: TreeChange[] = [];
  for (const [path, entry] of after) {
    const old = before.get(path);
    if (!old) changes.push({ path, change: 'added', entry });
    else if (
      old.kind !== entry.kind ||
      old.hash !== entry.hash ||
      old.mode !== entry.mode ||
      (entry.kind === 'file' && old.ino !== entry.ino)
    ) {
      changes.push({ path, change: 'changed', entry });
    }
  }
  for (const path of before.keys()) if (!after.has(path)) changes.push({ path, change: 'removed' });
  return changes.sort((a, b) => a.path.localeCompare(b.path));
}

/** Every file under `root` whose bytes hold a canary, with what was found (for scans of a whole tree). */
export function scanTree(
  root: string,
  canaries: readonly Canary[] = registered,
  exclude: readonly string[] = [],
): Record<string, string[]> {
  const hits: Record<string, string[]> = {};
  for (const [path, entry] of snapshotTree(root, exclude)) {
    if (entry.kind !== 'file') continue;
    let bytes: Buffer;
    try {
      bytes = readFileSync(join(root, path));
    } catch {
      continue;
    }
    const found = findCanaries(bytes, canaries);
    if (found.length > 0) hits[path] = found;
  }
  return hits;
}
