/**
 * A manifest file edited in place (--merge-into, edit): only the edited entries
 * change. YAML is spliced (yaml-edit.ts); a JSON document is written again with
 * its own indentation, and the file's other documents stay byte-identical.
 * A file with CRLF line endings gets CRLF in what is written into it too.
 */
import { parseSource, renderJson, type ParsedSource, type SourceDocument } from '@sealkit/core/manifest';
import { applyMapEdit, type MapEdit } from './map-edit.js';
import { applySplices, yamlEditSplices, type Splice } from './yaml-edit.js';

/** The indentation a JSON document uses (two spaces when it has none to copy). */
function jsonIndent(text: string): string | number {
  return /\n([ \t]+)"/.exec(text)?.[1] ?? (text.includes('\n') ? 2 : 0);
}

export class ManifestFile {
  readonly #source: string;
  readonly #parsed: ParsedSource;
  readonly #splices: Splice[] = [];

  constructor(source: string, what: string) {
    this.#source = source;
    this.#parsed = parseSource(source, what);
  }

  get documents(): readonly SourceDocument[] {
    return this.#parsed.documents;
  }

  /** Applies edits to one document; call once per document. */
  edit(index: number, edits: readonly MapEdit[]): void {
    const document = this.#parsed.documents[index]!;
    if (document.yaml) {
      this.#splices.push(...yamlEditSplices(this.#source, document.yaml, edits));
      return;
    }
    const edited = edits.reduce((value, edit) => applyMapEdit(value, edit), document.value as Record<string, unknown>);
    if (JSON.stringify(edited) === JSON.stringify(document.value)) return;
    const original = this.#source.slice(document.start, document.end);
    this.#splices.push({ start: document.start, end: document.end, text: renderJson(edited, jsonIndent(original)).trimEnd() });
  }

  get changed(): boolean {
    return this.#splices.length > 0;
  }

  toString(): string {
    const crlf = /\r\n/.test(this.#source) && !/(^|[^\r])\n/.test(this.#source);
    const splices = crlf ? this.#splices.map((splice) => ({ ...splice, text: splice.text.replace(/\r?\n/g, '\r\n') })) : this.#splices;
    return applySplices(this.#source, splices);
  }
}
