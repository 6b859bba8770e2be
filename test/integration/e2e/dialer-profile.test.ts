/**
 * End-to-end in Debian's Chromium through the web shell: a saved dialer profile ("line") outlives
 * a page reload and places the call. The built-in agent is started from the Listener view; a
 * profile names it as the proxy (with a From, a header and PCMA first), is saved with the keyboard,
 * the page is reloaded, the profile chosen, a bare number dialled: it goes to the proxy and
 * connects. The far leg and the INVITE show what the profile carried.
 */
import { describe, expect, it } from 'vitest';
import { pollUntil } from '../../support/browser.ts';
import { ContractClient } from '../../support/web-shell.ts';
import { card, dial, openApp, startListenerFromUi, waitForState } from './gui.ts';
import { useGui } from './harness.ts';

const gui = useGui();
const NAME = 'Agent on loopback';

describe('e2e: dialer profiles', () => {
  it('save a profile → reload → choose it → dial a number → connected through its proxy', async () => {
    const { page } = gui.browser;
    await openApp(page, gui.shell.url);
    const { port } = await startListenerFromUi(page, { answer: 'echo' });

    await page.getByTestId('nav-calls').click();
    await page.getByTestId('dialer-proxy').fill(`127.0.0.1:${port}`);
    await page.getByTestId('dialer-from').fill('sip:+14155550100@trunkscope.test');
    await page.getByLabel('move PCMA earlier').click();
    await page.locator('details.advanced > summary').click();
    await page.getByTestId('dialer-headers').fill('X-Profile: e2e-line');
    await page.getByTestId('profile-save-new').click();
    await page.getByTestId('profile-name').fill(NAME);
    await page.getByTestId('profile-name').press('Enter');
    await expect
      .poll(() => page.getByTestId('profile-status').textContent())
      .toBe(`Saved profile "${NAME}".`);

    await page.reload({ waitUntil: 'domcontentloaded' });
    await page
      .locator('[data-testid="conn-status"][data-status="open"]')
      .waitFor({ timeout: 10_000 });
    await page.getByTestId('nav-calls').click();
    expect(await page.getByTestId('dialer-proxy').inputValue()).toBe('');
    expect(await page.getByTestId('profile-problem').count()).toBe(0);
    await page.getByTestId('profile-select').selectOption(NAME);
    expect(await page.getByTestId('dialer-proxy').inputValue()).toBe(`127.0.0.1:${port}`);
    expect(await page.getByTestId('dialer-from').inputValue()).toBe(
      'sip:+14155550100@trunkscope.test',
    );

    const callId = await dial(page, '1000');
    await waitForState(page, callId, 'connected', 10_000);
    await waitForState(page, `${callId}#inbound`, 'connected', 5000);

    const side = await ContractClient.connect(gui.shell.url);
    try {
      const snap = await side.invoke('app.snapshot', {});
      const out = snap.calls.find((c) => c.callId === callId);
      const far = snap.calls.find((c) => c.callId === `${callId}#inbound`);
      expect(out?.peer).toBe(`sip:1000@127.0.0.1:${port}`);
      expect(far?.peer).toContain('+14155550100@trunkscope.test');
      const invite = await pollUntil(
        'the INVITE in the trace',
        async () => {
          const r = await side.invoke('trace.query', { callId, method: 'INVITE' });
          return r.entries.find((e) => e.dir === 'out');
        },
        5000,
        100,
      );
      expect(invite.firstLine).toBe(`INVITE sip:1000@127.0.0.1:${port} SIP/2.0`);
      expect(invite.raw).toMatch(/^X-Profile: e2e-line\r$/m);
      // The profile's codec order is offered (the agent answers with its own preference).
      expect(invite.raw).toMatch(/^m=audio \d+ RTP\/AVP 8 0\b/m);
    } finally {
      side.close();
    }

    await card(page, callId).getByTestId('call-hangup').click();
    await waitForState(page, callId, 'terminated', 10_000);
    expect(gui.pageErrors).toEqual([]);
  }, 90_000);
});
