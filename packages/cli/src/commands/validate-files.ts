/**
 * sealkit validate PATH...: offline checks of SealedSecret files for CI, with
 * certificates only: structure, scope annotations against the template and the
 * name/namespace, data keys Kubernetes accepts, base64, and each value's RSA part
 * against the known certificates' modulus sizes (which could have sealed it, or
 * that the size cannot tell). With --key it also opens every value and renders
 * the templates. Other documents are skipped. Exit 0 valid, 1 invalid, 2 usage.
 * (kubeseal's --validate, which asks the cluster, is commands/validate.ts.)
 */
import type { Command } from 'commander';
import {
  Keyring,
  SealkitError,
  fromBase64,
  inspectSealed,
  isSealedSecret,
  quoteKey,
  quoteName,
  scopeFromAnnotations,
  secretKeyProblem,
  unsealSecret,
  type Scope,
  type SealedLayout,
} from '@sealkit/core';
import {
  describeObject,
  isObject,
  lineAndColumn,
  parseSource,
  renderJson,
  STREAM_YAML_LIMITS,
  type KubeObject,
  type SourceDocument,
} from '@sealkit/core/manifest';
import type { Document } from 'yaml';
import { asClause, CliError, describeError } from '../program/errors.js';
import { readTextFile } from '../input/files.js';
import { loadKeyFiles } from '../keys/key-files.js';
import { loadLocalKeyring } from '../keys/local-keyring.js';
import { manifestFiles, mapConcurrently } from '../input/manifest-paths.js';
import { chosenProfiles, requestedProfiles } from '../keys/profiles.js';
import type { GlobalOptions } from '../program/options.js';
import { writeOutput } from '../output/output.js';
import { renderTemplatesInWorker } from '../seal/template-sandbox.js';

export interface ValidateFilesOptions extends GlobalOptions {
  certs: string[];
  key: string[];
}

type Severity = 'error' | 'warning' | 'notice';

export interface Finding {
  file: string;
  line?: number;
  object?: string;
  severity: Severity;
  message: string;
}

interface KnownCertificate {
  from: string;
  fingerprint: string;
  bits: number;
}

const SCOPE_ANNOTATIONS = ['sealedsecrets.bitnami.com/namespace-wide', 'sealedsecrets.bitnami.com/cluster-wide'];
const OUTPUT_FORMATS = ['text', 'json', 'github'] as const;
type ReportFormat = (typeof OUTPUT_FORMATS)[number];

/** Collects the findings of one document, with the line of the field they are about. */
class DocumentCheck {
  readonly findings: Finding[] = [];
  constructor(
    private readonly file: string,
    private readonly source: string,
    private readonly document: SourceDocument,
    readonly object: string,
  ) {}

  line(path: readonly string[] = []): number {
    const yaml = this.document.yaml as Document.Parsed | undefined;
    let offset = this.document.start;
    if (yaml) {
      for (let depth = path.length; depth >= 0; depth--) {
        const node = depth === 0 ? yaml.contents : yaml.getIn(path.slice(0, depth), true);
        const range = (node as { range?: [number, number] } | undefined)?.range;
        if (range) {
          offset = range[0];
          break;
        }
      }
    }
    return lineAndColumn(this.source, offset).line;
  }

  add(severity: Severity, message: string, path: readonly string[] = []): void {
    this.findings.push({ file: this.file, line: this.line(path), object: this.object, severity, message });
  }
}

const stringOrUndefined = (value: unknown) => (typeof value === 'string' ? value : undefined);

function checkStructure(value: KubeObject, check: DocumentCheck): boolean {
  const metadata = value.metadata;
  if (!isObject(metadata)) return (check.add('error', 'metadata is missing or not a mapping'), false);
  if (typeof metadata.name !== 'string' || metadata.name === '') check.add('error', 'metadata.name is missing', ['metadata']);
  if (metadata.namespace !== undefined && typeof metadata.namespace !== 'string')
    check.add('error', 'metadata.namespace is not text', ['metadata', 'namespace']);
  const spec = value.spec;
  if (!isObject(spec)) return (check.add('error', 'spec is missing or not a mapping'), false);
  if (spec.encryptedData !== undefined && spec.encryptedData !== null && !isObject(spec.encryptedData))
    check.add('error', 'spec.encryptedData is not a mapping', ['spec', 'encryptedData']);
  if (spec.data !== undefined && spec.data !== null && typeof spec.data !== 'string')
    check.add('error', 'the deprecated spec.data is not text', ['spec', 'data']);
  if (spec.template !== undefined && !isObject(spec.template)) check.add('error', 'spec.template is not a mapping', ['spec', 'template']);
  const template = isObject(spec.template) ? spec.template : {};
  if (template.metadata !== undefined && !isObject(template.metadata))
    check.add('error', 'spec.template.metadata is not a mapping', ['spec', 'template', 'metadata']);
  if (template.data !== undefined && template.data !== null && !isObject(template.data))
    check.add('error', 'spec.template.data is not a mapping', ['spec', 'template', 'data']);
  const encrypted = isObject(spec.encryptedData) ? spec.encryptedData : {};
  if (
    Object.keys(encrypted).length === 0 &&
    typeof spec.data !== 'string' &&
    !(isObject(template.data) && Object.keys(template.data).length > 0)
  ) {
    check.add('warning', 'it has no encryptedData: the Secret will be empty', ['spec']);
  }
  return true;
}

