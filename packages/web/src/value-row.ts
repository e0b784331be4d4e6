/**
 * One value to seal: typed or pasted into a multi-line field (masked unless the
 * user shows values), or loaded from a file (which a later keystroke replaces).
 * With a key field for Secret data; without one for a raw value.
 */
import { element } from './dom.js';
import { readFileBytes } from './files.js';
import type { NamedValue } from './secret.js';

let rowsMade = 0;

export interface ValueRowOptions {
  withKey: boolean;
  onRemove?: (row: ValueRow) => void;
  /** Receives a file that could not be loaded. */
  onError: (error: unknown) => void;
}

export class ValueRow {
  readonly root: HTMLElement;
  readonly keyInput: HTMLInputElement | undefined;
  readonly #valueInput: HTMLTextAreaElement;
  readonly #fileInput: HTMLInputElement;
  readonly #fileNote: HTMLElement;
  /** Bytes that stand in for the field's text: a loaded file, or pasted text whose CRs a textarea would drop. */
  #file: { name: string; bytes: Uint8Array } | undefined;

  constructor(options: ValueRowOptions) {
    const id = `value-${++rowsMade}`;
    this.#valueInput = element('textarea', { id, rows: 1, className: 'value masked', autocomplete: 'off', spellcheck: false });
    this.#valueInput.addEventListener('input', () => this.#setFile(undefined));
    this.#valueInput.addEventListener('paste', (event) => this.#pasteExactly(event));
    // Enter starts a new line in a value; Ctrl+Enter (⌘+Enter) seals, as Enter does in one-line fields.
    this.#valueInput.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey)) return;
      event.preventDefault();
      // Commit the edit first (its change event drops stale output), as leaving the field does.
      this.#valueInput.blur();
      this.#valueInput.form?.requestSubmit();
    });
    this.#fileNote = element('p', { id: `${id}-file`, className: 'file-note', hidden: true });
    this.#fileInput = element('input', { type: 'file', hidden: true });
    this.#fileInput.addEventListener('change', () => {
      const [file] = this.#fileInput.files ?? [];
      this.#fileInput.value = '';
      if (file) this.loadFile(file).catch(options.onError);
    });
    const loadButton = element('button', { type: 'button', className: 'secondary' }, ['Load file…']);
    loadButton.addEventListener('click', () => this.#fileInput.click());

    const fields: HTMLElement[] = [];
    if (options.withKey) {
      this.keyInput = element('input', { id: `${id}-key`, autocomplete: 'off', spellcheck: false, autocapitalize: 'off' });
      fields.push(element('div', { className: 'field' }, [element('label', { htmlFor: this.keyInput.id }, ['Key']), this.keyInput]));
    }
    fields.push(element('div', { className: 'field' }, [element('label', { htmlFor: id }, ['Value']), this.#valueInput]));
    const actions = element('div', { className: 'row-actions' }, [loadButton, this.#fileInput]);
    if (options.onRemove) {
      const removeButton = element('button', { type: 'button', className: 'secondary' }, ['Remove']);
      removeButton.setAttribute('aria-label', 'Remove this value');
      removeButton.addEventListener('click', () => options.onRemove!(this));
      actions.append(removeButton);
    }
    this.root = element('div', { className: options.withKey ? 'value-row' : 'value-row raw' }, [...fields, actions, this.#fileNote]);
  }

  /** Loads a file as the value; a key still empty becomes the file's name, as kubectl --from-file does. */
  async loadFile(file: File): Promise<void> {
    const bytes = await readFileBytes(file);
    this.#valueInput.value = '';
    this.#setFile({ name: file.name, bytes });
    if (this.keyInput && this.keyInput.value === '') this.keyInput.value = file.name;
    // A dropped file fires no change event of its own; the form listens for one to drop stale output.
    this.#valueInput.dispatchEvent(new Event('change', { bubbles: true }));
  }

  /**
   * A textarea turns CRLF into LF, which would change the value: text with CRs is kept
   * as pasted, byte for byte, and stands in for the field like a loaded file.
   */
  #pasteExactly(event: ClipboardEvent): void {
    const text = event.clipboardData?.getData('text/plain') ?? '';
    if (!text.includes('\r')) return; // the field keeps it exactly
    event.preventDefault();
    this.#valueInput.value = '';
    this.#setFile({ name: '', bytes: new TextEncoder().encode(text) });
    this.#valueInput.dispatchEvent(new Event('change', { bubbles: true }));
  }

  #setFile(file: { name: string; bytes: Uint8Array } | undefined): void {
    this.#file = file;
    this.#fileNote.hidden = !file;
    const origin = file?.name ? `the file ${file.name}` : 'pasted text, line endings kept';
    this.#fileNote.textContent = file ? `From ${origin} (${file.bytes.length} bytes); typing replaces it.` : '';
    this.#valueInput.placeholder = file ? (file.name ? 'Loaded from a file' : 'Pasted') : '';
    if (file) this.#valueInput.setAttribute('aria-describedby', this.#fileNote.id);
    else this.#valueInput.removeAttribute('aria-describedby');
  }

  /** Whether the user has put anything into the row; blank rows are left out. */
  get isBlank(): boolean {
    return !this.#file && this.#valueInput.value === '' && (this.keyInput?.value.trim() ?? '') === '';
  }

  read(): NamedValue {
    return {
      key: this.keyInput?.value.trim() ?? '',
      bytes: this.#file?.bytes ?? new TextEncoder().encode(this.#valueInput.value),
      field: this.keyInput?.id ?? this.#valueInput.id,
    };
  }

  showValue(visible: boolean): void {
    this.#valueInput.classList.toggle('masked', !visible);
  }
}
