/**
 * Where keys come from. To seal (certificate), in order:
 *   1. --cert FILE|URL, or $SEALED_SECRETS_CERT (kubeseal's flag and variable);
 *   2. the local keyring when asked for (--local-keyring, $SEALKIT_LOCAL_KEYRING);
 *   3. the cluster's controller when a cluster is configured, exactly as kubeseal;
 *   4. else the local keyring.
 * To open (private keys): key files given on the command line, else the local
 * keyring; --validate and --re-encrypt use the cluster's controller by the same rule.
 */
import { fileURLToPath } from 'node:url';
import { KEY_SECRET_LABEL, Keyring, SealkitError, sealingKeyring, type ValidityOptions } from '@sealkit/core';
import { fetchClusterCertificate, withoutCredentials, type ControllerLocation } from '../cluster/controller-proxy.js';
import { MAX_INPUT_BYTES, readResponseText, readTextFile } from '../input/files.js';
import { readNamedText } from '../input/input.js';
import { clusterConfigured } from '../cluster/kubeconfig.js';
import { asClause, CliError } from '../program/errors.js';
import { debug, note, warn } from '../program/log.js';
import { loadKeyFiles } from './key-files.js';
import { hasLocalKeyring, loadLocalKeyring, localKeyringDescription } from './local-keyring.js';

export interface KeySourceOptions extends ControllerLocation {
  cert?: string;
  /** --local-keyring: the local keyring even when a cluster is configured. */
  localKeyring: boolean;
  allowExpiredCert?: boolean;
  /** --classic: seal Bitnami's format even with a post-quantum certificate. */
  classic?: boolean;
}

const NO_CERTIFICATE_HINT =
  "run 'sealkit keygen' to make a local key, pass --cert FILE|URL (a certificate saved with 'sealkit --fetch-cert > cert.pem' where the cluster is reachable), or point --kubeconfig at a cluster running the sealed-secrets controller";

export const NO_OPENING_KEYS_HINT =
  "pass --recovery-private-key FILE (a tls.key PEM or a controller key backup), run 'sealkit keygen' for a local keyring, or point --kubeconfig at a cluster running the sealed-secrets controller";

const displayUrl = (url: URL) => withoutCredentials(url.href);

const isHttpUrl = (argument: string) => /^https?:\/\//i.test(argument);

/** A URL's user:password as basic authentication (as Go's HTTP client sends it); fetch refuses URLs that carry them. */
function withBasicAuthentication(url: URL): { plain: URL; headers: Record<string, string> } {
  if (!url.username && !url.password) return { plain: url, headers: {} };
  const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  const plain = new URL(withoutCredentials(url.href));
  return { plain, headers: { Authorization: `Basic ${Buffer.from(credentials).toString('base64')}` } };
}

