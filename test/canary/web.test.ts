// Leak canaries for the sealing page in Chromium (pnpm build first): a recognisable value is
// typed, pasted or loaded, and then searched for in every place it could go: every network
// request (URL, headers, body) as the browser sent it and as the server received it, every
// console message and page error, the DOM (markup, text, title, URL, history state), every
// form control's value, localStorage, sessionStorage, IndexedDB, CacheStorage, cookies, and
// at the end the browser's whole profile directory on disk. It may only sit in the one field
// the user typed it into, and must be gone from the page once that field is removed.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair, unsealSecret, type GeneratedKeyPair } from '../../packages/core/src/index.js';
import { createPageServer } from '../../examples/web/serve.mjs';
import { CHROMIUM, skipReason } from '../web/browser.js';
import { canaryKey, canaryLabels, canaryValue, findCanaries, makeCanaryValue, scanTree, type KeyCanary } from './capture.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const dist = join(repo, 'packages/web/dist');
const { parse: parseYaml } = createRequire(join(repo, 'packages/core/package.json'))('yaml') as typeof import('yaml');

const VALUE = canaryValue.value;
// Put into the page's storage by the test itself at the very end, to show that the scan of the profile on disk finds storage.
const control = makeCanaryValue('control');

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** Everything the page holds that a value could end up in; `controls` maps each form control (by id or position) to its value. */
interface PageState {
  controls: Record<string, string>;
  places: Record<string, string>;
}

if (skipReason) console.warn(`test/canary/web.test.ts: ${skipReason}`);

