/** YAML in and out: the pasted Secret manifest, and the SealedSecret written as kubeseal writes it. */
import { SealkitError } from '@sealkit/core';
import { readYamlDocuments, type YamlDocument } from '@sealkit/core/manifest';
import { stringify } from 'yaml';
import { UserError } from './errors.js';

const field = 'manifest';

/** The one Kubernetes object in a YAML or JSON text. Parse errors name a line, never quote it: the line may hold a value. */
export function parseManifest(text: string): Record<string, unknown> {
  let documents: YamlDocument[];
  try {
    documents = readYamlDocuments(text, { what: 'manifest', expected: 'YAML or JSON' });
  } catch (error) {
    if (error instanceof SealkitError) throw new UserError(error.message, { field });
    throw error;
  }
  if (documents.length === 0) throw new UserError('Paste a Secret manifest first.', { field });
  if (documents.length > 1) throw new UserError(`The text holds ${documents.length} documents; paste one Secret.`, { field });
  const manifest = documents[0]!.value;
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
    throw new UserError('The manifest is not a Kubernetes object; paste a Secret.', { field });
  }
  return manifest as Record<string, unknown>;
}

/** kubeseal's YAML (Go's yaml.v2 by way of JSON): keys sorted, sequences not indented, long values on one line. */
export function toKubesealYaml(object: object): string {
  return stringify(object, { sortMapEntries: true, indentSeq: false, lineWidth: 0 });
}
