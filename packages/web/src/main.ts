/** The sealing page: wires the three sections together. Nothing typed here is sent anywhere. */
import { CertificatePanel } from './certificate-panel.js';
import { byId } from './dom.js';
import { UserError, describeError } from './errors.js';
import { keepDroppedFilesOnPage } from './files.js';
import { OutputPanel } from './output-panel.js';
import { SecretPanel } from './secret-panel.js';
import { WEBCRYPTO_REQUIRED } from './webcrypto-required.js';

const form = byId('seal-form', HTMLFormElement);
const sealButton = byId('seal', HTMLButtonElement);
const formError = byId('form-error', HTMLParagraphElement);
let invalidField: HTMLElement | undefined;

function showError(error: unknown): void {
  formError.textContent = describeError(error);
  formError.hidden = false;
  const field = error instanceof UserError && error.field ? document.getElementById(error.field) : null;
  if (field) {
    invalidField = field;
    field.setAttribute('aria-invalid', 'true');
    field.focus();
  }
}

function clearError(): void {
  formError.hidden = true;
  formError.textContent = '';
  invalidField?.removeAttribute('aria-invalid');
  invalidField = undefined;
}

keepDroppedFilesOnPage();
const certificates = new CertificatePanel(form);
const secret = new SecretPanel(form, showError);
const output = new OutputPanel();

if (!globalThis.crypto?.subtle) {
  const pageError = byId('page-error', HTMLParagraphElement);
  pageError.textContent = WEBCRYPTO_REQUIRED;
  pageError.hidden = false;
  sealButton.disabled = true;
}

form.addEventListener('input', () => output.clear());
form.addEventListener('change', () => output.clear());
form.addEventListener('submit', (event) => {
  event.preventDefault(); // nothing is ever submitted; the form only gathers input
  void seal();
});

async function seal(): Promise<void> {
  clearError();
  sealButton.disabled = true;
  try {
    const certificate = certificates.current;
    if (!certificate) throw new UserError('Load a valid certificate first, in step 1.');
    output.show(await secret.seal(certificate));
  } catch (error) {
    showError(error);
  } finally {
    sealButton.disabled = false;
  }
}
