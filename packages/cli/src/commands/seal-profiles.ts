/**
 * Sealing one input for several cluster profiles at once (--profile a,b): the
 * Secrets are read once and sealed with each profile's certificate, each result
 * written to the -w name with {profile} replaced by the profile's name.
 */
import { renderObjects } from '@sealkit/core/manifest';
import type { Command } from 'commander';
import { forEachDocument } from '../input/each-document.js';
import { sealingKeys } from '../keys/key-sources.js';
import { chosenProfiles } from '../keys/profiles.js';
import { outputFormat, writeOutput } from '../output/output.js';
import { CliError } from '../program/errors.js';
import { keySourceOptions, type KubesealOptions } from '../program/options.js';
import { sealOne, sealSettings, secretsToSeal } from './seal.js';

const PLACEHOLDER = '{profile}';

export async function sealForProfilesCommand(options: KubesealOptions, command: Command): Promise<void> {
  const pattern = options.sealedSecretFile;
  if (!pattern?.includes(PLACEHOLDER)) {
    throw new CliError(
      `Sealing for several profiles writes one file each: pass -w with ${PLACEHOLDER} in the name, e.g. -w 'sealed/${PLACEHOLDER}.yaml'.`,
    );
  }
  const profiles = chosenProfiles(options.profile, options);
  const { objects, list } = await secretsToSeal(options);
  const settings = sealSettings(options);
  for (const profile of profiles) {
    const file = pattern.split(PLACEHOLDER).join(profile.name);
    const keyring = await sealingKeys(keySourceOptions(options, command, profile));
    const sealed = await forEachDocument(objects, 'input', (secret) => sealOne(secret, keyring, settings));
    writeOutput(renderObjects(sealed, outputFormat(options.format, file), list), file);
  }
}