describe.skipIf(skipReason)('the sealing page keeps the value to the field it was typed into', () => {
  let keys: GeneratedKeyPair;
  let key: KeyCanary;
  let server: ReturnType<typeof createPageServer>;
  let origin: string;
  let profile: string;
  let context: BrowserContext;
  let page: Page;
  const browserSent: Sent[] = [];
  const serverReceived: Sent[] = [];
  const consoleLines: string[] = [];

  beforeAll(async () => {
    [keys, key] = await Promise.all([generateKeyPair({ bits: 2048 }), canaryKey()]);
    server = createPageServer({ dir: dist, certificatePem: keys.certificatePem });
    server.on('request', (request) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () =>
        serverReceived.push({
          url: request.url ?? '',
          method: request.method ?? '',
          headers: request.headers as Record<string, string>,
          body: Buffer.concat(chunks),
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    // A profile of our own, so that what the browser keeps on disk can be searched afterwards.
    profile = mkdtempSync(join(tmpdir(), 'sealkit-canary-profile-'));
    const requireFromWeb = createRequire(join(repo, 'packages/web/package.json'));
    const { chromium } = (await import(requireFromWeb.resolve('playwright-core'))) as typeof import('playwright-core');
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: [
        ...['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'],
        ...['--disable-background-networking', '--disable-component-update', '--disable-sync'],
      ],
    });
    context.on('request', (request) => {
      browserSent.push({
        url: request.url(),
        method: request.method(),
        headers: request.headers(),
        body: request.postDataBuffer() ?? Buffer.alloc(0),
      });
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => {
      consoleLines.push(`${message.type()}: ${message.text()}`);
      void Promise.all(
        message.args().map((arg) =>
          arg.jsonValue().then(
            (value) => JSON.stringify(value),
            () => '',
          ),
        ),
      )
        .then((values) => consoleLines.push(...values))
        .catch(() => {});
    });
    page.on('pageerror', (error) => consoleLines.push(`pageerror: ${error.message}\n${error.stack ?? ''}`));
    page.on('websocket', (socket) => consoleLines.push(`websocket: ${socket.url()}`));
  });

  afterAll(async () => {
    await context?.close().catch(() => {});
    await new Promise((resolve) => server?.close(resolve));
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  async function openPage(): Promise<void> {
    await page.goto(`${origin}/`);
    await page.waitForSelector('#value-rows li');
  }

  async function fetchCertificate(): Promise<void> {
    await page.click('#fetch-certificate');
    await page.waitForSelector('.certificate-details');
  }

  async function seal(): Promise<{ output?: string; error?: string }> {
    await page.click('#seal');
    await page.waitForSelector('#output-section:not([hidden]), #form-error:not([hidden])');
    if (await page.isVisible('#form-error')) return { error: (await page.textContent('#form-error')) ?? '' };
    return { output: await page.inputValue('#output') };
  }

  /** The value typed key by key (input events and all), as a person would. */
  async function typeInto(selector: string, text: string): Promise<string> {
    const field = page.locator(selector);
    await field.fill('');
    await field.pressSequentially(text);
    return (await field.getAttribute('id')) ?? selector;
  }

  async function pageState(): Promise<PageState> {
    return page.evaluate(async () => {
      const controls: Record<string, string> = {};
      document
        .querySelectorAll<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>('input, textarea, select')
        .forEach((control, index) => {
          const files = control instanceof HTMLInputElement && control.files ? [...control.files].map((file) => file.name).join(',') : '';
          controls[control.id || `#${index} ${control.tagName.toLowerCase()}[name=${control.getAttribute('name') ?? ''}]`] =
            control.value + (files ? ` files:${files}` : '');
        });
      const storage = (area: Storage) =>
        JSON.stringify(Object.fromEntries(Array.from({ length: area.length }, (_, i) => [area.key(i), area.getItem(area.key(i)!)])));
      const databases = await indexedDB.databases().catch(() => []);
      const dumps: string[] = [];
      for (const { name } of databases) {
        if (!name) continue;
        const db = await new Promise<IDBDatabase>((resolve, reject) =>
          Object.assign(indexedDB.open(name), {
            onsuccess(this: IDBOpenDBRequest) {
              resolve(this.result);
            },
            onerror: reject,
          }),
        );
        for (const store of Array.from(db.objectStoreNames)) {
          const all = await new Promise<unknown[]>((resolve) =>
            Object.assign(db.transaction(store).objectStore(store).getAll(), {
              onsuccess(this: IDBRequest) {
                resolve(this.result as unknown[]);
              },
            }),
          );
          dumps.push(`${name}/${store}: ${JSON.stringify(all)}`);
        }
        db.close();
      }
      const cacheDumps: string[] = [];
      for (const cacheName of (await globalThis.caches?.keys()) ?? []) {
        const cache = await caches.open(cacheName);
        for (const request of await cache.keys())
          cacheDumps.push(`${cacheName} ${request.url} ${await (await cache.match(request))?.text()}`);
      }
      const workers = (await navigator.serviceWorker?.getRegistrations()) ?? [];
      return {
        controls,
        places: {
          markup: document.documentElement.outerHTML,
          text: document.body.innerText,
          title: document.title,
          url: location.href,
          windowName: window.name,
          historyState: JSON.stringify(history.state),
          localStorage: storage(localStorage),
          sessionStorage: storage(sessionStorage),
          cookies: document.cookie,
          indexedDB: `${databases.map((db) => db.name).join(',')}\n${dumps.join('\n')}`,
          caches: cacheDumps.join('\n'),
          serviceWorkers: workers.map((worker) => worker.scope).join(','),
          selection: String(getSelection()),
        },
      };
    });
  }

  /** Which controls and which places hold which canaries. */
  function whereCanaries(state: PageState): { controls: Record<string, string[]>; places: Record<string, string[]> } {
    const holding = (record: Record<string, string>) =>
      Object.fromEntries(
        Object.entries(record)
          .map(([name, text]) => [name, canaryLabels(findCanaries(text))] as const)
          .filter(([, labels]) => labels.length > 0),
      );
    return { controls: holding(state.controls), places: holding(state.places) };
  }

  async function opened(sealedYaml: string): Promise<Record<string, string>> {
    const secret = await unsealSecret(parseYaml(sealedYaml) as object, keys.privateKeyPem);
    return Object.fromEntries(Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
  }

  it('the search finds the value in page state, so the checks below can fail', () => {
    const state: PageState = {
      controls: { a: VALUE, b: 'x' },
      places: { markup: `<input value="${VALUE}">`, localStorage: JSON.stringify({ k: canaryValue.base64 }), text: '' },
    };
    expect(whereCanaries(state)).toEqual({ controls: { a: ['value'] }, places: { markup: ['value'], localStorage: ['value'] } });
  });

  it('keys and values: the typed value is only in its field, never in the result, the DOM or storage', async () => {
    await openPage();
    await fetchCertificate();
    await page.fill('#namespace', 'prod');
    await page.fill('#name', 'app');
    const row = page.locator('#value-rows li').first();
    await row.getByLabel('Key', { exact: true }).fill('password');
    const valueId = await row.getByLabel('Value', { exact: true }).getAttribute('id');
    await typeInto(`#${valueId}`, VALUE);
    const { output, error } = await seal();
    expect(error).toBeUndefined();
    expect(await opened(output!)).toEqual({ password: VALUE });
    expect(whereCanaries(await pageState())).toEqual({ controls: { [valueId!]: ['value'] }, places: {} });

    // Shown in clear: the field is no longer masked, the value still lives only in it.
    expect(await page.getAttribute(`#${valueId}`, 'class')).toContain('masked');
    await page.check('#show-values');
    expect(await page.getAttribute(`#${valueId}`, 'class')).not.toContain('masked');
    expect(whereCanaries(await pageState())).toEqual({ controls: { [valueId!]: ['value'] }, places: {} });
    await page.uncheck('#show-values');
  });

  it('removing the value takes it out of the page', async () => {
    const row = page.locator('#value-rows li').first();
    const valueId = await row.getByLabel('Value', { exact: true }).getAttribute('id');
    expect(canaryLabels(findCanaries(await page.inputValue(`#${valueId}`))), 'still typed in from the test above').toEqual(['value']);
    await row.getByRole('button', { name: 'Remove this value' }).click();
    expect(await page.locator(`#${valueId}`).count()).toBe(0);
    expect(whereCanaries(await pageState())).toEqual({ controls: {}, places: {} });
  });

  it('reloading the page does not bring a typed value back', async () => {
    await openPage();
    const valueId = await page.locator('#value-rows li').first().getByLabel('Value', { exact: true }).getAttribute('id');
    await page.locator('#value-rows li').first().getByLabel('Key', { exact: true }).fill('password');
    await typeInto(`#${valueId}`, VALUE);
    await page.check('#show-values'); // unmasked, which browsers may restore unless told not to
    await page.reload();
    await page.waitForSelector('#value-rows li');
    expect(whereCanaries(await pageState())).toEqual({ controls: {}, places: {} });
  });

  it('one raw value: only in its field', async () => {
    await openPage();
    await fetchCertificate();
    await page.getByLabel('One raw value').check();
    await page.fill('#namespace', 'prod');
    await page.fill('#name', 'app');
    const rawId = await typeInto('#raw-panel textarea.value', VALUE);
    const { output, error } = await seal();
    expect(error).toBeUndefined();
    expect(output).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    expect(whereCanaries(await pageState())).toEqual({ controls: { [rawId]: ['value'] }, places: {} });
  });

  it('a pasted manifest: only in the manifest field; a broken one is refused without quoting it', async () => {
    await openPage();
    await fetchCertificate();
    await page.getByLabel('A Secret manifest').check();
    const manifest = (body: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\n  namespace: prod\n${body}`;
    await page.fill('#manifest', manifest(`stringData:\n  password: ${VALUE}\n`));
    const { output, error } = await seal();
    expect(error).toBeUndefined();
    expect(await opened(output!)).toEqual({ password: VALUE });
    expect(whereCanaries(await pageState())).toEqual({ controls: { manifest: ['value'] }, places: {} });

    for (const broken of [
      manifest(`stringData:\n  password: "${VALUE}\n`),
      manifest(`stringData:\n  password: [${VALUE}\n`),
      manifest(`data:\n  password: "${VALUE}!"\n`),
      manifest(`stringData:\n  password: {nested: ${VALUE}}\n`),
      manifest(`stringData:\n  password: ${VALUE}\n---\nkind: Secret\n`),
      manifest(`stringData:\n  "bad key!": ${VALUE}\n`), // a key Kubernetes refuses, as the CLI refuses it
      manifest(`data:\n  - ${VALUE}\n`),
      `{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "app"}, "stringData": {"password": ${VALUE}}}`,
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app, namespace: prod}\ndata:\n  password: ${VALUE}\n`,
      `apiVersion: v1\nkind: Secret\nstringData:\n  password: ${VALUE}\n`,
      `- ${VALUE}\n`,
    ]) {
      await page.fill('#manifest', broken);
      const refused = await seal();
      expect(refused.error, broken).toBeDefined();
      expect(whereCanaries(await pageState()), broken).toEqual({ controls: { manifest: ['value'] }, places: {} });
    }
    await page.fill('#manifest', '');
    expect(whereCanaries(await pageState())).toEqual({ controls: {}, places: {} });
  });

  it('a loaded file: its bytes are in no field and nowhere in the page', async () => {
    await openPage();
    await fetchCertificate();
    await page.fill('#namespace', 'prod');
    await page.fill('#name', 'app');
    const row = page.locator('#value-rows li').first();
    const chooser = page.waitForEvent('filechooser');
    await row.getByRole('button', { name: 'Load file…' }).click();
    await (await chooser).setFiles({ name: 'password.txt', mimeType: 'text/plain', buffer: Buffer.from(VALUE) });
    await row.locator('.file-note:not([hidden])').waitFor();
    const { output, error } = await seal();
    expect(error).toBeUndefined();
    expect(await opened(output!)).toEqual({ 'password.txt': VALUE });
    expect(whereCanaries(await pageState())).toEqual({ controls: {}, places: {} });
  });

  it('refusals in the form never quote the value', async () => {
    await openPage();
    await fetchCertificate();
    await page.fill('#namespace', 'prod');
    const row = page.locator('#value-rows li').first();
    const valueId = await row.getByLabel('Value', { exact: true }).getAttribute('id');
    await typeInto(`#${valueId}`, VALUE);
    for (const [name, keyName] of [
      ['', 'password'], // no name
      ['app', ''], // no key
      ['app', 'bad key!'], // invalid key
      ['Bad_Name', 'password'], // invalid name
    ]) {
      await page.fill('#name', name!);
      await row.getByLabel('Key', { exact: true }).fill(keyName!);
      expect((await seal()).error).toBeDefined();
      expect(whereCanaries(await pageState())).toEqual({ controls: { [valueId!]: ['value'] }, places: {} });
    }
  });

  it('a private key pasted where the certificate belongs is refused without quoting it, and cleared with the field', async () => {
    await openPage();
    await page.getByLabel('Paste PEM').check();
    await page.fill('#certificate-pem', key.privateKeyPem);
    await page.locator('#certificate-status .error').waitFor();
    expect(whereCanaries(await pageState())).toEqual({ controls: { 'certificate-pem': ['key'] }, places: {} });
    await page.fill('#certificate-pem', '');
    expect(whereCanaries(await pageState())).toEqual({ controls: {}, places: {} });
  });

  it('sent nothing but GETs of its own assets and the certificate, none carrying a canary', () => {
    expect(browserSent.length).toBeGreaterThan(0);
    expect(serverReceived.length).toBeGreaterThan(0);
    for (const { method, url, headers, body } of [...browserSent, ...serverReceived]) {
      const where = `${method} ${url}`;
      expect(method, where).toBe('GET');
      expect(new URL(url, origin).origin, where).toBe(origin);
      expect(body.length, where).toBe(0);
      expect(findCanaries(`${url}\n${JSON.stringify(headers)}`), where).toEqual([]);
    }
  });

  it('logged no canary to the console and threw no error carrying one', async () => {
    await page.waitForTimeout(100); // console arguments are serialised asynchronously
    expect(consoleLines.filter((line) => findCanaries(line).length > 0)).toEqual([]);
    expect(consoleLines.filter((line) => line.startsWith('pageerror') || line.startsWith('websocket'))).toEqual([]);
  });

  it('left no canary in the browser profile on disk (session, storage, autofill, caches, history)', async () => {
    // The control: a canary the test itself stores in the page's origin, which the scan must find.
    await openPage();
    await page.evaluate((text) => localStorage.setItem('control', text), control.value);
    await page.goto('about:blank');
    await context.close(); // flushes what the browser keeps
    const scan = scanTree(profile);
    const labels = [...new Set(Object.values(scan).flatMap(canaryLabels))];
    expect(labels, JSON.stringify(scan, null, 1)).toEqual(['control']);
  });
});
