/**
 * End-to-end, issue 9 B.6/C in the GUI: create a trunk from the Twilio preset in the Trunks view
 * (a bad domain refused naming the field), see which secrets store holds passwords, run Test
 * Connection and watch its steps, then "use for call" and place a call with it from the dialer.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pollUntil } from '../../support/browser.ts';
import { callIds, card, openApp, waitForState } from './gui.ts';
import { startCliListener, useGui } from './harness.ts';

// The web shell (started by useGui) inherits these: its own settings and secrets folder.
process.env['TRUNKSCOPE_CONFIG_DIR'] = mkdtempSync(join(tmpdir(), 'ts-e2e-trunks-'));
process.env['TRUNKSCOPE_SECRETS'] = 'file';

const gui = useGui();

describe('e2e: Trunks view', () => {
  it('Twilio preset → field error → saved → Test Connection steps → use for call → connected', async () => {
    const { page } = gui.browser;
    const { listener, port } = await startCliListener(['--duration', '90']);
    try {
      await openApp(page, gui.shell.url);
      await page.getByTestId('nav-trunks').click();
      const store = page.getByTestId('trunk-secret-store');
      await expect.poll(() => store.getAttribute('data-kind')).toBe('file');
      expect(await store.textContent()).toContain('secrets.json');

      await page.getByTestId('trunk-field-preset').selectOption('twilio');
      expect(await page.getByTestId('trunk-field-mode').inputValue()).toBe('ip');
      await page.getByTestId('trunk-field-name').fill('twilio-test');
      await page.getByTestId('trunk-field-domain').fill('sip:bad domain');
      await page.getByTestId('trunk-save').click();
      await expect.poll(() => page.getByTestId('trunk-error').textContent()).toMatch(/^domain: a host name or address/);

      await page.getByTestId('trunk-field-domain').fill(`127.0.0.1:${port}`);
      await page.getByTestId('trunk-field-username').fill('alice');
      await page.getByTestId('trunk-field-password').fill('Secret-1');
      await page.getByTestId('trunk-save').click();
      const row = page.locator('[data-testid="trunk-row"][data-name="twilio-test"]');
      await row.waitFor({ timeout: 10_000 });
      expect(await page.getByTestId('trunk-error').count()).toBe(0);

      await page.getByTestId('trunk-test').click();
      const step = (name: string) => page.locator(`[data-testid="trunk-step"][data-name="${name}"]`);
      await step('media').waitFor({ timeout: 20_000 });
      const statuses = await page.getByTestId('trunk-step').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-name')}:${e.getAttribute('data-status')}`));
      expect(statuses, gui.engineLog()).toEqual(['dns:pass', 'transport:pass', 'options:pass', 'ip-auth:pass', expect.stringMatching(/^clock:(pass|skip)$/), 'media:skip']);
      expect(await step('transport').textContent()).toContain(`UDP answer from 127.0.0.1:${port}`);

      await page.getByTestId('trunk-use').click();
      await page.getByTestId('dialer-trunk').waitFor({ timeout: 5000 });
      expect(await page.getByTestId('dialer-transport').inputValue()).toBe('udp');
      const before = new Set(await callIds(page));
      await page.getByTestId('dialer-target').fill('echo');
      await page.getByTestId('dialer-call').click();
      const callId = await pollUntil('a new outbound call card', async () => (await callIds(page)).find((id) => !before.has(id) && !id.includes('#')), 10_000);
      await waitForState(page, callId, 'connected', 10_000);
      expect(await card(page, callId).getByTestId('call-state').textContent()).toBe('connected');
      expect(gui.pageErrors).toEqual([]);
    } finally {
      await listener.stop();
    }
  }, 120_000);
});
