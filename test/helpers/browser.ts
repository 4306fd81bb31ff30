/**
 * A real Chromium (Debian's, installed by `npm run setup:chromium`) driven by
 * playwright-core, for the page of `funes ui`. Everything here has a hard timeout:
 * a page holding an event stream open never goes "network idle", so nothing waits
 * for that, and a browser that does not close is killed.
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium. */
export const CHROMIUM = '/usr/bin/chromium';

/** Longest wait for any one browser step. */
export const STEP_MS = 15_000;

/** Rejects when `promise` has not settled within `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A browser with one page, and every console error and page error it reports. */
export interface BrowserSession {
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console errors and uncaught exceptions, as text. */
  readonly errors: string[];
  close(): Promise<void>;
}

/** Launches headless Chromium with one page of the given size. */
export async function openBrowser(width = 1280, height = 900): Promise<BrowserSession> {
  const server = await chromium.launchServer({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    timeout: 30_000,
  });
  const browser = await chromium.connect(server.wsEndpoint(), { timeout: 30_000 });
  const context = await browser.newContext({ viewport: { width, height } });
  context.setDefaultTimeout(STEP_MS);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page: ${error.message}`));
  return {
    browser,
    context,
    page,
    errors,
    async close() {
      try {
        await withTimeout(browser.close(), 10_000, 'closing the page');
        await withTimeout(server.close(), 10_000, 'closing Chromium');
      } catch {
        // A browser that does not close is ended by its process id.
        server.process().kill('SIGKILL');
      }
    },
  };
}
