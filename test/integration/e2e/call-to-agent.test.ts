/**
 * End-to-end in Debian's Chromium through the web shell (issue 5, "Tests"): start the built-in
 * agent from the Listener view, dial it from the dialer, reach connected, send DTMF from the call's
 * keypad, watch the stats move, hang up, and read that call's ladder.
 *
 * A call to our own listener has two legs in one engine with one SIP Call-ID, so the ladder for
 * that Call-ID holds every message twice: once as sent, once as received. The listener answers
 * every INVITE with 100 Trying at once (then 180 and 200 in echo mode), so both copies read exactly
 * INVITE, 100, 180, 200, ACK, BYE, 200.
 */
import { describe, expect, it } from 'vitest';
import { pollUntil } from '../../support/browser.ts';
import { ContractClient } from '../../support/web-shell.ts';
import {
  card,
  dial,
  ladderRows,
  messageDirection,
  openApp,
  startListenerFromUi,
  statNumber,
  waitForState,
} from './gui.ts';
import { useGui } from './harness.ts';

const gui = useGui();

describe('e2e: a call to the built-in agent', () => {
  it('listener → dial → connected → DTMF → stats move → hang up → ladder INVITE 100 180 200 ACK BYE 200', async () => {
    const { page } = gui.browser;
    await openApp(page, gui.shell.url);
    const { port, state } = await startListenerFromUi(page, { answer: 'echo' });
    expect(state).toContain(`127.0.0.1:${port}`);
    expect(state).toContain('answer: echo');

    const callId = await dial(page, `sip:echo@127.0.0.1:${port}`);
    const c = card(page, callId);
    await waitForState(page, callId, 'connected', 10_000);
    expect(await c.getByTestId('call-state').textContent()).toBe('connected');
    // The inbound leg (the agent's side) shows too, connected.
    await waitForState(page, `${callId}#inbound`, 'connected', 5000);

    // DTMF from the call's keypad (RFC 4733, the dialer's default).
    for (const d of ['1', '2', 'hash']) await c.getByTestId(`call-key-${d}`).click();

    // Stats are visible and moving: packet counters grow between two reads.
    const first = await pollUntil(
      'a first stats tick',
      async () => {
        const sent = await statNumber(c, 'packets-sent');
        const recv = await statNumber(c, 'packets-recv');
        return sent !== null && recv !== null && sent > 0 && recv > 0 ? { sent, recv } : null;
      },
      5000,
    );
    await page.waitForTimeout(2200);
    const second = {
      sent: (await statNumber(c, 'packets-sent'))!,
      recv: (await statNumber(c, 'packets-recv'))!,
    };
    expect(second.sent, 'sent packets grow').toBeGreaterThan(first.sent);
    expect(second.recv, 'received packets grow').toBeGreaterThan(first.recv);
    // One tick a second at 50 packets a second.
    expect(second.sent - first.sent).toBeGreaterThanOrEqual(50);
    expect(await statNumber(c, 'loss-recv')).toBe(0);
    const mos = await c.getByTestId('call-mos').getAttribute('data-mos');
    expect(Number(mos), `MOS ${mos}`).toBeGreaterThan(4);
    // Echo of our 1004 Hz tone at −10 dBm0 (about −13 dBFS): both level cells show it.
    expect(await statNumber(c, 'level-sent')).toBeGreaterThan(-20);
    expect(await statNumber(c, 'level-recv')).toBeGreaterThan(-25);
    // Charts are drawn (uPlot canvases).
    expect(await c.locator('.charts canvas').count()).toBeGreaterThanOrEqual(3);

    // What the far end (the agent's leg) received: the digits, checked beside the page.
    await c.getByTestId('call-hangup').click();
    await waitForState(page, callId, 'terminated', 10_000);
    expect(await c.getByTestId('call-state').textContent()).toMatch(/^ended 200\b/);
    const side = await ContractClient.connect(gui.shell.url);
    try {
      const far = await pollUntil(
        "the inbound leg's report",
        async () => {
          const r = await side.invoke('call.report', { callId: `${callId}#inbound` });
          return r.report && r.media;
        },
        10_000,
        200,
      );
      expect(far.dtmf.received.map((d) => d.digit).join('')).toBe('12#');
    } finally {
      side.close();
    }

    // The ladder for this call.
    await c.getByTestId('call-ladder').click();
    await expect.poll(() => page.getByTestId('trace-filter-callid').inputValue()).toBe(callId);
    const rows = await pollUntil(
      '14 ladder rows',
      async () => {
        const r = await ladderRows(page);
        return r.length >= 14 ? r : null;
      },
      5000,
    );
    expect(rows.every((r) => r.callId === callId)).toBe(true);
    expect(
      rows.filter((r) => r.retransmission),
      'no retransmission on loopback',
    ).toEqual([]);
    expect(await page.getByTestId('trace-count').textContent()).toMatch(/^14 \/ \d+$/);
    // RTP streams are shown inline for the call.
    expect(await page.getByTestId('trace-stream').count()).toBeGreaterThanOrEqual(2);

    const sent: string[] = [];
    const received: string[] = [];
    for (const r of rows)
      ((await messageDirection(page, r.id)) === 'sent' ? sent : received).push(r.label);
    const flow = ['INVITE', '100', '180', '200', 'ACK', 'BYE', '200'];
    expect(sent).toEqual(flow);
    expect(received).toEqual(flow);
    expect(gui.pageErrors).toEqual([]);
  }, 90_000);

  it('keyboard: Enter calls, digit keys on the focused card send DTMF, Esc hangs up', async () => {
    const { page } = gui.browser;
    await openApp(page, gui.shell.url);
    const { port } = await startListenerFromUi(page, { answer: 'echo' });
    const callId = await dial(page, `sip:echo@127.0.0.1:${port}`, { enter: true });
    const c = card(page, callId);
    await waitForState(page, callId, 'connected', 10_000);
    await c.focus();
    for (const key of ['5', '9', '*']) {
      await page.keyboard.press(key);
      await page.waitForTimeout(300); // one digit after another, as a person types
    }
    await page.waitForTimeout(500);
    await page.keyboard.press('Escape');
    await waitForState(page, callId, 'terminated', 10_000);
    expect(await c.getByTestId('call-state').textContent()).toMatch(/^ended 200\b/);
    const side = await ContractClient.connect(gui.shell.url);
    try {
      const far = await pollUntil(
        "the inbound leg's report",
        async () => {
          const r = await side.invoke('call.report', { callId: `${callId}#inbound` });
          return r.report && r.media;
        },
        10_000,
        200,
      );
      expect(far.dtmf.received.map((d) => d.digit).join('')).toBe('59*');
    } finally {
      side.close();
    }
    expect(gui.pageErrors).toEqual([]);
  }, 60_000);
});