async function fetchCertificateUrl(url: URL): Promise<string> {
  let response: Response;
  const { plain, headers } = withBasicAuthentication(url);
  try {
    response = await fetch(plain, { headers, redirect: 'follow', signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    // The fetch library's own words may quote the URL: credentials are stripped from them too.
    const reason = cause?.code ?? asClause(withoutCredentials(cause?.message ?? (error as Error).message));
    throw new CliError(`Cannot fetch the certificate from ${displayUrl(url)}: ${reason}.`);
  }
  if (!response.ok)
    throw new CliError(
      `Cannot fetch the certificate from ${displayUrl(url)}: the server answered ${response.status} ${response.statusText}.`,
    );
  return readResponseText(
    response,
    () => new CliError(`The certificate at ${displayUrl(url)} is larger than ${MAX_INPUT_BYTES >> 20} MiB; that is not a certificate.`),
  );
}

/** A PEM private key of any kind, or a controller key backup's tls.key. */
const PRIVATE_KEY_MARK = /PRIVATE KEY-----|["']?tls\.key["']?\s*:/;

/** The text of --cert: a file name, a file:// URL, or an http(s) URL (kubeseal accepts the same). */
async function readCertificateArgument(argument: string): Promise<string> {
  let text: string;
  if (isHttpUrl(argument)) text = await fetchCertificateUrl(new URL(argument));
  else if (/^file:\/\//i.test(argument)) text = readTextFile(fileURLToPath(argument), 'certificate file');
  // Named by its scheme only: the rest of a URL may carry credentials.
  else if (/^[a-z][a-z0-9+.-]+:\/\//i.test(argument))
    throw new CliError(`Cannot fetch the certificate over ${argument.split(':')[0]}; only files and http(s) URLs are supported.`);
  else text = await readNamedText(argument, 'certificate file');
  // --fetch-cert prints what --cert names, often into a file that gets committed: never a private key.
  if (PRIVATE_KEY_MARK.test(text)) {
    throw new CliError(
      `The certificate "${isHttpUrl(argument) ? displayUrl(new URL(argument)) : argument}" holds a private key; give the public certificate (the key backup's tls.crt, or 'sealkit cert') instead.`,
    );
  }
  return text;
}

export interface CertificateSource {
  pem: string;
  /** Which source it came from, for messages and --debug. */
  from: string;
}

/** Whether to use the local keyring rather than the cluster: asked for, or no cluster configured. */
function localKeyringChosen(options: KeySourceOptions): boolean {
  if (options.localKeyring) {
    if (!hasLocalKeyring())
      throw new CliError(
        `--local-keyring (or $SEALKIT_LOCAL_KEYRING) asks for the local keyring, but ${localKeyringDescription()} has none; run 'sealkit keygen' first.`,
      );
    return true;
  }
  return !clusterConfigured(options) && hasLocalKeyring();
}

/** Which keys were chosen, on stderr, whenever a local keyring exists: sealkit's choice is then not kubeseal's alone. */
function noteChoice(what: string, local: boolean, options: KeySourceOptions): void {
  if (local)
    note(`(sealkit: ${what} the local keyring in ${localKeyringDescription()}${options.localKeyring ? '' : ': no cluster is configured'})`);
  else if (hasLocalKeyring())
    note(
      `(sealkit: ${what} the cluster's controller ${options.namespace}/${options.name}; --local-keyring uses the local keyring instead)`,
    );
}

/** The certificate to seal with (or to print for --fetch-cert), by the precedence above; `doing` words the note on stderr. */
export async function resolveCertificate(options: KeySourceOptions, doing = 'sealing with'): Promise<CertificateSource> {
  if (options.cert) {
    return {
      pem: await readCertificateArgument(options.cert),
      from: `--cert ${isHttpUrl(options.cert) ? displayUrl(new URL(options.cert)) : options.cert}`,
    };
  }
  if (localKeyringChosen(options)) {
    const pem = (await loadLocalKeyring())?.activeCertificatePem;
    if (!pem)
      throw new CliError(`The newest key in ${localKeyringDescription()} has no certificate; run 'sealkit rotate' to make a new key.`);
    noteChoice(doing, true, options);
    return { pem, from: `the local keyring in ${localKeyringDescription()}` };
  }
  if (!clusterConfigured(options)) throw new CliError(`No certificate to seal with: ${NO_CERTIFICATE_HINT}.`);
  noteChoice(doing, false, options);
  return { pem: await fetchClusterCertificate(options), from: `the controller ${options.namespace}/${options.name}` };
}

/** Refuses an expired certificate unless allowed, and then warns (core's message, in sealkit's warning format). */
export function validityOptions(allowExpiredCert: boolean | undefined): ValidityOptions {
  return { allowExpired: allowExpiredCert, onWarning: (message) => warn(`${asClause(message.replace(/^warning:\s*/i, ''))}.`) };
}

/** A keyring that seals with the resolved certificate, refusing an expired one unless allowed (with a warning). */
export async function sealingKeys(options: KeySourceOptions): Promise<Keyring> {
  const { pem, from } = await resolveCertificate(options);
  debug(`sealing with the certificate from ${from}`);
  try {
    const keyring = await sealingKeyring(pem, validityOptions(options.allowExpiredCert));
    noteFormat(keyring, options.classic);
    return keyring;
  } catch (error) {
    if (!(error instanceof SealkitError)) throw error;
    if (error.code === 'expired-certificate') {
      throw new CliError(
        `${error.message.replace(/; fetch.*$/, '')} (from ${from}); fetch the controller's current certificate, or pass --allow-expired-cert to seal anyway.`,
      );
    }
    throw new CliError(
      `Cannot seal with the certificate from ${from}: ${asClause(error.message)}; expected a PEM certificate or public key.`,
    );
  }
}

/** Says on stderr when values are sealed post-quantum: the certificate carries an ML-KEM key and --classic was not given. */
export function noteFormat(keyring: Keyring, classic: boolean | undefined): void {
  if (!keyring.keys[0]?.postQuantum) return;
  if (classic) debug("sealing Bitnami's classic format (--classic) with a post-quantum certificate");
  else
    note(
      "(sealkit: sealing post-quantum (ML-KEM-768 + RSA): only sealkit's controller opens these values; --classic seals Bitnami's format)",
    );
}

/** A keyring from key files: PEM private keys or controller key backups (kubeseal's --recovery-private-key). */
async function keyringFromFiles(files: readonly string[]): Promise<Keyring> {
  const keyring = await loadKeyFiles(files, 'private key file', 'give a PEM private key or a controller key backup');
  if (!keyring.keys.some((key) => key.canOpen)) {
    throw new CliError(
      "The key files hold no private key; opening SealedSecrets needs the controller's private keys (tls.key PEM files or a key backup).",
    );
  }
  return keyring;
}

/**
 * Private keys from files, else the local keyring; undefined when neither exists. Given
 * `options` (--validate, --re-encrypt), undefined also when the cluster's controller is to be used.
 */
export async function localOpeningKeys(keyFiles: readonly string[], options?: KeySourceOptions): Promise<Keyring | undefined> {
  if (keyFiles.length > 0) return keyringFromFiles(keyFiles);
  if (options) {
    const local = localKeyringChosen(options);
    if (local || clusterConfigured(options)) noteChoice('opening with', local, options);
    if (!local) return undefined;
  } else if (!hasLocalKeyring()) return undefined;
  debug(`opening with the local keyring in ${localKeyringDescription()}`);
  return loadLocalKeyring();
}

/** Private keys to open SealedSecrets with; the error says how to provide them. */
export async function openingKeys(keyFiles: readonly string[], flagName: string): Promise<Keyring> {
  const keyring = await localOpeningKeys(keyFiles);
  if (!keyring) {
    throw new CliError(
      `No private key to open SealedSecrets with: pass ${flagName} FILE (a tls.key PEM or a controller key backup from kubectl get secret -n kube-system -l ${KEY_SECRET_LABEL} -o yaml), or run 'sealkit keygen' for a local keyring.`,
    );
  }
  return keyring;
}
