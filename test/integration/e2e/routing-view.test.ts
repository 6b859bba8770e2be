/**
 * End-to-end, the Routing view in Chromium through the web shell: write a rule, check it (a bad
 * agent is named with its line), and run the tester box against the engine.
 */
import { describe, expect, it } from 'vitest';
import { openApp } from './gui.ts';
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
});
