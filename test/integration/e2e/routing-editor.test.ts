/**
 * End-to-end, the Routing view's structured editor in Chromium through the web shell: build two
 * rules in the forms, see the engine's message beside a bad field (and a refused Save), drag the
 * second rule above the first with the mouse, save, reload and find the order kept; the "test
 * this number" box names the rule that matches.
 */
import { mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/cli.ts';
import { card, dial, openApp, startListenerFromUi, waitForState } from './gui.ts';
import { useGui } from './harness.ts';

// The shell saves the routing into the settings file: a folder of this test's own.
process.env['TRUNKSCOPE_CONFIG_DIR'] = mkdtempSync(join(tmpdir(), 'ts-e2e-routing-editor-'));
const gui = useGui();
const shots = process.env.TRUNKSCOPE_SCREENSHOT_DIR ?? join(repoRoot, 'docs', 'screenshots');

const order = (page: Page): Promise<string[]> => page.getByTestId('rule-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-rule') ?? ''));

/** Press the mouse on `from`'s drag handle and move it, in steps, to above `to`'s, then release. */
async function drag(page: Page, fromIndex: number, toIndex: number): Promise<void> {
  const handles = page.getByTestId('rule-drag');
  await handles.nth(toIndex).scrollIntoViewIfNeeded();
  const a = await handles.nth(fromIndex).boundingBox();
  const b = await handles.nth(toIndex).boundingBox();
  if (!a || !b) throw new Error('drag handles not on screen');
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2 - 10, { steps: 3 });
  await page.mouse.move(b.x + b.width / 2, b.y + 2, { steps: 12 });
  await page.mouse.up();
}

