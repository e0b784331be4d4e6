/**
 * sealkit post-render: a Helm post-renderer (helm install --post-renderer).
 * Manifests on stdin; every v1 Secret replaced by its SealedSecret (YAML), every
 * other document byte for byte as it came; the result on stdout.
 */
import type { Command } from 'commander';
import { parseSource, renderYaml, STREAM_YAML_LIMITS } from '@sealkit/core/manifest';
import { readInputText } from '../input/input.js';
import { sealingKeys } from '../keys/key-sources.js';
import { writeOutput } from '../output/output.js';
import { applySplices, type Splice } from '../output/yaml-edit.js';
import { keySourceOptions, type KubesealOptions } from '../program/options.js';
import { isSecret, sealForPipeline } from '../seal/delivery-sealing.js';
import { sealSettings } from './seal.js';

export async function postRenderCommand(options: KubesealOptions, command: Command): Promise<void> {
  const source = await readInputText(options.secretFile, 'input');
  const { documents } = parseSource(source, 'input', STREAM_YAML_LIMITS); // a whole release
  const secrets = documents.filter((document) => isSecret(document.value));
  if (secrets.length === 0) return writeOutput(source);
  const keyring = await sealingKeys(keySourceOptions(options, command));
  const settings = sealSettings(options);
  const splices: Splice[] = [];
  for (const [index, document] of secrets.entries()) {
    const sealed = await sealForPipeline(document.value as Record<string, unknown>, keyring, settings, `Secret ${index + 1} of the input`);
    const text = renderYaml(sealed);
    // From the object's first character: the "---" and "# Source:" comments before it stay.
    const start = (document.yaml?.contents as { range?: number[] } | null | undefined)?.range?.[0] ?? document.start;
    // A JSON document becomes YAML: a stream of YAML documents is what Helm reads back.
    splices.push({ start, end: document.end, text: source.slice(start, document.end).endsWith('\n') ? text : text.trimEnd() });
  }
  writeOutput(applySplices(source, splices));
}
