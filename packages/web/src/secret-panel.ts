/** Section 2: what to seal (keys and values, a Secret manifest, or one raw value), where, and in which scope. */
import { isScope, scopeFromAnnotations, type Scope } from '@sealkit/core';
import type { SealingCertificate } from './certificate.js';
import { byId, checkedValue } from './dom.js';
import { acceptFileDrops } from './files.js';
import { parseManifest } from './manifest-yaml.js';
import { secretFromValues, type Placement } from './secret.js';
import { sealRawValue, sealWholeSecret, type SealedOutput } from './sealing.js';
import { ValueList } from './value-list.js';
import { ValueRow } from './value-row.js';

type Mode = 'values' | 'manifest' | 'raw';
const MODES: readonly Mode[] = ['values', 'manifest', 'raw'];

export class SecretPanel {
  readonly #form: HTMLFormElement;
  readonly #values: ValueList;
  readonly #rawValue: ValueRow;
  readonly #manifest = byId('manifest', HTMLTextAreaElement);
  readonly #namespace = byId('namespace', HTMLInputElement);
  readonly #name = byId('name', HTMLInputElement);

  constructor(form: HTMLFormElement, onError: (error: unknown) => void) {
    this.#form = form;
    this.#values = new ValueList(
      byId('value-rows', HTMLOListElement),
      byId('add-value', HTMLButtonElement),
      byId('values-panel', HTMLDivElement),
      onError,
    );

    const rawPanel = byId('raw-panel', HTMLDivElement);
    this.#rawValue = new ValueRow({ withKey: false, onError });
    rawPanel.append(this.#rawValue.root);
    acceptFileDrops(rawPanel, ([file]) => file && this.#rawValue.loadFile(file).catch(onError));

    this.#manifest.addEventListener('input', () => this.#followManifestScope());
    acceptFileDrops(this.#manifest, ([file]) => file && void this.#dropManifest(file).catch(onError));

    const showValues = byId('show-values', HTMLInputElement);
    showValues.addEventListener('change', () => {
      this.#values.showValues(showValues.checked);
      this.#rawValue.showValue(showValues.checked);
    });
    for (const radio of form.querySelectorAll<HTMLInputElement>('input[name="input-mode"]'))
      radio.addEventListener('change', () => this.#showMode());
    this.#showMode();
  }

  async seal(certificate: SealingCertificate): Promise<SealedOutput> {
    const scope = this.#scope;
    switch (this.#mode) {
      case 'values':
        return sealWholeSecret(secretFromValues(this.#placement, this.#values.read()), certificate, scope);
      case 'manifest':
        return sealWholeSecret(parseManifest(this.#manifest.value), certificate, scope);
      case 'raw':
        return sealRawValue(this.#rawValue.read().bytes, certificate, this.#placement);
    }
  }

  get #mode(): Mode {
    const mode = checkedValue(this.#form, 'input-mode');
    return MODES.find((known) => known === mode) ?? 'values';
  }

  get #scope(): Scope {
    const scope = checkedValue(this.#form, 'scope');
    return isScope(scope) ? scope : 'strict';
  }

  get #placement(): Placement {
    return { namespace: this.#namespace.value.trim(), name: this.#name.value.trim(), scope: this.#scope };
  }

  #showMode(): void {
    const mode = this.#mode;
    for (const panel of MODES) byId(`${panel}-panel`, HTMLDivElement).hidden = panel !== mode;
    // A manifest names itself and is shown in clear anyway.
    byId('placement', HTMLDivElement).hidden = mode === 'manifest';
    byId('show-values-option', HTMLLabelElement).hidden = mode === 'manifest';
  }

  /** A pasted manifest's scope annotations select the scope, as with kubeseal; the user can still change it. */
  #followManifestScope(): void {
    let manifest: { metadata?: { annotations?: Record<string, string> } };
    try {
      manifest = parseManifest(this.#manifest.value) as typeof manifest;
    } catch {
      return; // still being typed; sealing reports what is wrong
    }
    const scope = scopeFromAnnotations(manifest.metadata?.annotations);
    const radio = this.#form.querySelector<HTMLInputElement>(`input[name="scope"][value="${scope}"]`);
    if (radio) radio.checked = true;
  }

  async #dropManifest(file: File): Promise<void> {
    this.#manifest.value = await file.text();
    this.#manifest.dispatchEvent(new Event('input', { bubbles: true }));
  }
}
