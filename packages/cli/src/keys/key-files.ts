/** Key files (PEM or controller key backups) loaded into one keyring, naming the file that is unusable. */
import { statSync } from 'node:fs';
import { Keyring } from '@sealkit/core';
import { readNamedText } from '../input/input.js';
import { asClause, CliError } from '../program/errors.js';
import { warn } from '../program/log.js';

/** Like ssh, speak up when others may read a private key; used anyway, since the damage is done. */
function warnIfExposed(file: string, text: string): void {
  const mode = statSync(file, { throwIfNoEntry: false })?.mode;
  if (mode === undefined || (mode & 0o077) === 0 || !/PRIVATE KEY|tls\.key/.test(text)) return;
  warn(`the private key file "${file}" is readable by others (mode ${(mode & 0o777).toString(8).padStart(4, '0')}); run chmod 600 on it.`);
}

/** `what` names the files in messages ("private key file"); `advice` ends the sentence for an unusable one. */
export async function loadKeyFiles(files: readonly string[], what: string, advice: string): Promise<Keyring> {
  const keyring = new Keyring();
  for (const file of files) {
    try {
      const text = await readNamedText(file, what);
      await keyring.add(text);
      warnIfExposed(file, text);
    } catch (error) {
      if (error instanceof CliError) throw error;
      throw new CliError(`Cannot use the ${what} "${file}": ${asClause((error as Error).message)}; ${advice}.`);
    }
  }
  return keyring;
}
