/**
 * sealkit kustomize [CONFIG]: Secrets (secretGenerator's too) sealed inside
 * `kustomize build`. Two plugin styles, told apart by the input:
 *  - an exec KRM function (config.kubernetes.io/function: exec): a ResourceList on
 *    stdin with the function's config as functionConfig; a ResourceList out;
 *  - a legacy exec transformer plugin (what `kubectl kustomize --enable-alpha-plugins`
 *    runs): CONFIG is the plugin's config file, the resources a YAML stream on stdin.
 * The config (kind SealSecrets) may name `cert` (a file relative to the
 * kustomization, or a URL), `profile`, `scope` and `namespace`; without, sealkit's
 * usual certificate order applies (local keyring, profile, cluster).
 */
import { isAbsolute, join } from 'node:path';
import type { Command } from 'commander';
import { isScope } from '@sealkit/core';
import { isObject, parseSource, renderYaml, STREAM_YAML_LIMITS, type KubeObject } from '@sealkit/core/manifest';
import { readTextFile } from '../input/files.js';
import { readInputText } from '../input/input.js';
import { sealingKeys } from '../keys/key-sources.js';
import { chosenProfiles } from '../keys/profiles.js';
import { writeOutput } from '../output/output.js';
import { CliError } from '../program/errors.js';
import { keySourceOptions, type KubesealOptions } from '../program/options.js';
import { isSecret, sealForPipeline } from '../seal/delivery-sealing.js';
import { sealSettings } from './seal.js';

interface PluginConfig {
  cert?: string;
  profile?: string;
  scope?: string;
  namespace?: string;
}

function pluginConfig(value: unknown, what: string): PluginConfig {
  const object = isObject(value) ? value : {};
  // Settings at the top, under spec (a typed config), or under data (the ConfigMap kpt builds from `-- key=value`).
  const fields = isObject(object.spec) ? object.spec : object.kind === 'ConfigMap' && isObject(object.data) ? object.data : object;
  const config: PluginConfig = {};
  for (const field of ['cert', 'profile', 'scope', 'namespace'] as const) {
    const setting = fields[field];
    if (setting === undefined) continue;
    if (typeof setting !== 'string') throw new CliError(`The ${field} in the ${what} is not text.`);
    config[field] = setting;
  }
  if (config.scope !== undefined && !isScope(config.scope))
    throw new CliError(`The scope in the ${what} is "${config.scope}"; use strict, namespace-wide or cluster-wide.`);
  return config;
}

async function sealAll(
  items: unknown[],
  config: PluginConfig,
  root: string,
  options: KubesealOptions,
  command: Command,
): Promise<unknown[]> {
  if (!items.some(isSecret)) return items;
  const cert =
    config.cert && !/^[a-z][a-z0-9+.-]*:\/\//i.test(config.cert) && !isAbsolute(config.cert) ? join(root, config.cert) : config.cert;
  const profile = config.profile ? chosenProfiles(config.profile, options)[0] : undefined;
  const sources = keySourceOptions(options, command, profile);
  const keyring = await sealingKeys(cert ? { ...sources, cert } : sources);
  const settings = {
    ...sealSettings(options),
    ...(config.scope ? { scope: config.scope as KubesealOptions['scope'] } : {}),
    ...(config.namespace ? { defaultNamespace: () => config.namespace! } : {}),
  };
  return Promise.all(
    items.map((item, index) => (isSecret(item) ? sealForPipeline(item, keyring, settings, `resource ${index + 1}`) : item)),
  );
}

export async function kustomizeCommand(configFile: string | undefined, options: KubesealOptions, command: Command): Promise<void> {
  const { documents } = parseSource(await readInputText(undefined, 'input'), 'input', STREAM_YAML_LIMITS); // a whole build
  const first = documents[0]?.value;
  if (documents.length === 1 && isObject(first) && first.kind === 'ResourceList') {
    if (!Array.isArray(first.items)) throw new CliError('The ResourceList on stdin has no items list.');
    const config = pluginConfig(first.functionConfig, 'functionConfig');
    const items = await sealAll(first.items, config, process.cwd(), options, command);
    return writeOutput(renderYaml({ ...first, items }));
  }
  // A legacy exec plugin: kustomize passes the config file and its directory.
  const root = process.env.KUSTOMIZE_PLUGIN_CONFIG_ROOT ?? process.cwd();
  const config = configFile
    ? pluginConfig(parseSource(readTextFile(configFile, 'plugin config'), 'plugin config').documents[0]?.value, 'plugin config')
    : {};
  const items = await sealAll(
    documents.map((document) => document.value as KubeObject),
    config,
    root,
    options,
    command,
  );
  writeOutput(items.map((item) => renderYaml(item)).join('---\n'));
}
