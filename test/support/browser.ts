/**
 * Debian's Chromium driven by playwright-core (not the Playwright test runner; its browser download
 * is not possible here), for the end-to-end tests and the renderer bench: a fresh temporary
 * profile per launch, a 1440×900 viewport, Chromium's fake microphone (optionally fed from a WAV
 * file) and fake-UI permission prompts, downloads accepted into the profile's folder.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.TRUNKSCOPE_CHROMIUM ?? '/usr/bin/chromium';
export const VIEWPORT = { width: 1440, height: 900 } as const;

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** The temporary profile folder (removed by close()). */
  profileDir: string;
  /** Close the browser (bounded) and remove its profile. Safe to call twice. */
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** WAV file Chromium's fake microphone plays (looped). Without it: Chromium's beep generator. */
  fakeAudioWav?: string;
  /** Extra Chromium switches. */
  args?: string[];
  colorScheme?: 'light' | 'dark';
  /** Milliseconds before a launch that has not finished is abandoned. */
  timeoutMs?: number;
}

export function chromiumArgs(fakeAudioWav?: string): string[] {
  const args = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--no-default-browser-check',
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    // AudioContext must run without a user gesture (the mic path starts from an engine event).
    '--autoplay-policy=no-user-gesture-required',
  ];
  if (fakeAudioWav) args.push(`--use-file-for-fake-audio-capture=${fakeAudioWav}`);
  return args;
}

/** Launch Chromium with a fresh profile and open one page. */
export async function launchBrowser(opts: LaunchOptions = {}): Promise<BrowserSession> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install -y chromium`);
  const profileDir = mkdtempSync(join(tmpdir(), 'trunkscope-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: [...chromiumArgs(opts.fakeAudioWav), ...(opts.args ?? [])],
      viewport: VIEWPORT,
      deviceScaleFactor: 1,
      colorScheme: opts.colorScheme ?? 'light',
      acceptDownloads: true,
      permissions: ['microphone'],
      timeout: opts.timeoutMs ?? 30_000,
    });
  } catch (e) {
    rmSync(profileDir, { recursive: true, force: true });
    throw e;
  }
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? (await context.newPage());
  let closing: Promise<void> | undefined;
  return {
    context,
    page,
    profileDir,
    close() {
      closing ??= (async () => {
        await Promise.race([
          context.close().catch(() => undefined),
          new Promise((r) => setTimeout(r, 10_000)),
        ]);
        rmSync(profileDir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}

/**
 * Launch Chromium without a persistent profile (Playwright gives it a fresh temporary one), for
 * callers that open many short-lived contexts (each `browser.newContext()` starts with an empty
 * cache and storage). Close it with `browser.close()`.
 */
export async function launchChromium(opts: LaunchOptions = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install -y chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...chromiumArgs(opts.fakeAudioWav), ...(opts.args ?? [])],
    timeout: opts.timeoutMs ?? 30_000,
  });
}

/** Poll `fn` until it returns a truthy value (bounded), returning that value. */
export async function pollUntil<T>(
  what: string,
  fn: () => Promise<T> | T,
  timeoutMs = 10_000,
  everyMs = 100,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (let i = 0; i < 100_000; i++) {
    last = await fn();
    if (last) return last as NonNullable<T>;
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`,
  );
}
