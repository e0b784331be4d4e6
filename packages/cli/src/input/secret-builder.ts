/**
 * A Secret built from the command line, as `kubectl create secret generic`
 * builds one: --from-literal key=value, --from-env-file FILE, --from-file
 * [key=]path (a directory adds each regular file in it). So a Secret can be
 * sealed without ever being written to disk.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { quoteKey, secretKeyProblem, toBase64 } from '@sealkit/core';
import { type KubeObject } from '@sealkit/core/manifest';
import { CliError } from '../program/errors.js';
import { fileError, readFileBytes, readTextFile } from './files.js';
import { warnIfTrailingNewline } from './newline-warning.js';

export interface SecretSources {
  fromLiteral: string[];
  fromEnvFile: string[];
  fromFile: string[];
}

export function hasSecretSources(sources: SecretSources): boolean {
  return sources.fromLiteral.length + sources.fromEnvFile.length + sources.fromFile.length > 0;
}

// POSIX environment variable names, as kubectl checks them in env files.
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** Splits `key=rest` at the first "="; kubectl's syntax for --from-literal and --from-file. */
export function splitKeyAssignment(text: string): { key?: string; value: string } {
  const at = text.indexOf('=');
  return at < 0 ? { value: text } : { key: text.slice(0, at), value: text.slice(at + 1) };
}

class SecretData {
  readonly values = new Map<string, Uint8Array>();

  add(key: string, value: Uint8Array, from: string): void {
    const problem = secretKeyProblem(key);
    if (problem) throw new CliError(`${quoteKey(key)} (from ${from}) is not a valid Secret key; ${problem}.`);
    if (this.values.has(key)) throw new CliError(`The key "${key}" is given twice (again from ${from}); each key may appear once.`);
    this.values.set(key, value);
  }
}

function addLiteral(data: SecretData, literal: string): void {
  const { key, value } = splitKeyAssignment(literal);
  if (!key) throw new CliError('Each --from-literal must be key=value, with a non-empty key.');
  data.add(key, new TextEncoder().encode(value), '--from-literal');
}

function addEnvFile(data: SecretData, file: string): void {
  const lines = readTextFile(file, 'env file')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trimStart();
    if (line === '' || line.startsWith('#')) return;
    const { key = line, value } = splitKeyAssignment(line);
    const where = `line ${index + 1} of "${file}"`;
    if (!ENV_NAME.test(key)) throw new CliError(`The variable name on ${where} is not valid; use letters, digits, "_", "-" and ".".`);
    // Like kubectl: a name without "=" takes its value from the environment.
    const text = line.includes('=') ? value : (process.env[key] ?? '');
    data.add(key, new TextEncoder().encode(text), where);
  });
}

function addFromFile(data: SecretData, source: string): void {
  const { key, value: path } = splitKeyAssignment(source);
  if (key === '') throw new CliError(`The --from-file "${source}" has an empty key; use key=path or just path.`);
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch (error) {
    throw fileError('read', 'file', path, error);
  }
  if (!isDirectory) {
    const value = readFileBytes(path, 'file');
    warnIfTrailingNewline(value, `the --from-file value "${path}"`);
    data.add(key ?? basename(path), value, `"${path}"`);
    return;
  }
  if (key !== undefined) throw new CliError(`--from-file "${source}" names a directory; a key name can only be given for a single file.`);
  // Like kubectl: regular files only; subdirectories and symbolic links are skipped.
  for (const entry of readdirSync(path, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isFile()) continue;
    const value = readFileBytes(join(path, entry.name), 'file');
    warnIfTrailingNewline(value, `the --from-file value "${join(path, entry.name)}"`);
    data.add(entry.name, value, `"${join(path, entry.name)}"`);
  }
}

/** A Secret manifest with `name` holding every value from the sources. */
export function buildSecret(
  sources: SecretSources,
  name: string | undefined,
  namespace: string | undefined,
  type: string | undefined,
): KubeObject {
  if (!name) throw new CliError('A Secret built with --from-literal, --from-env-file or --from-file needs a name; pass --name NAME.');
  const data = new SecretData();
  for (const literal of sources.fromLiteral) addLiteral(data, literal);
  for (const file of sources.fromEnvFile) addEnvFile(data, file);
  for (const source of sources.fromFile) addFromFile(data, source);
  const secret: KubeObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: namespace ? { name, namespace } : { name },
    type: type ?? 'Opaque',
    data: Object.fromEntries([...data.values].map(([key, value]) => [key, toBase64(value)])),
  };
  return secret;
}
