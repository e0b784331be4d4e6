/** Key files (PEM or controller key backups) loaded into one keyring, naming the file that is unusable. */
import { Keyring } from '@sealkit/core';
import { asClause, CliError } from './errors.js';
import { readTextFile } from './files.js';

/** `what` names the files in messages ("private key file"); `advice` ends the sentence for an unusable one. */
export async function loadKeyFiles(files: readonly string[], what: string, advice: string): Promise<Keyring> {
  const keyring = new Keyring();
  for (const file of files) {
    try {
      await keyring.add(readTextFile(file, what));
    } catch (error) {
      if (error instanceof CliError) throw error;
      throw new CliError(`Cannot use the ${what} "${file}": ${asClause((error as Error).message)}; ${advice}.`);
    }
  }
  return keyring;
}
