// The sealing page end to end in Chromium: it seals what is typed so that the
// private key opens exactly that, in every scope; it refuses unusable
// certificates; and nothing typed ever leaves the page.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Keyring,
  SCOPES,
  fromBase64,
  generateKeyPair,
  scopeFromAnnotations,
  toBase64,
  unseal,
  unsealSecret,
  type GeneratedKeyPair,
  type Scope,
} from '@sealkit/core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPageServer } from '../../examples/web/serve.mjs';
import { launchChromium, skipReason } from './browser.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const dist = join(repo, 'packages/web/dist');
const screenshots = join(repo, 'packages/web/build/screenshots');
const sealkitCli = join(repo, 'packages/cli/bin/sealkit.js');
const { parse: parseYaml } = createRequire(join(repo, 'packages/core/package.json'))('yaml') as typeof import('yaml');

interface TypedValue {
  key: string;
  /** Typed into the value field, or loaded as a file. */
  text?: string;
  file?: { name: string; bytes: Uint8Array };
}

const utf8 = (text: string) => new TextEncoder().encode(text);
const bytesOf = (value: TypedValue) => value.file?.bytes ?? utf8(value.text!);

// Every typed value carries this marker, so that any request carrying one is found.
const MARKER = `typed-${Math.random().toString(36).slice(2, 10)}`;
const VALUES: TypedValue[] = [
  { key: 'password', text: `${MARKER} pä$$ wörd "q" 'q' \\ 🔑` },
  { key: 'username', text: `${MARKER}-admin` },
  { key: 'blob.bin', file: { name: 'blob.bin', bytes: Uint8Array.of(0, 255, 10, 13, 0x80, ...utf8(MARKER)) } },
];

if (skipReason) console.warn(`test/web/page.test.ts: ${skipReason}`);

