/** Sealing, as the page offers it: a whole Secret into a SealedSecret, or one raw value. */
import { sealSecret, type Scope } from '@sealkit/core';
import { checkDates, type SealingCertificate } from './certificate.js';
import { toKubesealYaml } from './manifest-yaml.js';
import { targetOf, type Placement } from './secret.js';

export interface SealedOutput {
  kind: 'sealed-secret' | 'raw-value';
  text: string;
  fileName: string;
  /** One sentence for the user; names keys and places, never values. */
  summary: string;
}

function scopeWords(scope: Scope): string {
  return scope === 'strict' ? 'strict scope' : scope;
}

/** Said after every summary when the certificate carries an ML-KEM key: such values open only with sealkit's controller. */
function formatWords(certificate: SealingCertificate): string {
  return certificate.info.mlkemEncapsulationKey
    ? " Post-quantum (ML-KEM-768 + RSA): only sealkit's controller opens it, not Bitnami's."
    : '';
}

export async function sealWholeSecret(secret: object, certificate: SealingCertificate, scope: Scope): Promise<SealedOutput> {
  checkDates(certificate.info); // again: the page may have stayed open past the expiry
  const sealed = await sealSecret(secret, certificate.keyring, { scope });
  const { name, namespace } = sealed.metadata;
  const keys = Object.keys(sealed.spec.encryptedData);
  return {
    kind: 'sealed-secret',
    text: toKubesealYaml(sealed),
    fileName: `${name}.sealedsecret.yaml`,
    summary: `Sealed ${keys.length === 1 ? '1 value' : `${keys.length} values`} (${keys.join(', ')}) of ${namespace ? `${namespace}/` : ''}${name}, ${scopeWords(scope)}.${formatWords(certificate)}`,
  };
}

/** What `kubeseal --raw` prints: the base64 value for one key of spec.encryptedData. */
export async function sealRawValue(value: Uint8Array, certificate: SealingCertificate, placement: Placement): Promise<SealedOutput> {
  const target = targetOf(placement, false);
  checkDates(certificate.info);
  const where = [target.namespace, target.name].filter(Boolean).join('/');
  return {
    kind: 'raw-value',
    text: await certificate.keyring.seal(value, target),
    fileName: `${target.name ?? target.namespace ?? 'cluster-wide'}.sealed.txt`,
    summary: `Sealed one value${where ? ` for ${where}` : ''}, ${scopeWords(placement.scope)}.${formatWords(certificate)}`,
  };
}
