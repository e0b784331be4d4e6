/** Where kubeconfigs are when none is named, as client-go looks: $KUBECONFIG (a path list), else ~/.kube/config. */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/** The default kubeconfig files that exist, in precedence order (the first that sets a value wins). */
export function defaultKubeconfigFiles(): string[] {
  const fromEnvironment = process.env.KUBECONFIG?.split(delimiter).filter(Boolean);
  const candidates = fromEnvironment?.length ? fromEnvironment : [join(homedir(), '.kube', 'config')];
  return candidates.filter((file) => existsSync(file));
}