function annotationsOf(metadata: unknown): Record<string, string> | undefined {
  return isObject(metadata) && isObject(metadata.annotations) ? (metadata.annotations as Record<string, string>) : undefined;
}

/** The scope, checked against the template's annotations and the name/namespace it needs. */
function checkScope(value: KubeObject, check: DocumentCheck): Scope {
  const metadata = value.metadata as KubeObject;
  const template = isObject((value.spec as KubeObject).template) ? ((value.spec as KubeObject).template as KubeObject) : {};
  const scope = scopeFromAnnotations(annotationsOf(metadata));
  const templateAnnotations = annotationsOf(template.metadata);
  if (templateAnnotations && SCOPE_ANNOTATIONS.some((name) => name in templateAnnotations)) {
    const templateScope = scopeFromAnnotations(templateAnnotations);
    if (templateScope !== scope) {
      check.add(
        'error',
        `the scope annotations say ${scope} on the SealedSecret but ${templateScope} in spec.template.metadata; the controller opens with the SealedSecret's (${scope})`,
        ['spec', 'template', 'metadata', 'annotations'],
      );
    }
  }
  const templateMetadata = isObject(template.metadata) ? template.metadata : {};
  for (const field of ['name', 'namespace'] as const) {
    const inTemplate = stringOrUndefined(templateMetadata[field]);
    const own = stringOrUndefined(metadata[field]);
    if (inTemplate !== undefined && own !== undefined && inTemplate !== own) {
      check.add(
        'error',
        `spec.template.metadata.${field} ${quoteName(inTemplate)} differs from metadata.${field} ${quoteName(own)}; the Secret gets the SealedSecret's`,
        ['spec', 'template', 'metadata', field],
      );
    }
  }
  if (scope !== 'cluster-wide' && metadata.namespace === undefined) {
    check.add('warning', `a ${scope} SealedSecret without metadata.namespace opens only in the namespace it was sealed for; set it`, [
      'metadata',
    ]);
  }
  return scope;
}

function checkKeys(value: KubeObject, check: DocumentCheck): void {
  const spec = value.spec as KubeObject;
  const template = isObject(spec.template) ? spec.template : {};
  for (const [field, record] of [
    ['spec.encryptedData', spec.encryptedData],
    ['spec.template.data', template.data],
  ] as const) {
    if (!isObject(record)) continue;
    for (const key of Object.keys(record)) {
      const problem = secretKeyProblem(key);
      if (problem)
        check.add('error', `the ${field} key ${quoteKey(key)} is not a valid Secret key; ${problem}`, field.split('.').concat(key));
    }
  }
}

interface ValueLayout {
  rsaBytes: number;
  postQuantum: boolean;
}

/** A sealed value's RSA part length and format, or the problem with its encoding. */
function layoutOf(value: unknown): ValueLayout | string {
  if (typeof value !== 'string') return 'is not text';
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(value.trim(), 'sealed value');
  } catch {
    return 'is not valid base64';
  }
  if (bytes.length < 2) return 'is too short to be a sealed value';
  const truncated = 'is truncated or not a sealed value (its RSA part does not fit)';
  let layout: SealedLayout;
  try {
    layout = inspectSealed(bytes);
  } catch (error) {
    if (!(error instanceof SealkitError)) throw error;
    return error.code === 'unknown-format' ? `cannot be read: ${asClause(error.message)}` : truncated;
  }
  // After the RSA part: the AES-GCM ciphertext, at least its 16-byte tag.
  if (layout.rsaBytes < 64 || (layout.format === 'classic' && bytes.length < 2 + layout.rsaBytes + 16)) return truncated;
  return { rsaBytes: layout.rsaBytes, postQuantum: layout.format === 'post-quantum' };
}

