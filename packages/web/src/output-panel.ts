/** Section 3: the sealed result, to copy or download. It holds ciphertext only. */
import { byId } from './dom.js';
import type { SealedOutput } from './sealing.js';

export class OutputPanel {
  readonly #section = byId('output-section', HTMLElement);
  readonly #text = byId('output', HTMLTextAreaElement);
  readonly #label = byId('output-label', HTMLLabelElement);
  readonly #summary = byId('output-summary', HTMLParagraphElement);
  readonly #status = byId('output-status', HTMLParagraphElement);
  #fileName = '';

  constructor() {
    byId('copy-output', HTMLButtonElement).addEventListener('click', () => void this.#copy());
    byId('download-output', HTMLButtonElement).addEventListener('click', () => this.#download());
  }

  show(output: SealedOutput): void {
    this.#text.value = output.text;
    this.#label.textContent = output.kind === 'sealed-secret' ? 'SealedSecret (YAML)' : 'Sealed value (base64, for spec.encryptedData)';
    this.#summary.textContent = output.summary;
    this.#status.textContent = '';
    this.#fileName = output.fileName;
    this.#section.hidden = false;
    this.#text.focus();
    this.#text.setSelectionRange(0, 0); // show the start of the result, not its end
    this.#text.scrollTop = 0;
  }

  /** Output sealed from inputs that have since changed would mislead, so it goes. */
  clear(): void {
    this.#section.hidden = true;
    this.#text.value = '';
  }

  async #copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.#text.value);
      this.#status.textContent = 'Copied to the clipboard.';
    } catch {
      this.#text.select();
      this.#status.textContent = 'The browser refused to copy; the text is selected, press Ctrl+C (⌘C on a Mac).';
    }
  }

  #download(): void {
    const url = URL.createObjectURL(new Blob([this.#text.value], { type: 'text/plain;charset=utf-8' }));
    const link = Object.assign(document.createElement('a'), { href: url, download: this.#fileName });
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 0);
    this.#status.textContent = `Saved as ${this.#fileName}.`;
  }
}
