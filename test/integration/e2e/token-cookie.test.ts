/**
 * Issue 15 item 8, end to end in Chromium: the web shell's `?token=` is moved to an HttpOnly
 * SameSite=Strict cookie on the first load and stripped from the address bar; a reload (no token
 * in the URL any more) still loads the page and opens the WebSocket by the cookie; a fresh
 * browser context without the cookie and without the token is refused.
 */
import { describe, expect, it } from 'vitest';
import { pollUntil } from '../../support/browser.ts';
import { openApp } from './gui.ts';
import { useGui } from './harness.ts';

const gui = useGui();

describe('e2e: the web shell token leaves the URL', () => {
  it('no token in the address bar after load; a reload still works by the cookie', async () => {
    const { page } = gui.browser;
    await openApp(page, gui.shell.url);
    await pollUntil('token stripped', () => !page.url().includes('token=') || undefined, 5000);
    expect(page.url(), gui.engineLog()).not.toContain('token=');
    expect(await page.evaluate('location.search')).toBe('');
    const cookies = await page.context().cookies();
    const c = cookies.find((x) => x.name.startsWith('trunkscope_token'));
    expect(c, JSON.stringify(cookies)).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    // The page's script cannot read it.
    expect(await page.evaluate<string>('document.cookie')).not.toContain('trunkscope_token');

    const res = await page.reload({ waitUntil: 'domcontentloaded', timeout: 15_000 });
    expect(res?.status()).toBe(200);
    await page.locator('[data-testid="conn-status"][data-status="open"]').waitFor({ timeout: 10_000 });
    expect(page.url()).not.toContain('token=');
    expect(gui.pageErrors.filter((e) => /WebSocket|401|403/.test(e))).toEqual([]);

    // Without the cookie and the token: refused.
    const bare = new URL(gui.shell.url);
    bare.search = '';
    const other = await page.context().browser()!.newContext();
    try {
      const p2 = await other.newPage();
      const r2 = await p2.goto(bare.toString(), { timeout: 15_000 });
      expect(r2?.status()).toBe(401);
    } finally {
      await other.close();
    }
  });
});
