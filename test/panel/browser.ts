import { existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { REPO_ROOT } from '../helpers/paths';

export const CHROMIUM = '/usr/bin/chromium';
export const RESULTS = path.join(REPO_ROOT, 'test-results');

/** The skip reason when Debian's chromium is absent, printed so a missing browser never passes silently. */
export function chromiumMissing(): string | false {
  if (existsSync(CHROMIUM)) return false;
  const reason = `CHROMIUM MISSING: ${CHROMIUM} not found (apt-get install -y chromium); browser test skipped`;
  console.warn(`\n*** ${reason} ***\n`);
  return reason;
}

/** Flags from ../shared/docs/real-editor-testing.md, and a fresh profile per launch. */
export async function launch(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface PageWatch {
  dialogs: string[];
  errors: string[];
  console: string[];
}

/** Opens a saved page and records every dialog, page error and console line. */
export async function openPage(browser: Browser, file: string, colorScheme: 'dark' | 'light' = 'dark'): Promise<{ page: Page; watch: PageWatch }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, colorScheme });
  const watch: PageWatch = { dialogs: [], errors: [], console: [] };
  page.on('dialog', (d) => { watch.dialogs.push(d.message()); void d.dismiss(); });
  page.on('pageerror', (e) => watch.errors.push(e.message));
  page.on('console', (m) => watch.console.push(`${m.type()}: ${m.text()}`));
  await page.goto(`file://${file}`);
  await page.waitForSelector('#app[aria-busy="false"]', { timeout: 30_000 });
  return { page, watch };
}

export function screenshotPath(name: string): string {
  mkdirSync(RESULTS, { recursive: true });
  return path.join(RESULTS, name);
}