function sealedValues(value: KubeObject): [string, string[], unknown][] {
  const spec = value.spec as KubeObject;
  const out: [string, string[], unknown][] = isObject(spec.encryptedData)
    ? Object.entries(spec.encryptedData).map(([key, v]) => [quoteKey(key), ['spec', 'encryptedData', key], v])
    : [];
  if (spec.data !== undefined && spec.data !== null) out.push(['spec.data', ['spec', 'data'], spec.data]);
  return out;
}

const describeCertificate = (certificate: KnownCertificate) => `${certificate.from} (${certificate.fingerprint})`;

/** Each value decodes, and its RSA part fits a known certificate; a notice says which certificate(s) could have sealed it. */
function checkValues(value: KubeObject, check: DocumentCheck, certificates: readonly KnownCertificate[]): void {
  const sizes = new Set<number>();
  const postQuantum: string[] = [];
  for (const [name, path, sealed] of sealedValues(value)) {
    const layout = layoutOf(sealed);
    if (typeof layout === 'string') {
      check.add('error', `the sealed value ${name} ${layout}`, path);
      continue;
    }
    const length = layout.rsaBytes;
    if (layout.postQuantum) postQuantum.push(name);
    sizes.add(length);
    if (certificates.length > 0 && !certificates.some((certificate) => Math.ceil(certificate.bits / 8) === length)) {
      const known = [...new Set(certificates.map((c) => c.bits))].join(', ');
      check.add(
        'error',
        `the sealed value ${name} was sealed for a ${length * 8}-bit key, but the known certificates have ${known}-bit keys: it was sealed for another cluster`,
        path,
      );
    }
  }
  if (postQuantum.length > 0)
    check.add(
      'warning',
      `${postQuantum.length === 1 ? 'the value' : 'the values'} ${postQuantum.join(', ')} ${postQuantum.length === 1 ? 'is' : 'are'} sealed post-quantum: only sealkit's controller opens them, Bitnami's cannot; 'sealkit reseal --classic' converts them`,
    );
  if (certificates.length === 0) return;
  for (const size of sizes) {
    const fitting = certificates.filter((certificate) => Math.ceil(certificate.bits / 8) === size);
    if (fitting.length === 1) check.add('notice', `its ${size * 8}-bit values fit only ${describeCertificate(fitting[0]!)}`);
    else if (fitting.length > 1)
      check.add(
        'notice',
        `its ${size * 8}-bit values fit ${fitting.length} known certificates (${fitting.map(describeCertificate).join(', ')}); the key size cannot tell which sealed them`,
      );
  }
}

async function checkOpens(value: KubeObject, check: DocumentCheck, keyring: Keyring): Promise<void> {
  try {
    await unsealSecret(value, keyring, { renderTemplates: renderTemplatesInWorker });
  } catch (error) {
    if (!(error instanceof SealkitError)) throw error;
    check.add('error', `it does not open with the given keys: ${asClause(error.message)}`, ['spec']);
  }
}

async function validateFile(file: string, certificates: readonly KnownCertificate[], keyring: Keyring | undefined): Promise<Finding[]> {
  let source: string;
  let documents: SourceDocument[];
  try {
    source = readTextFile(file, 'file');
    documents = parseSource(source, `file "${file}"`, STREAM_YAML_LIMITS).documents;
  } catch (error) {
    if (!(error instanceof CliError || error instanceof SealkitError)) throw error;
    return [{ file, severity: 'error', message: asClause(describeError(error).message ?? 'unreadable') }];
  }
  const findings: Finding[] = [];
  for (const document of documents) {
    const value = document.value;
    const kind = isObject(value) ? value.kind : undefined;
    if (!isObject(value) || (kind !== 'SealedSecret' && !isSealedSecret(value))) continue;
    const check = new DocumentCheck(file, source, document, describeObject(value));
    if (value.apiVersion !== 'bitnami.com/v1alpha1')
      check.add('error', `apiVersion is ${JSON.stringify(value.apiVersion)}; SealedSecrets are bitnami.com/v1alpha1`);
    else if (checkStructure(value, check)) {
      checkScope(value, check);
      checkKeys(value, check);
      checkValues(value, check, certificates);
      if (keyring && !check.findings.some((finding) => finding.severity === 'error')) await checkOpens(value, check, keyring);
    }
    findings.push(...check.findings);
  }
  return findings;
}

