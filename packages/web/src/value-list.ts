/** The key/value rows of a Secret: add, remove, fill from dropped files. */
import { element } from './dom.js';
import { acceptFileDrops } from './files.js';
import type { NamedValue } from './secret.js';
import { ValueRow } from './value-row.js';

export class ValueList {
  #rows: ValueRow[] = [];
  #valuesVisible = false;
  readonly #list: HTMLOListElement;
  readonly #onError: (error: unknown) => void;

  constructor(list: HTMLOListElement, addButton: HTMLButtonElement, dropZone: HTMLElement, onError: (error: unknown) => void) {
    this.#list = list;
    this.#onError = onError;
    addButton.addEventListener('click', () => this.#add().keyInput?.focus());
    acceptFileDrops(dropZone, (files) => void this.#addFiles(files));
    this.#add();
  }

  /** The filled rows, in order. */
  read(): NamedValue[] {
    return this.#rows.filter((row) => !row.isBlank).map((row) => row.read());
  }

  showValues(visible: boolean): void {
    this.#valuesVisible = visible;
    for (const row of this.#rows) row.showValue(visible);
  }

  #add(): ValueRow {
    const row = new ValueRow({ withKey: true, onRemove: (removed) => this.#remove(removed), onError: this.#onError });
    row.showValue(this.#valuesVisible);
    this.#rows.push(row);
    this.#list.append(element('li', {}, [row.root]));
    return row;
  }

  #remove(row: ValueRow): void {
    const index = this.#rows.indexOf(row);
    this.#rows.splice(index, 1);
    row.root.parentElement?.remove();
    if (this.#rows.length === 0) this.#add();
    // Keyboard users keep their place: focus moves to the row that took this one's place.
    this.#rows[Math.min(index, this.#rows.length - 1)]?.keyInput?.focus();
  }

  async #addFiles(files: File[]): Promise<void> {
    for (const file of files) {
      const row = this.#rows.find((candidate) => candidate.isBlank) ?? this.#add();
      await row.loadFile(file).catch(this.#onError);
    }
  }
}
