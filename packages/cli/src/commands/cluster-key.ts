/**
 * `sealkit keys` beside the local keys: the key the configured cluster (or
 * profile) seals with now, and whether the local keyring holds it. Asked only
 * when a cluster or profile is configured; trouble reaching it is a warning.
 */
import type { Command } from 'commander';
import { Keyring } from '@sealkit/core';
import { renderJson, renderYaml, type OutputFormat } from '@sealkit/core/manifest';
import { resolveCertificate } from '../keys/key-sources.js';
import { singleProfile } from '../keys/profiles.js';
import { clusterConfigured } from '../cluster/kubeconfig.js';
import { describeError } from '../program/errors.js';
import { warn } from '../program/log.js';
import { keySourceOptions, type GlobalOptions } from '../program/options.js';

export interface ClusterKey {
  line: string;
  row: { cluster: string; fingerprint: string; bits: number; expiresAt?: string; inLocalKeyring: boolean };
}

export async function clusterKey(options: GlobalOptions, command: Command, local: Keyring | undefined): Promise<ClusterKey | undefined> {
  const sources = keySourceOptions(options, command);
  if (!sources.cert && !clusterConfigured(sources)) return undefined;
  try {
    const { pem, from: source } = await resolveCertificate({ ...sources, localKeyring: false });
    const profile = singleProfile(options);
    const from = profile ? `profile "${profile.name}", ${source}` : source;
    const key = (await Keyring.from(pem)).keys[0]!;
    const inLocalKeyring = local?.fingerprints.includes(key.fingerprint) ?? false;
    const expires = key.certificate?.notAfter.toISOString().slice(0, 10) ?? 'unknown';
    return {
      line: `cluster's active key (${from}): ${key.fingerprint}  expires ${expires}  RSA-${key.bits}  ${inLocalKeyring ? '(in the local keyring)' : '(not in the local keyring)'}`,
      row: {
        cluster: from,
        fingerprint: key.fingerprint,
        bits: key.bits,
        expiresAt: key.certificate?.notAfter.toISOString(),
        inLocalKeyring,
      },
    };
  } catch (error) {
    warn(`cannot show the cluster's active key: ${describeError(error).message ?? 'unknown failure'}`);
    return undefined;
  }
}

export function renderClusterKey(cluster: ClusterKey, format: OutputFormat): string {
  return format === 'json' ? renderJson([cluster.row]) : renderYaml([cluster.row]);
}
