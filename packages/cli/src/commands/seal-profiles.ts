/**
 * Sealing one input for several cluster profiles at once (--profile a,b): the
 * Secrets are read once and sealed with each profile's certificate, each result
 * written to the -w name with {profile} replaced by the profile's name, in
 * directories made as needed (-w 'sealed/{profile}/db.yaml').
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { forEachDocument } from '../input/each-document.js';
import { CliError } from '../program/errors.js';
import { fileError } from '../input/files.js';
import { sealingKeys } from '../keys/key-sources.js';
import { keySourceOptions, type KubesealOptions } from '../program/options.js';
import { outputFormat, writeOutput } from '../output/output.js';
import { chosenProfiles, PROFILE_PLACEHOLDER } from '../keys/profiles.js';
import { renderObjects } from '@sealkit/core/manifest';
import { sealOne, sealSettings, secretsToSeal } from './seal.js';

function makeDirectoryFor(file: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      throw new CliError(`Cannot create the directory "${dirname(file)}": a file of that name is in the way.`);
    throw fileError('create', 'directory', dirname(file), error);
  }
}

export async function sealForProfilesCommand(options: KubesealOptions, command: Command): Promise<void> {
  const pattern = options.sealedSecretFile;
  if (!pattern?.includes(PROFILE_PLACEHOLDER)) {
    throw new CliError(
      `Sealing for several profiles writes one file each: pass -w with ${PROFILE_PLACEHOLDER} in the name, e.g. -w 'sealed/${PROFILE_PLACEHOLDER}.yaml'.`,
    );
  }
  const profiles = chosenProfiles(options.profile, options);
  if (profiles.length === 0)
    throw new CliError(
      `-w names ${PROFILE_PLACEHOLDER}, but no profile is chosen; give --profile NAME or a default profile in the profiles file.`,
    );
  const { objects, list } = await secretsToSeal(options);
  const settings = sealSettings(options);
  for (const profile of profiles) {
    const file = pattern.split(PROFILE_PLACEHOLDER).join(profile.name);
    const keyring = await sealingKeys(keySourceOptions(options, command, profile));
    const sealed = await forEachDocument(objects, 'input', (secret) => sealOne(secret, keyring, settings));
    makeDirectoryFor(file);
    writeOutput(renderObjects(sealed, outputFormat(options.format, file), list), file);
  }
}
