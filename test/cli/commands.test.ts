// Help, version and shell completion for every command.
import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from './helpers.js';

const SUBCOMMANDS = ['keygen', 'rotate', 'keys', 'cert', 'unseal', 'edit', 'diff', 'completion'];
let sandbox: Sandbox;
beforeAll(() => {
  sandbox = new Sandbox();
});
afterAll(() => sandbox.cleanup());

describe('help and version', () => {
  it('prints the version like kubeseal does', async () => {
    const { version } = JSON.parse(
      execFileSync('node', ['-p', 'JSON.stringify(require("./packages/cli/package.json"))'], { encoding: 'utf8' }),
    );
    expect(await sandbox.run(['--version'])).toMatchObject({ code: 0, stdout: `sealkit version: ${version}\n` });
  });

  it('has help with examples on the root and on every subcommand', async () => {
    const root = await sandbox.run(['--help']);
    expect(root.code).toBe(0);
    for (const flag of [
      '--cert',
      '--raw',
      '--merge-into',
      '--re-encrypt',
      '--recovery-unseal',
      '--recovery-private-key',
      '--validate',
      '--fetch-cert',
      '--scope',
      '--controller-name',
      '--controller-namespace',
      '--kubeconfig',
      '--context',
      '--allow-empty-data',
    ]) {
      expect(root.stdout).toContain(flag);
    }
    expect(root.stdout).toContain('Examples:');
    for (const command of SUBCOMMANDS) {
      const help = await sandbox.run([command, '--help']);
      expect(help.code, command).toBe(0);
      expect(help.stdout, command).toContain(`Usage: sealkit ${command}`);
      expect(help.stdout, command).toContain('Examples:');
    }
  });

  it('rejects an unknown command or option with one line and exit code 2, naming a near command and a stray file, never a value', async () => {
    const command = await sandbox.run(['sael']);
    expect(command).toMatchObject({ code: 2, stdout: '' });
    expect(command.stderr).toMatch(
      /^error: An argument is neither a command nor an option \(an option's value may have been split from it by a space\); the commands are keygen, rotate, .*\n$/,
    );
    const unseal = await sandbox.run(['unsel', 'x.yaml']);
    expect(unseal.stderr).toBe("error: An argument is not a command; did you mean 'sealkit unseal'?\n");
    const file = sandbox.write('s.yaml', 'kind: Secret\n');
    const strayFile = await sandbox.run(['--cert', 'c.pem', file]);
    expect(strayFile).toMatchObject({ code: 2, stdout: '' });
    expect(strayFile.stderr).toContain(`pass -f "${file}"`);
    // A value that lost its option is not echoed.
    const stray = await sandbox.run(['--from-literal', 'password=', 'CANARY-stray-value']);
    expect(stray).toMatchObject({ code: 2 });
    expect(stray.stderr).toMatch(/^error: An argument is neither a command nor an option/);
    expect(stray.stderr).not.toContain('CANARY-stray-value');
    const option = await sandbox.run(['--sceop', 'strict']);
    expect(option).toMatchObject({ code: 2 });
    expect(option.stderr).toMatch(/^error: Unknown option '--sceop' \(Did you mean --scope\?\); see 'sealkit --help'\.\n$/);
    const valued = await sandbox.run(['--from-litral=password=CANARY-typo']);
    expect(valued.stderr).toBe("error: Unknown option '--from-litral=…'; see 'sealkit --help'.\n");
  });

  it('refuses root flags that mean nothing to a subcommand, and suggests cluster-wide for --scope cluster', async () => {
    const keygen = await sandbox.run(['keygen', '--raw']);
    expect(keygen).toMatchObject({ code: 2, stdout: '' });
    expect(keygen.stderr).toBe("error: --raw does not apply to 'sealkit keygen'; see 'sealkit keygen --help'.\n");
    const scope = await sandbox.run(['--scope', 'cluster']);
    expect(scope.code).toBe(2);
    expect(scope.stderr).toContain('Did you mean cluster-wide?');
  });
});

describe('sealkit completion', () => {
  it('prints a bash script that bash accepts and that completes subcommands and --scope values', async () => {
    const script = (await sandbox.run(['completion', 'bash'])).stdout;
    const file = sandbox.write('completion.bash', script);
    const complete = (line: string) => {
      const words = line.split(' ');
      const probe = `source ${file}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _sealkit; echo "\${COMPREPLY[@]}"`;
      return spawnSync('bash', ['-c', probe], { encoding: 'utf8' }).stdout.trim().split(/\s+/);
    };
    expect(complete('sealkit ke')).toEqual(['keygen', 'keys']);
    expect(complete('sealkit --scope n')).toEqual(['namespace-wide']);
    expect(complete('sealkit keygen --key')).toEqual(['--key-size']);
    expect(complete('sealkit completion z')).toEqual(['zsh']);
  });

  it('prints zsh and fish scripts naming every subcommand and option', async () => {
    const zsh = (await sandbox.run(['completion', 'zsh'])).stdout;
    const fish = (await sandbox.run(['completion', 'fish'])).stdout;
    expect(zsh.startsWith('#compdef sealkit\n')).toBe(true);
    for (const command of SUBCOMMANDS) {
      expect(zsh).toContain(`'${command}:`);
      expect(fish).toContain(`-a ${command} `);
    }
    expect(zsh).toContain("'--scope[");
    expect(fish).toContain("-l scope -x -a 'strict namespace-wide cluster-wide'");
  });

  it('names the shells it knows for an unknown one', async () => {
    const result = await sandbox.run(['completion', 'tcsh']);
    expect(result).toMatchObject({ code: 1, stderr: 'error: No completion for the shell "tcsh"; choose bash, zsh, fish.\n' });
  });
});
