/** Section 1: gets the certificate from a URL, a file or pasted text, and shows what the user needs to verify it. */
import { byId, checkedValue, element } from './dom.js';
import { describeError } from './errors.js';
import { acceptFileDrops } from './files.js';
import { fetchCertificateText, isoDay, readCertificate, type SealingCertificate } from './certificate.js';

/** The controller's endpoint, relative so that it also works behind the API server's service proxy. */
const DEFAULT_CERTIFICATE_PATH = 'v1/cert.pem';
const DAY_MS = 86_400_000;

function details(certificate: SealingCertificate): HTMLElement {
  const { info } = certificate;
  const daysLeft = Math.floor((info.notAfter.getTime() - Date.now()) / DAY_MS);
  const rows: [string, string][] = [
    ['Key fingerprint', certificate.keyFingerprint],
    ['Certificate SHA-256', certificate.certificateSha256],
    ['Key', `RSA, ${certificate.bits} bits${info.mlkemEncapsulationKey ? ' + ML-KEM-768: values are sealed post-quantum' : ''}`],
    ['Expires', `${isoDay(info.notAfter)} (in ${daysLeft.toLocaleString('en')} ${daysLeft === 1 ? 'day' : 'days'})`],
  ];
  if (info.commonName) rows.push(['Common name', info.commonName]);
  return element(
    'dl',
    { className: 'certificate-details' },
    rows.flatMap(([term, value]) => [element('dt', {}, [term]), element('dd', {}, [value])]),
  );
}

export class CertificatePanel {
  #current: SealingCertificate | undefined;
  #attempt = 0;
  readonly #form: HTMLFormElement;
  readonly #status = byId('certificate-status', HTMLDivElement);
  readonly #url = byId('certificate-url', HTMLInputElement);

  constructor(form: HTMLFormElement) {
    this.#form = form;
    this.#url.value = new URL(DEFAULT_CERTIFICATE_PATH, document.baseURI).href;
    byId('fetch-certificate', HTMLButtonElement).addEventListener('click', () => this.#fetch());
    this.#url.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter') return;
      event.preventDefault(); // fetch, rather than seal
      this.#fetch();
    });
    const file = byId('certificate-file', HTMLInputElement);
    file.addEventListener('change', () => file.files?.[0] && this.#load(file.files[0].text()));
    const pasted = byId('certificate-pem', HTMLTextAreaElement);
    pasted.addEventListener('input', () => (pasted.value.trim() ? this.#load(Promise.resolve(pasted.value)) : this.#clear()));
    acceptFileDrops(byId('certificate-section', HTMLElement), ([dropped]) => dropped && this.#load(dropped.text()));
    // Opened from disk, there is no controller to fetch from: start with a file.
    if (location.protocol === 'file:')
      form.querySelector<HTMLInputElement>('input[name="certificate-source"][value="file"]')!.checked = true;
    for (const radio of form.querySelectorAll<HTMLInputElement>('input[name="certificate-source"]')) {
      radio.addEventListener('change', () => this.#showSource());
    }
    this.#showSource();
  }

  /** The certificate to seal with, if one is loaded and usable. */
  get current(): SealingCertificate | undefined {
    return this.#current;
  }

  #fetch(): void {
    void this.#load(fetchCertificateText(this.#url.value, new URL(document.baseURI)));
  }

  #clear(): void {
    this.#attempt++;
    this.#current = undefined;
    this.#status.replaceChildren();
  }

  #showSource(): void {
    const source = checkedValue(this.#form, 'certificate-source');
    for (const panel of ['url', 'file', 'paste']) byId(`certificate-${panel}-panel`, HTMLDivElement).hidden = panel !== source;
  }

  async #load(text: Promise<string>): Promise<void> {
    const attempt = ++this.#attempt;
    this.#current = undefined;
    this.#status.replaceChildren(element('p', {}, ['Reading the certificate…']));
    try {
      const certificate = await readCertificate(await text);
      if (attempt !== this.#attempt) return; // a newer attempt has started
      this.#current = certificate;
      this.#status.replaceChildren(element('p', { className: 'ok' }, ['Ready to seal with this certificate:']), details(certificate));
    } catch (error) {
      if (attempt !== this.#attempt) return;
      this.#status.replaceChildren(element('p', { className: 'error', role: 'alert' }, [describeError(error)]));
    }
  }
}