async function knownCertificates(
  options: ValidateFilesOptions,
  extra: readonly { from: string; pem: string }[],
): Promise<KnownCertificate[]> {
  const files = [...(options.cert ? [options.cert] : []), ...options.certs];
  const out: KnownCertificate[] = [];
  const sources = [
    ...files.map((file) => ({ from: file, text: readTextFile(file, 'certificate file') })),
    ...extra.map(({ from, pem }) => ({ from, text: pem })),
  ];
  for (const { from, text } of sources) {
    let keyring: Keyring;
    try {
      keyring = await Keyring.from(text);
    } catch (error) {
      throw new CliError(`Cannot read the certificate "${from}": ${asClause((error as Error).message)}; give a PEM certificate.`, 2);
    }
    for (const key of keyring.keys)
      if (!out.some((known) => known.fingerprint === key.fingerprint)) out.push({ from, fingerprint: key.fingerprint, bits: key.bits });
  }
  return out;
}

/**
 * The certificate files of the profiles named with --profile, else of the one sealing would choose (the current
 * context's, the default). Offline: a URL is not fetched and a cluster not asked, so a profile named with either
 * is a usage error; one chosen implicitly only adds nothing.
 */
function profileCertificates(options: ValidateFilesOptions): { from: string; pem: string }[] {
  const named = requestedProfiles(options.profile).length > 0;
  try {
    return chosenProfiles(options.profile, options).flatMap((profile) => {
      if (profile.cert && !/^[a-z][a-z0-9+.-]*:\/\//i.test(profile.cert))
        return [
          { from: `profile "${profile.name}"`, pem: readTextFile(profile.cert, `certificate file of the profile "${profile.name}"`) },
        ];
      if (!named) return [];
      throw new CliError(
        `The profile "${profile.name}" names ${profile.cert ? 'its certificate by URL' : 'a cluster'}, but validate runs offline; save the certificate (sealkit --fetch-cert --profile ${profile.name} > cert.pem) and pass --cert cert.pem.`,
      );
    });
  } catch (error) {
    throw error instanceof CliError ? new CliError(error.message, 2) : error; // a wrong --profile or profiles file is a usage error
  }
}

function reportFormat(options: GlobalOptions, command: Command): ReportFormat {
  const source = command.getOptionValueSourceWithGlobals('format');
  if (source !== 'cli' && source !== 'env') return 'text';
  const format = (options.format ?? '').toLowerCase();
  if ((OUTPUT_FORMATS as readonly string[]).includes(format)) return format as ReportFormat;
  throw new CliError(`validate reports as text, json or github, not "${options.format}"; use -o json or --format github.`, 2);
}

/** GitHub's workflow command syntax: data and properties escaped as the runner expects. */
const githubData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const githubProperty = (text: string) => githubData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

function render(findings: Finding[], files: number, format: ReportFormat): string {
  const errors = findings.filter((f) => f.severity === 'error').length;
  if (format === 'json') return renderJson({ valid: errors === 0, files, errors, findings });
  const lines = findings.map((f) => {
    const message = f.object ? `${f.object}: ${f.message}` : f.message;
    if (format === 'github')
      return `::${f.severity} file=${githubProperty(f.file)}${f.line ? `,line=${f.line}` : ''},title=${githubProperty('sealkit validate')}::${githubData(message)}`;
    return `${f.file}${f.line ? `:${f.line}` : ''}: ${f.severity}: ${message}`;
  });
  if (format === 'text') lines.push(errors === 0 ? `${files} file(s) checked: valid.` : `${files} file(s) checked: ${errors} error(s).`);
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

export async function validateFilesCommand(
  paths: string[],
  options: ValidateFilesOptions,
  command: Command,
  extraCertificates: { from: string; pem: string }[] = [],
): Promise<void> {
  const format = reportFormat(options, command);
  const files = manifestFiles(paths);
  const local = await loadLocalKeyring();
  const localCertificates = (local?.keys ?? []).flatMap((key) =>
    key.certificate ? [{ from: 'the local keyring', pem: key.certificate.pem }] : [],
  );
  const certificates = await knownCertificates(options, [...extraCertificates, ...profileCertificates(options), ...localCertificates]);
  let keyring: Keyring | undefined;
  if (options.key.length > 0) {
    try {
      keyring = await loadKeyFiles(options.key, 'private key file', 'give a PEM private key or a controller key backup');
    } catch (error) {
      throw new CliError(describeError(error).message ?? 'The key files cannot be used.', 2);
    }
  }
  const findings = (await mapConcurrently(files, 16, (file) => validateFile(file, certificates, keyring))).flat();
  writeOutput(render(findings, files.length, format), options.sealedSecretFile);
  if (findings.some((finding) => finding.severity === 'error')) process.exitCode = 1;
}
