/**
 * End-to-end, the Routing view in Chromium through the web shell: write a rule, check it (a bad
 * agent is named with its line), and run the tester box against the engine.
 */
import { describe, expect, it } from 'vitest';
import { card, dial, openApp, startListenerFromUi } from './gui.ts';
import { useGui } from './harness.ts';

const gui = useGui();

describe('e2e: Routing view', () => {
  it('builds a rule, shows a problem with its line, and the tester explains the match', async () => {
    const { page } = gui.browser;
    await openApp(page, gui.shell.url);
    await page.getByTestId('nav-routing').click();
    const text = page.getByTestId('routing-text');
    await text.fill('rules:\n  - name: sales\n    header: { name: X-Agent-Id, value: sales }\n    agent: nobody\n  - name: rest\n    default: true\n    agent: busy\n');
    await page.getByTestId('routing-check').click();
    await expect.poll(() => page.getByTestId('routing-problems').textContent()).toMatch(/line 4:12 rules\[0\]\.agent unknown agent "nobody"/);
    await text.fill('rules:\n  - name: sales\n    header: { name: X-Agent-Id, value: sales }\n    agent: tone 440\n  - name: rest\n    default: true\n    agent: busy\n');
    await page.getByTestId('routing-check').click();
    await expect.poll(() => page.getByTestId('routing-status').textContent()).toBe('2 rule(s), 0 outbound route(s)');
    await page.getByTestId('routing-test-to').fill('+14155550100');
    await page.getByTestId('routing-test-headers').fill('X-Agent-Id: support');
    await page.getByTestId('routing-test-run').click();
    await expect
      .poll(() => page.getByTestId('routing-test-result').locator('li').allTextContents())
      .toEqual(['no  sales: header X-Agent-Id: "support" does not match sales', 'YES rest: default rule → busy']);
    expect(gui.pageErrors, gui.engineLog()).toEqual([]);
  });

  it('saves the rules, the listener routes by them: 1234 busy, another number echo, one call per rule', async () => {
    const { page } = gui.browser;
    await openApp(page, gui.shell.url);
    await page.getByTestId('nav-routing').click();
    await page.getByTestId('routing-text').fill('rules:\n  - name: busy-1234\n    did: "1234"\n    agent: busy\n  - name: rest\n    default: true\n    agent: echo\n');
    await page.getByTestId('routing-save').click();
    await expect.poll(() => page.getByTestId('routing-save-status').textContent()).toMatch(/^saved /);
    await page.getByTestId('routing-test-to').fill('1234');
    await page.getByTestId('routing-test-headers').fill('');
    await page.getByTestId('routing-test-run').click();
    await expect.poll(() => page.getByTestId('routing-test-result').locator('li').first().textContent()).toMatch(/^YES busy-1234/);
    const { port, state } = await startListenerFromUi(page, { useRouting: true });
    expect(state).toContain('routing: saved rules');
    const busy = await dial(page, `sip:1234@127.0.0.1:${port}`, { source: 'silence' });
    await page.locator(`[data-testid="call-card"][data-call-id="${busy}"][data-state="terminated"]`).waitFor({ timeout: 10_000 });
    await expect.poll(() => card(page, busy).textContent()).toMatch(/486|busy|rejected/i);
    const echo = await dial(page, `sip:5555@127.0.0.1:${port}`, { source: 'silence' });
    await page.locator(`[data-testid="call-card"][data-call-id="${echo}"][data-state="connected"]`).waitFor({ timeout: 10_000 });
    // The inbound legs' cards name the rule each call hit.
    await expect.poll(() => page.getByTestId('call-route-rule').allTextContents(), { timeout: 10_000 }).toContain(' · rule busy-1234');
    await page.getByTestId('nav-routing').click();
    await expect.poll(() => page.getByTestId('routing-rule-count').allTextContents(), { timeout: 5000 }).toEqual([' · 1 call(s)', ' · 1 call(s)']);
    expect(gui.pageErrors, gui.engineLog()).toEqual([]);
  }, 60_000);
});
