/**
 * What the end-to-end tests do with the GUI, through its data-testids (src/renderer/src/app/
 * testids.ts) only: open the app, start the built-in agent from the Listener view, dial from the
 * dialer, find call cards, read stats and the ladder.
 */
import type { Locator, Page } from 'playwright-core';
import { pollUntil } from '../../support/browser.ts';
import { freePort } from '../../support/ports.ts';

/** Load the page and wait (bounded) until the engine connection is open. */
export async function openApp(page: Page, url: string): Promise<void> {
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 15_000 });
  await page
    .locator('[data-testid="conn-status"][data-status="open"]')
    .waitFor({ timeout: 10_000 });
}

export async function setTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  const now = await page.locator('html').getAttribute('data-theme');
  if (now !== theme) await page.getByTestId('theme-toggle').click();
  await page.locator(`html[data-theme="${theme}"]`).waitFor({ timeout: 5000 });
}

/**
 * Start the built-in agent from the Listener view on a free port; resolves with the port and the
 * state line once it reports running. Ports are checked free first, but other processes on the
 * machine may take one in between: a start refused with EADDRINUSE is retried on another port
 * (at most three attempts).
 */
export async function startListenerFromUi(
  page: Page,
  o: { answer?: 'echo' | 'ring' | 'busy' | 'manual' | 'reject'; address?: string; useRouting?: boolean } = {},
): Promise<{ port: number; state: string }> {
  await page.getByTestId('nav-listener').click();
  const state = page.getByTestId('listener-state');
  if ((await state.getAttribute('data-running')) === 'true') {
    await page.getByTestId('listener-stop').click();
    await page.locator('[data-testid="listener-state"][data-running="false"]').waitFor();
  }
  let lastError = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort(2);
    const errorsBefore = await page.getByTestId('error-message').count();
    await page.getByTestId('listener-address').fill(o.address ?? '127.0.0.1');
    await page.getByTestId('listener-port').fill(String(port));
    await page.getByTestId('listener-answer').selectOption(o.answer ?? 'echo');
    await page.getByTestId('listener-use-routing').setChecked(o.useRouting ?? false);
    await page.getByTestId('listener-start').click();
    const outcome = await pollUntil(
      'the listener to run or to report an error',
      async () => {
        if ((await state.getAttribute('data-running')) === 'true') return 'running';
        if ((await page.getByTestId('error-message').count()) > errorsBefore) return 'error';
        return null;
      },
      10_000,
      50,
    );
    if (outcome === 'running') return { port, state: (await state.textContent()) ?? '' };
    lastError = (await page.getByTestId('error-message').last().textContent()) ?? '';
    await page.getByTestId('error-dismiss').last().click();
    if (!/EADDRINUSE/.test(lastError)) break;
  }
  throw new Error(`the listener did not start: ${lastError}`);
}

/** The call cards' ids, in page order. */
export async function callIds(page: Page): Promise<string[]> {
  return page
    .getByTestId('call-card')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-call-id') ?? ''));
}

export function card(page: Page, callId: string): Locator {
  return page.locator(`[data-testid="call-card"][data-call-id="${callId}"]`);
}

export async function waitForState(
  page: Page,
  callId: string,
  state: string,
  timeoutMs = 10_000,
): Promise<void> {
  await page
    .locator(`[data-testid="call-card"][data-call-id="${callId}"][data-state="${state}"]`)
    .waitFor({ timeout: timeoutMs });
}

/**
 * Fill the dialer and press Call (or Enter); resolves with the call id of the new outbound call
 * card (an inbound leg "<Call-ID>#inbound" of a call to our own listener is not it).
 */
export async function dial(
  page: Page,
  target: string,
  o: { source?: 'tone' | 'probe' | 'silence' | 'microphone'; enter?: boolean } = {},
): Promise<string> {
  await page.getByTestId('nav-calls').click();
  const before = new Set(await callIds(page));
  await page.getByTestId('dialer-target').fill(target);
  if (o.source) await page.getByTestId('dialer-source').selectOption(o.source);
  if (o.enter) await page.getByTestId('dialer-target').press('Enter');
  else await page.getByTestId('dialer-call').click();
  return pollUntil(
    'a new outbound call card',
    async () => (await callIds(page)).find((id) => !before.has(id) && !id.includes('#')),
    10_000,
  );
}

/** A number shown in a stats cell ("176", "0.6 ms", "—" → null). */
export async function statNumber(c: Locator, name: string): Promise<number | null> {
  const text = (await c.getByTestId(`stat-${name}`).textContent()) ?? '';
  const m = /-?\d+(\.\d+)?/.exec(text);
  return m ? Number(m[0]) : null;
}

export interface LadderRow {
  id: number;
  method: string;
  status: string;
  callId: string;
  retransmission: boolean;
  /** "INVITE" for a request, "200" for a response. */
  label: string;
}

/** The ladder rows rendered now (virtualized: the visible ones and the overscan). */
export async function ladderRows(page: Page): Promise<LadderRow[]> {
  const raw = await page.getByTestId('trace-row').evaluateAll((els) =>
    els.map((e) => ({
      id: Number(e.getAttribute('data-id')),
      method: e.getAttribute('data-method') ?? '',
      status: e.getAttribute('data-status') ?? '',
      callId: e.getAttribute('data-call-id') ?? '',
      retransmission: e.getAttribute('data-retransmission') === 'true',
    })),
  );
  return raw.map((r) => ({ ...r, label: r.method || r.status })).sort((a, b) => a.id - b.id);
}

/** Select a ladder row and read the message pane's direction line ("… sent over UDP · a → b"). */
export async function messageDirection(page: Page, id: number): Promise<'sent' | 'received'> {
  await page.locator(`[data-testid="trace-row"][data-id="${id}"]`).click();
  const meta = page.getByTestId('trace-message').locator('.message-meta');
  const text = await pollUntil(
    `message pane for trace entry ${id}`,
    async () => {
      const t = (await meta.textContent().catch(() => '')) ?? '';
      const selected = await page
        .locator(`[data-testid="trace-row"][data-id="${id}"]`)
        .getAttribute('aria-selected');
      return selected === 'true' && /\b(sent|received)\b/.test(t) ? t : '';
    },
    5000,
    50,
  );
  return /\bsent\b/.test(text) ? 'sent' : 'received';
}
