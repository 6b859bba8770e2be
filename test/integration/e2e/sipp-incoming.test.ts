/**
 * End-to-end: a SIPp UAC (built-in `uac` scenario) calls the built-in agent, started from the
 * Listener view in manual answer mode; the incoming call shows in the GUI, the Accept button
 * answers it, it is connected, SIPp hangs up after 3 s and exits 0.
 */
import { describe, expect, it } from 'vitest';
import { pollUntil } from '../../support/browser.ts';
import { freePort } from '../../support/ports.ts';
import { explainSipp, startSipp } from '../../support/sipp.ts';
import { callIds, card, openApp, startListenerFromUi, waitForState } from './gui.ts';
import { useGui } from './harness.ts';

const gui = useGui();

describe('e2e: SIPp calls us', () => {
  it('manual answer: incoming call shows → Accept → connected → SIPp BYE → SIPp exits 0', async () => {
    const { page } = gui.browser;
    await openApp(page, gui.shell.url);
    const { port, state } = await startListenerFromUi(page, { answer: 'manual' });
    expect(state).toContain('answer: manual');
    await page.getByTestId('nav-calls').click();

    const sippPort = await freePort();
    const sipp = await startSipp({
      scenario: 'uac',
      remote: `127.0.0.1:${port}`,
      localPort: sippPort,
      calls: 1,
      timeoutMs: 40_000,
      extraArgs: ['-d', '3000'],
    });
    try {
      const callId = await pollUntil(
        'the incoming call card',
        async () => (await callIds(page))[0],
        10_000,
      );
      await waitForState(page, callId, 'incoming', 5000);
      const c = card(page, callId);
      expect(await c.getByTestId('call-state').textContent()).toBe('incoming');
      // The top bar says so too.
      expect(await page.getByTestId('nav-calls').textContent()).toContain('1 incoming');
      await expect.poll(() => c.getByTestId('call-accept').isVisible()).toBe(true);
      // SIPp's INVITE carried its own Call-ID: the card is that call (SIPp's "<n>-<pid>@<ip>").
      expect(callId).toMatch(/^1-\d+@127\.0\.0\.1$/);

      // It keeps ringing until someone accepts it.
      await page.waitForTimeout(1000);
      expect(await c.getAttribute('data-state')).toBe('incoming');
      await c.getByTestId('call-accept').click();
      await waitForState(page, callId, 'connected', 5000);
      expect(await c.getByTestId('call-state').textContent()).toBe('connected');
      expect(await c.getByTestId('call-accept').count()).toBe(0);

      const r = await sipp.result;
      expect(r.code, explainSipp(r)).toBe(0);
      await waitForState(page, callId, 'terminated', 10_000);
      expect(await c.getByTestId('call-state').textContent()).toMatch(/^ended/);

      // The ladder for this call: SIPp's INVITE, our 100/180 while it waited, 200 after Accept.
      await c.getByTestId('call-ladder').click();
      await expect
        .poll(async () =>
          page
            .getByTestId('trace-row')
            .evaluateAll((els) =>
              els.map((e) => e.getAttribute('data-method') || e.getAttribute('data-status')),
            ),
        )
        .toEqual(['INVITE', '100', '180', '200', 'ACK', 'BYE', '200']);
      expect(gui.pageErrors).toEqual([]);
    } finally {
      await sipp.stop();
    }
  }, 90_000);
});
