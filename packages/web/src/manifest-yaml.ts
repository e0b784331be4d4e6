/** YAML in and out: the pasted Secret manifest, and the SealedSecret written as kubeseal writes it. */
import { parseAllDocuments, stringify } from 'yaml';
import { UserError } from './errors.js';

const field = 'manifest';

/** The one Kubernetes object in a YAML or JSON text. Parse errors name a line, never quote it: the line may hold a value. */
export function parseManifest(text: string): Record<string, unknown> {
  const documents = [...parseAllDocuments(text, { logLevel: 'error' })]; // yaml's warnings quote the text
  const broken = documents.find((document) => document.errors.length > 0);
  if (broken) {
    const line = broken.errors[0]?.linePos?.[0].line;
    throw new UserError(`The manifest is not valid YAML or JSON${line ? ` (see line ${line})` : ''}.`, { field });
  }
  const objects = documents.filter((document) => document.contents !== null);
  if (objects.length === 0) throw new UserError('Paste a Secret manifest first.', { field });
  if (objects.length > 1) throw new UserError(`The text holds ${objects.length} documents; paste one Secret.`, { field });
  const manifest: unknown = objects[0]!.toJS({ maxAliasCount: 100 });
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
    throw new UserError('The manifest is not a Kubernetes object; paste a Secret.', { field });
  }
  return manifest as Record<string, unknown>;
}

/** kubeseal's YAML (Go's yaml.v2 by way of JSON): keys sorted, sequences not indented, long values on one line. */
export function toKubesealYaml(object: object): string {
  return stringify(object, { sortMapEntries: true, indentSeq: false, lineWidth: 0 });
}
