/**
 * End-to-end in Chromium through the web shell: the Webhooks view sends a signed Twilio answer
 * callback to a real `trunkscope webhook listen`, shows request, response, parsed instructions and
 * verdict side by side with the SIP password masked; a tampered one is refused; Verify checks the
 * Twilio SDK vector and lists the URL variants tried.
 */
import { describe, expect, it } from 'vitest';
import { openApp } from './gui.ts';
import { useGui } from './harness.ts';
import { startWebhookListen } from '../webhooks/webhook-cli.ts';

const gui = useGui();

describe('e2e: Webhooks view', () => {
  it('send → listen: instructions parsed, secrets masked; tamper refused; verify the SDK vector', async () => {
    const { page } = gui.browser;
    const token = 'e2e-auth-token-5f1c';
    const sipPassword = 'e2e-sip-pass-93a';
    const l = await startWebhookListen([
      '--provider',
      'twilio',
      '--token',
      token,
      '--dial',
      'sip:agent@127.0.0.1:5096;transport=tcp',
      '--dial-user',
      'agent',
      '--dial-password',
      sipPassword,
      '--caller-id',
      '+15551230000',
      '--dial-timeout',
      '20',
    ]);
    try {
      await openApp(page, gui.shell.url);
      await page.getByTestId('nav-webhooks').click();
      // Bad input: no token → a message naming the field, nothing sent.
      await page.getByTestId('webhook-url').fill(`${l.base}/answer`);
      await page.getByTestId('webhook-send').click();
      expect(await page.getByTestId('webhook-error').textContent()).toMatch(/token/);

      await page.getByTestId('webhook-token').fill(token);
      await page.getByTestId('webhook-params').fill('To=+15559990000');
      await page.getByTestId('webhook-send').click();
      const verdict = page.locator('[data-testid="webhook-verdict"][data-ok="true"]');
      await verdict.waitFor({ timeout: 15_000 });
      expect(await verdict.textContent()).toMatch(
        /dial sip:agent@127\.0\.0\.1:5096;transport=tcp over tcp as agent/,
      );
      const ins = page.getByTestId('webhook-instructions');
      expect(await ins.locator('[data-field="uri"]').textContent()).toBe(
        'sip:agent@127.0.0.1:5096;transport=tcp',
      );
      expect(await ins.locator('[data-field="transport"]').textContent()).toBe('tcp');
      expect(await ins.locator('[data-field="callerId"]').textContent()).toBe('+15551230000');
      expect(await ins.locator('[data-field="timeout"]').textContent()).toBe('20 s');
      expect(await ins.locator('[data-field="credentials"]').textContent()).toContain(
        '****(16 chars)',
      );
      expect(await page.getByTestId('webhook-request').textContent()).toMatch(
        /x-twilio-signature: \S+/,
      );
      expect(await page.getByTestId('webhook-response').textContent()).toMatch(/200 OK/);
      // The token stays in its password field; neither secret appears in what the view shows.
      expect(await page.getByTestId('webhook-token').getAttribute('type')).toBe('password');
      const shown = await page.locator('.webhook-results').innerText();
      expect(shown).not.toContain(sipPassword);
      expect(shown).not.toContain(token);
      expect(await page.content()).not.toContain(sipPassword);

      await page.getByTestId('webhook-tamper').check();
      await page.getByTestId('webhook-send').click();
      const refused = page.locator('[data-testid="webhook-verdict"][data-ok="false"]');
      await refused.waitFor({ timeout: 15_000 });
      expect(await refused.textContent()).toMatch(/HTTP 403.*no URL variant matched/);
      expect(await page.getByTestId('webhook-request').textContent()).toMatch(
        /tampered: To changed/,
      );
      const lines = await l.waitLines(2);
      expect(lines.map((x) => x.valid)).toEqual([true, false]);

      await page.getByTestId('webhook-mode-verify').click();
      await page.getByTestId('webhook-url').fill('https://mycompany.com/myapp.php?foo=1&bar=2');
      await page.getByTestId('webhook-token').fill('12345');
      await page
        .getByTestId('webhook-headers')
        .fill('X-Twilio-Signature: kvajT1Ptam85bY51eRf/AJRuM3w=');
      await page
        .getByTestId('webhook-body')
        .fill(
          'CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234&From=%2B14158675309&To=%2B18005551212',
        );
      await page.getByTestId('webhook-verify').click();
      const valid = page.locator('[data-testid="webhook-verdict"][data-ok="true"]');
      await valid.waitFor({ timeout: 10_000 });
      expect(await valid.textContent()).toMatch(
        /valid: signature matches the URL with default port added/,
      );
      expect(
        await page.locator('[data-testid="webhook-tried"] tr[data-match="true"]').count(),
      ).toBe(1);
      expect(gui.pageErrors).toEqual([]);
    } finally {
      await l.stop();
    }
  });
});
