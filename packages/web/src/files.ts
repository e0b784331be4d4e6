/** Files the user hands to the page, by file input or by drag and drop. They are read here and go nowhere else. */
import { UserError } from './errors.js';

/** The API server refuses Secrets over 1 MiB, so a larger file cannot become a value. */
const SECRET_SIZE_LIMIT = 1024 * 1024;

export async function readFileBytes(file: File): Promise<Uint8Array> {
  if (file.size > SECRET_SIZE_LIMIT) {
    throw new UserError(`The file "${file.name}" is ${(file.size / SECRET_SIZE_LIMIT).toFixed(1)} MiB; a Secret holds at most 1 MiB.`);
  }
  return new Uint8Array(await file.arrayBuffer());
}

/** Calls `onFiles` with the files dropped on `zone`, and marks the zone while files hover over it. */
export function acceptFileDrops(zone: HTMLElement, onFiles: (files: File[]) => void): void {
  const hasFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false;
  zone.addEventListener('dragover', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.stopPropagation();
    zone.classList.add('drop-target');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('drop-target'));
  zone.addEventListener('drop', (event) => {
    zone.classList.remove('drop-target');
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.stopPropagation();
    onFiles([...(event.dataTransfer?.files ?? [])]);
  });
}

/** A file dropped outside every zone would make the browser leave the page, and the typed values with it. */
export function keepDroppedFilesOnPage(): void {
  for (const type of ['dragover', 'drop'] as const) window.addEventListener(type, (event) => event.preventDefault());
}