describe('e2e: structured routing editor', () => {
  it('builds two rules, shows a bad value beside its field, drags the second first, and the saved order survives a reload', async () => {
    const { page } = gui.browser;
    await openApp(page, gui.shell.url);
    await page.getByTestId('nav-routing').click();
    // Start from nothing: delete the example's rules and its agent in the forms.
    for (let i = 0; i < 10 && (await page.getByTestId('rule-item').count()) > 0; i++) await page.getByTestId('rule-delete').first().click();
    for (let i = 0; i < 10 && (await page.getByTestId('agent-item').count()) > 0; i++) await page.getByTestId('agent-delete').first().click();
    expect(await page.getByTestId('rule-item').count()).toBe(0);

    // Rule 1: calls to +1415… (E.164) are busy.
    await page.getByTestId('rule-add').click();
    await page.getByTestId('rule-name').fill('sf-busy');
    await page.getByTestId('rule-did').fill('+1415*');
    await page.getByTestId('rule-did-e164').check();
    await page.getByTestId('rule-agent').fill('busy');
    // Rule 2: the X-Agent-Id header picks a tone agent.
    await page.getByTestId('rule-add').click();
    await page.getByTestId('rule-name').fill('by-header');
    await page.getByTestId('rule-did').fill('');
    await page.getByTestId('rule-header-add').click();
    await page.getByTestId('rule-header-name-0').fill('X Agent');
    await page.getByTestId('rule-header-value-0').fill('sales');
    await page.getByTestId('rule-agent').fill('tone 440');
    expect(await order(page)).toEqual(['sf-busy', 'by-header']);

    // A bad value: the engine's schema message beside the header field, and Save refused.
    await expect.poll(() => page.getByTestId('rule-error-header').textContent(), { timeout: 5000 }).toContain('not a header name');
    await page.getByTestId('routing-save').click();
    await expect.poll(() => page.getByTestId('routing-save-status').textContent()).toMatch(/^not saved \(the saved version is kept\): .*rules\[1\]\.header\.name/);
    await page.getByTestId('rule-header-name-0').fill('X-Agent-Id');
    await expect.poll(() => page.getByTestId('routing-status').textContent(), { timeout: 5000 }).toBe('2 rule(s), 0 outbound route(s)');
    expect(await page.getByTestId('rule-error-header').count()).toBe(0);

    // A bad number in an agent: beside the agent's field.
    await page.getByTestId('agent-add').click();
    await page.getByTestId('agent-name').fill('sales');
    await page.getByTestId('agent-type').selectOption('tone');
    await page.getByTestId('agent-hz').fill('loud');
    await expect.poll(() => page.getByTestId('agent-error-hz').textContent(), { timeout: 5000 }).toMatch(/expected number/i);
    await page.getByTestId('agent-hz').fill('440');
    await expect.poll(() => page.getByTestId('agent-error-hz').count(), { timeout: 5000 }).toBe(0);
    await page.getByTestId('agent-delete').first().click();

    // A caller with the header hits sf-busy first (it is first and the number matches).
    await page.getByTestId('routing-test-to').fill('+14155550100');
    await page.getByTestId('routing-test-headers').fill('X-Agent-Id: sales');
    await page.getByTestId('routing-test-run').click();
    await expect.poll(() => page.getByTestId('routing-test-result').locator('li').allTextContents()).toEqual(['YES sf-busy: did +14155550100 matches +1415* → busy']);

    // Drag by-header above sf-busy with the mouse.
    await drag(page, 1, 0);
    await expect.poll(() => order(page), { timeout: 5000 }).toEqual(['by-header', 'sf-busy']);
    await page.getByTestId('routing-test-run').click();
    await expect.poll(() => page.getByTestId('routing-test-result').locator('li').first().textContent()).toMatch(/^YES by-header/);
    await expect.poll(() => page.locator('[data-testid="rule-item"][data-matched="true"]').getAttribute('data-rule')).toBe('by-header');

    await page.getByTestId('routing-save').click();
    await expect.poll(() => page.getByTestId('routing-save-status').textContent()).toMatch(/^saved /);

    // After a reload the settings file's order is what the editor shows.
    await page.reload({ waitUntil: 'domcontentloaded' });
    await page.locator('[data-testid="conn-status"][data-status="open"]').waitFor({ timeout: 10_000 });
    await page.getByTestId('nav-routing').click();
    await expect.poll(() => order(page), { timeout: 5000 }).toEqual(['by-header', 'sf-busy']);
    const text = await page.getByTestId('routing-text').inputValue();
    expect(text.indexOf('name: by-header')).toBeLessThan(text.indexOf('name: sf-busy'));
    expect(text).toContain('agent: tone 440');
    expect(text).toMatch(/did:\s+pattern: "?\+1415\*"?\s+e164: true\s+agent: busy/);

    // A picture of the editor with a rule open (docs/screenshots/routing-editor.png).
    await page.getByTestId('rule-edit').first().click();
    await page.evaluate('window.scrollTo(0, 0)');
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: join(shots, 'routing-editor.png'), animations: 'disabled', caret: 'hide', scale: 'css' });
    expect(statSync(join(shots, 'routing-editor.png')).size).toBeGreaterThan(10_000);

    // And by keyboard: the Move down button puts it back second.
    await page.getByRole('button', { name: 'Move rule by-header down' }).press('Enter');
    await expect.poll(() => order(page)).toEqual(['sf-busy', 'by-header']);
    // And back with the keyboard on the Move up button. (dnd-kit's keyboard sensor — Space,
    // ArrowUp, Space on the handle — works by hand but drops early on a loaded CI machine, so it is
    // not asserted here.)
    await page.getByRole('button', { name: 'Move rule by-header up' }).press('Enter');
    await expect.poll(() => order(page), { timeout: 5000 }).toEqual(['by-header', 'sf-busy']);
    expect(gui.pageErrors, gui.engineLog()).toEqual([]);
  }, 90_000);

  it('a rule changed and saved while the listener runs applies to its next call, without a restart', async () => {
    const { page } = gui.browser;
    await openApp(page, gui.shell.url);
    await page.getByTestId('nav-routing').click();
    await page.getByTestId('routing-text').fill('rules:\n  - name: did-1234\n    did: "1234"\n    agent: busy\n  - name: rest\n    default: true\n    agent: echo\n');
    await page.getByTestId('routing-save').click();
    await expect.poll(() => page.getByTestId('routing-save-status').textContent()).toMatch(/^saved /);
    const { port } = await startListenerFromUi(page, { useRouting: true });
    const first = await dial(page, `sip:1234@127.0.0.1:${port}`, { source: 'silence' });
    await waitForState(page, first, 'terminated');
    await expect.poll(() => card(page, first).textContent()).toMatch(/486/);

    // The same rule now rejects with 403: changed in the form, saved, the listener still running.
    await page.getByTestId('nav-routing').click();
    await page.locator('[data-testid="rule-item"][data-rule="did-1234"]').getByTestId('rule-edit').click();
    await page.getByTestId('rule-agent').fill('reject 403 Changed');
    await expect.poll(() => page.getByTestId('routing-status').textContent(), { timeout: 5000 }).toBe('2 rule(s), 0 outbound route(s)');
    await page.getByTestId('routing-save').click();
    await expect.poll(() => page.getByTestId('routing-save-status').textContent()).toMatch(/^saved .* the running listener routes its next call by it$/);
    await page.getByTestId('nav-listener').click();
    expect(await page.getByTestId('listener-state').getAttribute('data-running')).toBe('true');
    const second = await dial(page, `sip:1234@127.0.0.1:${port}`, { source: 'silence' });
    await waitForState(page, second, 'terminated');
    await expect.poll(() => card(page, second).textContent()).toMatch(/403/);
    await page.getByTestId('nav-routing').click();
    await expect.poll(() => page.getByTestId('rule-item-count').allTextContents(), { timeout: 5000 }).toEqual([' · 2 call(s)', ' · 0 call(s)']);
    await page.getByTestId('nav-listener').click();
    await page.getByTestId('listener-stop').click();
    expect(gui.pageErrors, gui.engineLog()).toEqual([]);
  }, 60_000);
});
