// Debian's Chromium driven by playwright-core, for the page's end-to-end tests.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Why the browser tests cannot run here, or undefined. In CI a missing browser is a failure, not a reason. */
export const skipReason =
  !existsSync(CHROMIUM) && process.env.CI !== 'true'
    ? `${CHROMIUM} is missing, so the browser tests are skipped (apt-get install chromium; with CI=true they fail instead).`
    : undefined;

export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  // playwright-core is a devDependency of packages/web, not of the repository root.
  const requireFromWeb = createRequire(fileURLToPath(new URL('../../packages/web/package.json', import.meta.url)));
  const { chromium } = (await import(requireFromWeb.resolve('playwright-core'))) as typeof import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      ...['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'],
      ...['--disable-background-networking', '--disable-component-update', '--disable-sync'],
      ...extraArgs,
    ],
  });
}
