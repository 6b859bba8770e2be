/**
 * End-to-end, the "Bad input" part of issue 5:
 * - the dialer refuses an empty target, invalid URIs, header lines that are not "Name: value" and
 *   an empty codec list in the form, with the reason next to the field, and no call starts (the
 *   engine has no call and no SIP message);
 * - an engine error (the listener's port is taken) shows as a message, the window stays usable;
 * - a lost WebSocket reconnects and resynchronises: the page is served through a TCP relay that
 *   the test cuts; while the link is down the engine's state changes (the call is hung up, the
 *   listener stopped), and after the link is back the page shows the engine's state and every
 *   trace entry it missed;
 * - the engine process killed: the page says it is reconnecting, never goes blank, and a call
 *   attempt is refused with a message.
 */
import { createSocket } from 'node:dgram';
import { afterAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../support/browser.ts';
import { freePort } from '../../support/ports.ts';
import { ContractClient } from '../../support/web-shell.ts';
import { card, dial, openApp, startListenerFromUi, waitForState } from './gui.ts';
import { useGui } from './harness.ts';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';

const gui = useGui();
let proxy: TcpProxy | undefined;
afterAll(async () => {
  await proxy?.close();
});

describe('e2e: bad input in the dialer', () => {
  it('is refused in the form with the reason, before any call starts', async () => {
    const { page } = gui.browser;
    await openApp(page, gui.shell.url);
    await page.getByTestId('nav-calls').click();
    const target = page.getByTestId('dialer-target');
    const call = page.getByTestId('dialer-call');
    const targetError = page.getByTestId('dialer-error-target');

    const refused: Array<[string, string | RegExp]> = [
      ['', 'enter a SIP URI or number'],
      ['   ', 'enter a SIP URI or number'],
      ['sip:bad user@127.0.0.1', 'no spaces in a SIP URI or number'],
      ['http://example.com', 'unknown URI scheme "http:" (use sip:, sips: or tel:)'],
      ['sip:', 'nothing after "sip:"'],
      ['sip:agent@', 'host missing after "@"'],
      ['sip:<agent>@example.com', '"<" is not allowed in a SIP URI'],
    ];
    for (const [value, reason] of refused) {
      await target.fill(value);
      await call.click();
      await expect.poll(() => targetError.textContent()).toEqual(reason);
      expect(await target.getAttribute('aria-invalid')).toBe('true');
    }
    // Enter in the target field submits the same validation.
    await target.fill('');
    await target.press('Enter');
    await expect.poll(() => targetError.textContent()).toBe('enter a SIP URI or number');

    // Extra headers: every line must be "Name: value" with a SIP token as the name.
    await target.fill('sip:agent@127.0.0.1:9');
    await page.locator('details.advanced > summary').click();
    const headers = page.getByTestId('dialer-headers');
    const headersError = page.getByTestId('dialer-error-headers');
    for (const [text, reason] of [
      ['X-Customer: 42\nthis is not a header', 'line 2: expected "Name: value"'],
      [': no name', 'line 1: expected "Name: value"'],
      ['X Bad Name: 1', 'line 1: invalid header name "X Bad Name"'],
    ] as const) {
      await headers.fill(text);
      await call.click();
      await expect.poll(() => headersError.textContent()).toBe(reason);
      expect(await targetError.count(), 'a valid target shows no error').toBe(0);
    }
    await headers.fill('');

    // No codec chosen.
    await page.getByTestId('dialer-codec-PCMU').uncheck();
    await page.getByTestId('dialer-codec-PCMA').uncheck();
    await call.click();
    await expect
      .poll(() => page.getByTestId('dialer-error-codecs').textContent())
      .toBe('choose at least one codec');
    await page.getByTestId('dialer-codec-PCMU').check();

    // Nothing reached the engine: no call card, no call, no SIP message.
    expect(await page.getByTestId('call-card').count()).toBe(0);
    const side = await ContractClient.connect(gui.shell.url);
    try {
      const snap = await side.invoke('app.snapshot', {});
      expect(snap.calls).toEqual([]);
      expect(snap.traceCount).toBe(0);
    } finally {
      side.close();
    }
    expect(gui.pageErrors).toEqual([]);
  }, 60_000);
});

describe('e2e: engine errors', () => {
  it('a listener port already taken shows the engine error as a message; the window stays usable', async () => {
    const { page } = gui.browser;
    await openApp(page, gui.shell.url);
    const port = await freePort(2);
    const squatter = createSocket('udp4');
    await new Promise<void>((r) => squatter.bind(port, '127.0.0.1', () => r()));
    try {
      await page.getByTestId('nav-listener').click();
      await page.getByTestId('listener-port').fill(String(port));
      await page.getByTestId('listener-start').click();
      const message = page.getByTestId('error-message');
      await expect.poll(() => message.count()).toBe(1);
      expect(await message.textContent()).toMatch(
        new RegExp(`cannot bind UDP 127\\.0\\.0\\.1:${port}.*EADDRINUSE`),
      );
      expect(await page.getByTestId('listener-state').getAttribute('data-running')).toBe('false');
      // Dismissed, it is gone; the other views still work.
      await page.getByTestId('error-dismiss').click();
      expect(await message.count()).toBe(0);
      await page.getByTestId('nav-calls').click();
      expect(await page.getByTestId('dialer-target').isVisible()).toBe(true);
    } finally {
      squatter.close();
    }
  }, 30_000);
});

describe('e2e: a lost WebSocket', () => {
  it('reconnects and resynchronises calls, listener and the trace it missed', async () => {
    const { page } = gui.browser;
    proxy = await startTcpProxy(gui.shell.port);
    const viaProxy = `http://127.0.0.1:${proxy.port}/?token=${gui.shell.token}`;
    await openApp(page, viaProxy);
    const { port } = await startListenerFromUi(page, { answer: 'echo' });
    const callId = await dial(page, `sip:echo@127.0.0.1:${port}`);
    await waitForState(page, callId, 'connected');

    // The link goes away; new connections are refused.
    proxy.refuse(true);
    proxy.cut();
    const status = page.getByTestId('conn-status');
    await expect.poll(() => status.getAttribute('data-status')).toBe('reconnecting');
    expect(await status.textContent()).toBe('reconnecting…');
    expect(await page.locator('.banner.info').textContent()).toContain('reconnecting');
    expect(await page.getByTestId('dialer-call').textContent()).toBe('Call (engine not connected)');

    // Meanwhile the engine moves on: the call ends, the listener stops.
    const side = await ContractClient.connect(gui.shell.url);
    let traceCount: number;
    try {
      await side.invoke('call.hangup', { callId });
      await pollUntil(
        'the engine to end the call',
        async () => {
          const snap = await side.invoke('app.snapshot', {});
          return snap.calls.every((c) => c.state === 'terminated' && c.report);
        },
        10_000,
        100,
      );
      await side.invoke('listener.stop', {});
      traceCount = (await side.invoke('app.snapshot', {})).traceCount;
    } finally {
      side.close();
    }
    // Still disconnected, the page still shows the old state.
    expect(await card(page, callId).getAttribute('data-state')).toBe('connected');
    expect(await status.getAttribute('data-status')).toBe('reconnecting');

    // The link comes back: reconnect (backoff ≤ 10 s) and resynchronise.
    proxy.refuse(false);
    await expect.poll(() => status.getAttribute('data-status'), { timeout: 15_000 }).toBe('open');
    await waitForState(page, callId, 'terminated', 5000);
    expect(await card(page, callId).getByTestId('call-state').textContent()).toMatch(/^ended 200/);
    expect(await page.locator('.banner.info').count()).toBe(0);
    await page.getByTestId('nav-listener').click();
    await expect
      .poll(() => page.getByTestId('listener-state').getAttribute('data-running'))
      .toBe('false');
    await page.getByTestId('nav-trace').click();
    // Every entry the engine has, the BYE sent while the page was away among them.
    await expect
      .poll(() => page.getByTestId('trace-count').textContent())
      .toBe(`${traceCount} / ${traceCount}`);
    await page.getByTestId('trace-filter-method').fill('BYE');
    await expect
      .poll(() => page.locator('[data-testid="trace-row"][data-method="BYE"]').count())
      .toBe(2);
    await page.getByTestId('trace-filter-method').fill('');
    expect(gui.pageErrors).toEqual([]);
  }, 60_000);

  it('engine process killed: the page says it is reconnecting, stays usable, refuses a call with a message', async () => {
    const { page } = gui.browser;
    await openApp(page, gui.shell.url);
    await page.getByTestId('nav-calls').click();
    gui.shell.proc.child.kill('SIGKILL');
    await gui.shell.proc.exited;
    const status = page.getByTestId('conn-status');
    await expect.poll(() => status.getAttribute('data-status')).toBe('reconnecting');
    expect(await page.locator('.banner.info').textContent()).toBe(
      'Engine connection lost — reconnecting…',
    );
    // Not a blank window: the dialer is there and says why a call cannot start.
    expect(await page.getByTestId('dialer-target').isVisible()).toBe(true);
    await page.getByTestId('dialer-target').fill('sip:agent@127.0.0.1:9');
    await page.getByTestId('dialer-call').click();
    await expect.poll(() => page.getByTestId('error-message').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('error-message').last().textContent()).toContain(
      'not connected to the engine',
    );
    // It keeps trying (the backoff is capped at 10 s): still 'reconnecting', not 'disconnected'.
    await page.waitForTimeout(2000);
    expect(await status.getAttribute('data-status')).toBe('reconnecting');
  }, 30_000);
});
