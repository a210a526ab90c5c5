import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env.TROVE_CHROMIUM ?? '/usr/bin/chromium';
const SCREENSHOT_DIR = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));

/**
 * Debian's chromium, headless. Playwright gives each launch a fresh temporary profile
 * (its own --user-data-dir), so runs never share state.
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    chromiumSandbox: false,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A page with a desktop-sized viewport whose uncaught errors fail the test that reads `errors`. */
export async function newPage(browser: Browser, baseURL: string): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1400, height: 900 }, colorScheme: 'light' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(m.text());
  });
  return { page, errors };
}

/** `newPage`, then navigates it to `path`. */
export async function openPage(
  browser: Browser,
  baseURL: string,
  path: string,
): Promise<{ page: Page; errors: string[] }> {
  const opened = await newPage(browser, baseURL);
  await opened.page.goto(path);
  return opened;
}

/** Saves `docs/screenshots/<name>.png` when TROVE_UI_SCREENSHOTS is set (`npm run screenshots:ui`). */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (!process.env.TROVE_UI_SCREENSHOTS) return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.waitForTimeout(150); // let charts finish their first frame
  await page.screenshot({ path: `${SCREENSHOT_DIR}${name}.png` });
}

/** True when some pixel of the canvas is not fully transparent (something was drawn). */
export async function canvasHasInk(page: Page, selector: string): Promise<boolean> {
  return page
    .locator(selector)
    .first()
    .evaluate((el) => {
      const canvas = el instanceof HTMLCanvasElement ? el : el.querySelector('canvas');
      if (!canvas) return false;
      const ctx = canvas.getContext('2d');
      if (!ctx) return false;
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      let inked = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) inked++;
      return inked > 100;
    });
}
