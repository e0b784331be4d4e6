/**
 * Reference vectors vendored from the project's shared folder: Bitnami's Go code made
 * `sealed-secrets-go.json`, the manifests, the key backup and `gotemplate-go.json`;
 * `wycheproof/` is Project Wycheproof's (Apache-2.0, see its LICENSE). New vectors arrive
 * in ../shared and are copied here, so a clone from anywhere runs the whole suite.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const vectorsDir = dirname(fileURLToPath(import.meta.url));

export const vectorPath = (path: string): string => join(vectorsDir, path);

export const vectorText = (path: string): string => readFileSync(vectorPath(path), 'utf8');

export const vectorJson = <T>(path: string): T => JSON.parse(vectorText(path)) as T;