describe.skipIf(skipReason)('the sealing page in Chromium', () => {
  let keys: GeneratedKeyPair;
  let expired: GeneratedKeyPair;
  let server: ReturnType<typeof createPageServer>;
  let origin: string;
  let browser: Browser;
  let context: BrowserContext;
  let tab: Page;
  const browserRequests: { url: string; method: string; headers: Record<string, string>; body: string }[] = [];
  const serverRequests: { url: string; method: string; body: string }[] = [];
  const consoleErrors: string[] = [];
  const sealedByScope = new Map<Scope, string>();

  beforeAll(async () => {
    if (!existsSync(join(dist, 'index.html')))
      throw new Error('packages/web/dist is missing; build it first with pnpm build (or pnpm --filter @sealkit/web build).');
    [keys, expired] = await Promise.all([
      generateKeyPair({ bits: 2048 }),
      generateKeyPair({ bits: 2048, validDays: 1, notBefore: new Date('2020-01-01') }),
    ]);
    server = createPageServer({ dir: dist, certificatePem: keys.certificatePem });
    server.on('request', (request) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('latin1')));
      request.on('end', () => serverRequests.push({ url: request.url ?? '', method: request.method ?? '', body }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    context.on('request', (request) => {
      browserRequests.push({ url: request.url(), method: request.method(), headers: request.headers(), body: request.postData() ?? '' });
    });
    tab = await context.newPage();
    tab.on('console', (message) => message.type() === 'error' && consoleErrors.push(`${message.text()} (${message.location().url})`));
    tab.on('pageerror', (error) => consoleErrors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  /** The page, freshly loaded: one tab serves every test, as opening a tab costs more than loading the page. */
  async function openPage(): Promise<Page> {
    await tab.goto(`${origin}/`);
    return tab;
  }

  async function fetchCertificate(page: Page): Promise<void> {
    await page.click('#fetch-certificate');
    await page.waitForSelector('.certificate-details');
  }

  async function fillPlacement(page: Page, namespace: string, name: string, scope: Scope): Promise<void> {
    await page.fill('#namespace', namespace);
    await page.fill('#name', name);
    await page.check(`input[name="scope"][value="${scope}"]`);
  }

  async function fillValues(page: Page, values: TypedValue[]): Promise<void> {
    for (const [index, value] of values.entries()) {
      if (index > 0) await page.click('#add-value');
      const row = page.locator('#value-rows li').nth(index);
      if (value.file) {
        const chooser = page.waitForEvent('filechooser');
        await row.getByRole('button', { name: 'Load file…' }).click();
        await (
          await chooser
        ).setFiles({ name: value.file.name, mimeType: 'application/octet-stream', buffer: Buffer.from(value.file.bytes) });
        await row.locator('.file-note').waitFor();
      } else {
        await row.getByLabel('Key', { exact: true }).fill(value.key);
        await row.getByLabel('Value', { exact: true }).fill(value.text!);
      }
    }
  }

  /** Clicks Seal; the sealed text, or the error shown instead. */
  async function seal(page: Page): Promise<{ output?: string; error?: string }> {
    await page.click('#seal');
    await page.waitForSelector('#output-section:not([hidden]), #form-error:not([hidden])');
    if (await page.isVisible('#form-error')) return { error: (await page.textContent('#form-error')) ?? '' };
    return { output: await page.inputValue('#output') };
  }

  /** Loads the served certificate, fills in the Secret and seals it. */
  async function sealForm(page: Page, [namespace, name, scope]: [string, string, Scope], values: TypedValue[]) {
    await fetchCertificate(page);
    await fillPlacement(page, namespace, name, scope);
    await fillValues(page, values);
    return seal(page);
  }

  async function openedData(sealedYaml: string): Promise<Record<string, Uint8Array>> {
    const secret = await unsealSecret(parseYaml(sealedYaml) as object, keys.privateKeyPem);
    return Object.fromEntries(Object.entries(secret.data ?? {}).map(([key, value]) => [key, fromBase64(value)]));
  }

  const expectedData = (values: TypedValue[]) => Object.fromEntries(values.map((value) => [value.key, bytesOf(value)]));

  it('shows the fetched certificate: fingerprint, key and expiry', async () => {
    const page = await openPage();
    await fetchCertificate(page);
    const [key] = (await Keyring.from(keys.certificatePem)).keys;
    const details = await page.textContent('.certificate-details');
    expect(details).toContain(key!.fingerprint);
    expect(details).toContain('RSA, 2048 bits');
    expect(details).toContain(`Expires${key!.certificate!.notAfter.toISOString().slice(0, 10)} (in 3,6`);
  });

  describe.each(SCOPES)('%s scope', (scope) => {
    it('seals typed and file values so that the private key opens exactly them', async () => {
      const page = await openPage();
      const { output, error } = await sealForm(page, ['team-a', 'db-credentials', scope], VALUES);
      expect(error).toBeUndefined();
      const sealed = parseYaml(output!) as { metadata: { annotations?: Record<string, string>; namespace: string; name: string } };
      expect(scopeFromAnnotations(sealed.metadata.annotations)).toBe(scope);
      expect(sealed.metadata).toMatchObject({ namespace: 'team-a', name: 'db-credentials' });
      expect(await openedData(output!)).toEqual(expectedData(VALUES));
      expect(output).not.toContain(MARKER);
      sealedByScope.set(scope, output!);
    });

    it('opens with sealkit --recovery-unseal to exactly the typed values', () => {
      const sealed = sealedByScope.get(scope);
      expect(sealed, 'the sealing test above ran').toBeDefined();
      const folder = mkdtempSync(join(tmpdir(), 'sealkit-web-'));
      try {
        const keyFile = join(folder, 'key.pem');
        writeFileSync(keyFile, keys.privateKeyPem, { mode: 0o600 });
        const printed = execFileSync(process.execPath, [sealkitCli, '--recovery-unseal', '--recovery-private-key', keyFile], {
          input: sealed,
          encoding: 'utf8',
        });
        const secret = parseYaml(printed) as { data: Record<string, string> };
        expect(Object.fromEntries(Object.entries(secret.data).map(([key, value]) => [key, fromBase64(value)]))).toEqual(
          expectedData(VALUES),
        );
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    });
  });

  it('writes the SealedSecret as kubeseal does: keys sorted, scope annotations, nothing else', async () => {
    const page = await openPage();
    const { output } = await sealForm(
      page,
      ['payments', 'api-keys', 'namespace-wide'],
      [
        { key: 'stripe', text: `${MARKER}-1` },
        { key: 'empty', text: '' },
      ],
    );
    const shape = output!.replace(/^( {4}\w+: )[A-Za-z0-9+/]+={0,2}$/gm, '$1<sealed>');
    expect(shape).toBe(
      [
        '---',
        'apiVersion: bitnami.com/v1alpha1',
        'kind: SealedSecret',
        'metadata:',
        '  annotations:',
        '    sealedsecrets.bitnami.com/namespace-wide: "true"',
        '  name: api-keys',
        '  namespace: payments',
        'spec:',
        '  encryptedData:',
        '    empty: <sealed>',
        '    stripe: <sealed>',
        '  template:',
        '    metadata:',
        '      annotations:',
        '        sealedsecrets.bitnami.com/namespace-wide: "true"',
        '      name: api-keys',
        '      namespace: payments',
        '',
      ].join('\n'),
    );
    expect(await page.textContent('#output-summary')).toBe('Sealed 2 values (empty, stripe) of payments/api-keys, namespace-wide.');
  });

  it('seals a pasted Secret manifest, taking its scope from its annotations', async () => {
    const page = await openPage();
    await fetchCertificate(page);
    await page.getByLabel('A Secret manifest').check();
    const manifest = {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/basic-auth',
      metadata: {
        name: 'registry',
        namespace: 'shared',
        labels: { app: 'ci' },
        annotations: { 'sealedsecrets.bitnami.com/cluster-wide': 'true' },
      },
      stringData: { username: `${MARKER}-robot`, password: `${MARKER}\nsecond line` },
      data: { token: toBase64(utf8(`${MARKER}-token`)) },
    };
    await page.fill('#manifest', JSON.stringify(manifest, null, 2));
    expect(await page.isChecked('input[name="scope"][value="cluster-wide"]')).toBe(true);
    const { output, error } = await seal(page);
    expect(error).toBeUndefined();
    const secret = await unsealSecret(parseYaml(output!) as object, keys.privateKeyPem);
    expect(secret).toMatchObject({
      type: 'kubernetes.io/basic-auth',
      metadata: { name: 'registry', namespace: 'shared', labels: { app: 'ci' } },
    });
    expect(
      Object.fromEntries(Object.entries(secret.data!).map(([key, value]) => [key, new TextDecoder().decode(fromBase64(value))])),
    ).toEqual({
      username: `${MARKER}-robot`,
      password: `${MARKER}\nsecond line`,
      token: `${MARKER}-token`,
    });
  });

  it('writes a pasted manifest byte for byte as sealkit -o yaml does: YAML 1.1 words quoted, key2 before key10', async () => {
    const page = await openPage();
    await fetchCertificate(page);
    await page.getByLabel('A Secret manifest').check();
    const manifest = [
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      '  name: flags',
      '  namespace: prod',
      '  labels: {enabled: "on", key10: "no", key2: "y", tier: backend}',
      '  annotations:',
      '    note: "grüße 🔑\\nsecond line"',
      'stringData: {key10: a, key2: b}',
      '',
    ].join('\n');
    await page.fill('#manifest', manifest);
    const { output, error } = await seal(page);
    expect(error).toBeUndefined();
    const folder = mkdtempSync(join(tmpdir(), 'sealkit-web-'));
    try {
      const certFile = join(folder, 'cert.pem');
      writeFileSync(certFile, keys.certificatePem);
      const printed = execFileSync(process.execPath, [sealkitCli, '--cert', certFile, '-o', 'yaml'], { input: manifest, encoding: 'utf8' });
      const blank = (text: string) => text.replace(/[A-Za-z0-9+/]{300,}={0,2}/g, '<sealed>');
      expect(blank(output!)).toBe(blank(printed));
      expect(output).toMatch(/^ {8}enabled: "on"\n {8}key2: "y"\n {8}key10: "no"\n/m);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('seals one raw value for the target its scope names', async () => {
    const page = await openPage();
    await fetchCertificate(page);
    await page.getByLabel('One raw value').check();
    await fillPlacement(page, 'team-a', '', 'namespace-wide');
    await page.fill('#raw-panel textarea.value', `${MARKER}-raw`);
    const { output, error } = await seal(page);
    expect(error).toBeUndefined();
    expect(output).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    const opened = await unseal(keys.privateKeyPem, output!, { namespace: 'team-a', name: 'any-name', scope: 'namespace-wide' });
    expect(new TextDecoder().decode(opened)).toBe(`${MARKER}-raw`);
    await expect(unseal(keys.privateKeyPem, output!, { namespace: 'team-b', scope: 'namespace-wide' })).rejects.toThrow();
  });

  it('works from the keyboard alone, and moves focus to the result', async () => {
    const page = await openPage();
    await page.focus('#certificate-url');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.certificate-details');
    await page.focus('#namespace');
    await page.keyboard.type('team-a');
    await page.keyboard.press('Tab');
    await page.keyboard.type('keyboard');
    for (let presses = 0; presses < 20 && !(await page.evaluate(() => document.activeElement?.id.endsWith('-key'))); presses++) {
      await page.keyboard.press('Tab');
    }
    await page.keyboard.type('token');
    await page.keyboard.press('Tab');
    await page.keyboard.type(`${MARKER}-keys`);
    await page.keyboard.press('Enter'); // a new line in the value
    await page.keyboard.press('Control+Enter');
    await page.waitForSelector('#output-section:not([hidden])');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('output');
    expect(await openedData(await page.inputValue('#output'))).toEqual({ token: utf8(`${MARKER}-keys\n`) });
  });

  it('takes files dropped on the values and on the certificate section', async () => {
    const page = await openPage();
    const drop = async (selector: string, files: { name: string; bytes: number[] }[]) => {
      const dataTransfer = await page.evaluateHandle((dropped) => {
        const transfer = new DataTransfer();
        for (const { name, bytes } of dropped) transfer.items.add(new File([Uint8Array.from(bytes)], name));
        return transfer;
      }, files);
      await page.dispatchEvent(selector, 'dragover', { dataTransfer });
      await page.dispatchEvent(selector, 'drop', { dataTransfer });
    };
    await drop('#certificate-section', [{ name: 'cert.pem', bytes: [...utf8(keys.certificatePem)] }]);
    await page.waitForSelector('.certificate-details');
    const dropped = [
      { name: 'tls.key', bytes: [...utf8(`${MARKER}-dropped`)] },
      { name: 'raw.bin', bytes: [0, 1, 254, 255] },
    ];
    await drop('#values-panel', dropped);
    await page.waitForSelector('#value-rows li:nth-child(2) .file-note:not([hidden])');
    await fillPlacement(page, 'team-a', 'dropped', 'strict');
    const { output } = await seal(page);
    expect(await openedData(output!)).toEqual(Object.fromEntries(dropped.map(({ name, bytes }) => [name, Uint8Array.from(bytes)])));
  });

  it('labels every control', async () => {
    const page = await openPage();
    for (const mode of ['values', 'manifest', 'raw']) {
      await page.check(`input[name="input-mode"][value="${mode}"]`);
      const unnamed = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('input, textarea, button')]
          .filter((control) => control.offsetParent !== null)
          .filter(
            (control) =>
              !(
                (control as HTMLInputElement).labels?.length ||
                control.getAttribute('aria-label') ||
                (control instanceof HTMLButtonElement && control.textContent?.trim())
              ),
          )
          .map((control) => control.outerHTML),
      );
      expect(unnamed, mode).toEqual([]);
    }
  });

  it('copies and downloads the result', async () => {
    const page = await openPage();
    const { output } = await sealForm(page, ['team-a', 'copied', 'strict'], [{ key: 'k', text: `${MARKER}-copy` }]);
    await page.click('#copy-output');
    await page.waitForSelector('#output-status:has-text("Copied")');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(output);
    const download = page.waitForEvent('download');
    await page.click('#download-output');
    const file = await (await download).path();
    expect((await download).suggestedFilename()).toBe('copied.sealedsecret.yaml');
    expect(readFileSync(file, 'utf8')).toBe(output);
  });

  it('drops a stale result when the input changes', async () => {
    const page = await openPage();
    await sealForm(page, ['team-a', 'stale', 'strict'], [{ key: 'k', text: `${MARKER}-stale` }]);
    await page.fill('#name', 'changed');
    expect(await page.isHidden('#output-section')).toBe(true);
    expect(await page.inputValue('#output')).toBe('');
  });

  describe('refuses, with one clear sentence', () => {
    async function loadCertificateFile(page: Page, pem: string): Promise<string> {
      await page.getByLabel('From a file').check();
      await page.setInputFiles('#certificate-file', { name: 'cert.pem', mimeType: 'application/x-pem-file', buffer: Buffer.from(pem) });
      return (await page.locator('#certificate-status .error').textContent()) ?? '';
    }

    it('an expired certificate, and then sealing without one', async () => {
      const page = await openPage();
      expect(await loadCertificateFile(page, expired.certificatePem)).toBe(
        "This certificate expired on 2020-01-02; load the controller's current certificate.",
      );
      await fillPlacement(page, 'team-a', 'db', 'strict');
      await fillValues(page, [{ key: 'k', text: `${MARKER}-expired` }]);
      expect(await seal(page)).toEqual({ error: 'Load a valid certificate first, in step 1.' });
    });

    it('a certificate whose key is not RSA', async () => {
      const page = await openPage();
      const ecCertificate = readFileSync(fileURLToPath(new URL('fixtures/ec-p256-certificate.pem', import.meta.url)), 'utf8');
      expect(await loadCertificateFile(page, ecCertificate)).toMatch(
        /^The certificate's public key is not an RSA key .*; sealed secrets use RSA keys\.$/,
      );
    });

    it('a private key where the certificate belongs', async () => {
      const page = await openPage();
      await page.getByLabel('Paste PEM').check();
      await page.fill('#certificate-pem', keys.privateKeyPem);
      expect(await page.locator('#certificate-status .error').textContent()).toBe(
        "This text holds a private key; load the controller's public certificate instead, and keep private keys off this page.",
      );
    });

    it.each([
      [
        'another origin',
        'https://example.com/v1/cert.pem',
        (origin: string) =>
          `This page may only fetch from its own origin (${origin}); download the certificate and load it as a file instead.`,
      ],
      [
        'a missing certificate',
        '/no/cert.pem',
        (origin: string) => `${origin}/no/cert.pem answered 404; check the URL, or load the certificate from a file.`,
      ],
    ])('a URL of %s', async (_, url, message) => {
      const page = await openPage();
      await page.fill('#certificate-url', url);
      await page.click('#fetch-certificate');
      expect(await page.locator('#certificate-status .error').textContent()).toBe(message(origin));
    });

    it('a Secret without a name, pointing at the field', async () => {
      const page = await openPage();
      expect(await sealForm(page, ['team-a', '', 'strict'], [{ key: 'k', text: `${MARKER}-unnamed` }])).toEqual({
        error: "Enter the Secret's name.",
      });
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('name');
      expect(await page.getAttribute('#name', 'aria-invalid')).toBe('true');
    });
  });

  it('seals a multi-line value exactly as typed or pasted, CRLF included, masked until shown', async () => {
    const page = await openPage();
    await fetchCertificate(page);
    await fillPlacement(page, 'team-a', 'multi-line', 'strict');
    const typed = `${MARKER}-line1\nline2\n  indented\n`;
    const pasted = `${MARKER}-line1\nline2\r\nline3\n`;
    await fillValues(page, [
      { key: 'typed', text: typed },
      { key: 'pasted', text: '' },
    ]);
    const pastedRow = page.locator('#value-rows li').nth(1);
    await pastedRow.getByLabel('Value', { exact: true }).evaluate((field, text) => {
      const clipboardData = new DataTransfer();
      clipboardData.setData('text/plain', text);
      field.dispatchEvent(new ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true }));
    }, pasted);
    expect(await pastedRow.locator('.file-note').textContent()).toMatch(/^From pasted text, line endings kept \(\d+ bytes\)/);
    const field = page.locator('#value-rows li').first().getByLabel('Value', { exact: true });
    expect(await field.evaluate((element) => getComputedStyle(element).getPropertyValue('-webkit-text-security'))).toBe('disc');
    await page.check('#show-values');
    expect(await field.evaluate((element) => getComputedStyle(element).getPropertyValue('-webkit-text-security'))).toBe('none');
    await page.uncheck('#show-values');
    const { output, error } = await seal(page);
    expect(error).toBeUndefined();
    expect(await openedData(output!)).toEqual({ typed: utf8(typed), pasted: utf8(pasted) });
  });

  it('works opened from disk (file://): certificate from a file, sealing in the page', async () => {
    const local = await launchChromium();
    const folder = mkdtempSync(join(tmpdir(), 'sealkit-web-file-'));
    try {
      const certificateFile = join(folder, 'cert.pem');
      writeFileSync(certificateFile, keys.certificatePem);
      const page = await local.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
      await page.goto(`file://${join(dist, 'index.html')}`);
      expect(await page.evaluate(() => getComputedStyle(document.body).maxWidth)).not.toBe('none'); // styled
      expect(await page.isChecked('input[name="certificate-source"][value="file"]')).toBe(true);
      await page.setInputFiles('#certificate-file', certificateFile);
      await page.waitForSelector('.certificate-details');
      await fillPlacement(page, 'team-a', 'from-disk', 'strict');
      await fillValues(page, [{ key: 'k', text: `${MARKER}-disk` }]);
      const { output, error } = await seal(page);
      expect(error).toBeUndefined();
      expect(await openedData(output!)).toEqual({ k: utf8(`${MARKER}-disk`) });
      expect(errors).toEqual([]);
    } finally {
      await local.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('takes screenshots at desktop and at 375 px width, fitting the narrow screen', async () => {
    mkdirSync(screenshots, { recursive: true });
    const page = await openPage();
    await sealForm(page, ['team-a', 'db-credentials', 'strict'], VALUES);
    await page.screenshot({ path: join(screenshots, 'desktop.png'), fullPage: true });
    await page.setViewportSize({ width: 375, height: 812 });
    await page.screenshot({ path: join(screenshots, 'narrow-375.png'), fullPage: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('tells, on an insecure origin, that it needs WebCrypto', async () => {
    const insecure = await launchChromium([`--host-resolver-rules=MAP insecure.test 127.0.0.1`]);
    try {
      const page = await insecure.newPage();
      await page.goto(`http://insecure.test:${new URL(origin).port}/`);
      const needsWebCrypto = 'This page needs WebCrypto: open it over HTTPS or on localhost.';
      expect(await page.textContent('#page-error')).toBe(needsWebCrypto);
      expect(await page.isDisabled('#seal')).toBe(true);
      await page.click('#fetch-certificate');
      expect(await page.locator('#certificate-status .error').textContent()).toMatch(/WebCrypto.*HTTPS or on localhost/);
    } finally {
      await insecure.close();
    }
  });

  // Last: everything above has made its requests by now.
  describe('privacy', () => {
    it('asks nothing of the network on load but its own assets', async () => {
      const before = browserRequests.length;
      const page = await openPage();
      await page.waitForLoadState('networkidle');
      const paths = browserRequests.slice(before).map((request) => new URL(request.url).pathname);
      expect(paths[0]).toBe('/');
      expect(
        paths
          .slice(1)
          .map((path) => path.replace(/-[\w-]+\./, '-HASH.'))
          .sort(),
      ).toEqual(['/assets/index-HASH.js', '/assets/style-HASH.css']);
    });

    it('made no request but GETs of its own assets and the certificate', () => {
      expect(browserRequests.length).toBeGreaterThan(0);
      for (const request of browserRequests) {
        const url = new URL(request.url);
        expect(request.method, request.url).toBe('GET');
        expect(url.origin, request.url).toBe(origin);
        expect(url.pathname, request.url).toMatch(/^\/(assets\/(index-[\w-]+\.js|style-[\w-]+\.css)|v1\/cert\.pem|no\/cert\.pem)?$/);
        expect(request.body, request.url).toBe('');
      }
      expect(serverRequests.map((request) => request.method).every((method) => method === 'GET')).toBe(true);
    });

    it('sent no typed value, in any form, in any request', () => {
      const encodings = [MARKER, encodeURIComponent(MARKER), toBase64(utf8(MARKER)).slice(0, 8)];
      const sent = [
        ...browserRequests.map((r) => `${r.url}\n${JSON.stringify(r.headers)}\n${r.body}`),
        ...serverRequests.map((r) => `${r.url}\n${r.body}`),
      ].join('\n');
      for (const encoding of encodings) expect(sent).not.toContain(encoding);
    });

    it('broke no rule of its Content-Security-Policy and logged no error', () => {
      // Except the 404 asked for above, which the browser logs itself.
      expect(consoleErrors.filter((error) => !error.includes('/no/cert.pem'))).toEqual([]);
    });
  });
});
