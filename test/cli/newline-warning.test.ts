// A one-line value ending with a newline (echo's) is sealed as given, with a warning that never shows it.
import { describe, expect, it } from 'vitest';
import { unseal } from '../../packages/core/src/index.js';
import { useSandboxWithKeys } from './helpers.js';

const { sandbox, keys } = useSandboxWithKeys();

const target = { namespace: 'prod', name: 'db' };
const raw = ['--raw', '--name', 'db', '-n', 'prod'];

describe('trailing newline warning', () => {
  it('warns for --raw from stdin and --from-file, and still seals the value unchanged', async () => {
    const fromStdin = await sandbox.run([...raw, '--cert', keys.certFile], { input: 'hunter2\n' });
    expect(fromStdin.code).toBe(0);
    expect(fromStdin.stderr).toBe(
      'warning: the --raw value (from stdin) ends with a newline, which is sealed as part of it; if that is not intended, write it with printf or echo -n.\n',
    );
    expect(new TextDecoder().decode(await unseal(keys.keyring, fromStdin.stdout, target))).toBe('hunter2\n');
    const file = sandbox.write('pw.txt', 'hunter2\r\n');
    const fromFile = await sandbox.run(['--cert', keys.certFile, '--name', 'db', '-n', 'prod', '--from-file', `password=${file}`]);
    expect(fromFile.code).toBe(0);
    expect(fromFile.stderr).toBe(
      `warning: the --from-file value "${file}" ends with a newline, which is sealed as part of it; if that is not intended, write it with printf or echo -n.\n`,
    );
    expect(fromFile.stderr).not.toContain('hunter2');
  });

  it('says nothing for values without one, or multi-line values such as PEM files', async () => {
    expect((await sandbox.run([...raw, '--cert', keys.certFile], { input: 'hunter2' })).stderr).toBe('');
    expect((await sandbox.run([...raw, '--cert', keys.certFile, '--from-file', keys.certFile])).stderr).toBe('');
    expect((await sandbox.run([...raw, '--cert', keys.certFile, '--from-literal', 'x=a b'])).stderr).toBe('');
  });
});
