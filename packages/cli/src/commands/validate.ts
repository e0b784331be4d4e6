/** kubeseal --validate: can these SealedSecrets be opened? By the controller, or locally with keys. */
import type { Command } from 'commander';
import { SealkitError, unsealSecret } from '@sealkit/core';
import { describeObject, renderJson } from '@sealkit/core/manifest';
import { verifyInCluster } from '../cluster/controller-proxy.js';
import { localOpeningKeys, NO_OPENING_KEYS_HINT } from '../keys/key-sources.js';
import { clusterConfigured } from '../cluster/kubeconfig.js';
import { asClause, CliError } from '../program/errors.js';
import { keySourceOptions, type KubesealOptions } from '../program/options.js';
import { renderTemplatesInWorker } from '../seal/template-sandbox.js';
import { readSealedSecrets } from './unseal.js';

export async function validateCommand(options: KubesealOptions, command: Command): Promise<void> {
  const { objects } = await readSealedSecrets([], options.secretFile);
  const sources = keySourceOptions(options, command);
  const keyring = await localOpeningKeys(options.recoveryPrivateKey, sources);
  if (!keyring && !clusterConfigured(sources)) throw new CliError(`No keys to validate with: ${NO_OPENING_KEYS_HINT}.`);
  for (const sealed of objects) {
    const what = describeObject(sealed);
    if (keyring) {
      try {
        await unsealSecret(sealed, keyring, { renderTemplates: renderTemplatesInWorker });
      } catch (error) {
        if (!(error instanceof SealkitError)) throw error;
        throw new CliError(`Unable to decrypt ${what}: ${asClause(error.message)}.`);
      }
    } else if (!(await verifyInCluster(sources, renderJson(sealed)))) {
      throw new CliError(
        `Unable to decrypt ${what}: the controller ${sources.namespace}/${sources.name} cannot open it (sealed for another cluster, name, namespace or scope, or altered).`,
      );
    }
  }
}
