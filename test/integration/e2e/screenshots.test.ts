/**
 * Screenshots of the main views as test artifacts, at 1440×900 (issue 5 "Done when"): the dialer,
 * a live call (connected, with its charts) in the light and the dark theme, and the ladder of that
 * call with a message open. The far end is a separate `trunkscope listen` (echo), so the picture
 * shows one call as a user placing a call to an agent sees it.
 *
 * Written to docs/screenshots/ (TRUNKSCOPE_SCREENSHOT_DIR elsewhere): dialer.png, live-call.png,
 * live-call-dark.png, ladder.png.
 */
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/cli.ts';
import { pollUntil } from '../../support/browser.ts';
import { card, dial, ladderRows, openApp, setTheme, statNumber, waitForState } from './gui.ts';
import { startCliListener, useGui } from './harness.ts';

const outDir = process.env.TRUNKSCOPE_SCREENSHOT_DIR ?? join(repoRoot, 'docs', 'screenshots');
const gui = useGui();

async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, name);
  // The caret blinks and animations run: settle them so the picture is stable.
  await page.screenshot({ path, animations: 'disabled', caret: 'hide', scale: 'css' });
  expect(statSync(path).size, `${path} written`).toBeGreaterThan(10_000);
}

describe('e2e: screenshots of the main views', () => {
  it('dialer, live call (light and dark), ladder', async () => {
    const { page } = gui.browser;
    const { listener, port } = await startCliListener(['--answer', 'echo']);
    try {
      await openApp(page, gui.shell.url);
      await setTheme(page, 'light');
      const target = `sip:agent@127.0.0.1:${port}`;

      // The dialer with a target typed (the headers section stays closed: opened, it runs past
      // the bottom of a 900-pixel window).
      await page.getByTestId('nav-calls').click();
      await page.getByTestId('dialer-target').fill(target);
      await page.getByTestId('dialer-target').focus();
      await shoot(page, 'dialer.png');

      // A live call with about ten seconds of charts.
      const callId = await dial(page, target);
      const c = card(page, callId);
      await waitForState(page, callId, 'connected');
      for (const d of ['1', '2', '3']) await c.getByTestId(`call-key-${d}`).click();
      await pollUntil(
        'ten stats ticks',
        async () => ((await statNumber(c, 'packets-sent')) ?? 0) >= 450,
        20_000,
        250,
      );
      await page.mouse.move(0, 0);
      await shoot(page, 'live-call.png');
      await setTheme(page, 'dark');
      await page.waitForTimeout(1100); // the charts redraw with the dark palette on the next tick
      await shoot(page, 'live-call-dark.png');
      await setTheme(page, 'light');

      // Hang up and open its ladder, with the INVITE (and its SDP) in the message pane.
      await c.getByTestId('call-hangup').click();
      await waitForState(page, callId, 'terminated');
      await c.getByTestId('call-ladder').click();
      const rows = await pollUntil(
        'the ladder of the call',
        async () => {
          const r = await ladderRows(page);
          return r.some((x) => x.method === 'BYE') && r.at(-1)?.status === '200' ? r : null;
        },
        5000,
      );
      // (`trunkscope listen` answers at once, without a 100 Trying.)
      expect(rows.map((r) => r.label).filter((l) => l !== '100')).toEqual([
        'INVITE',
        '180',
        '200',
        'ACK',
        'BYE',
        '200',
      ]);
      await page.locator(`[data-testid="trace-row"][data-id="${rows[0]!.id}"]`).click();
      await page.getByTestId('trace-message').waitFor();
      await page.mouse.move(0, 0);
      await shoot(page, 'ladder.png');
      expect(gui.pageErrors).toEqual([]);
    } finally {
      await listener.stop();
    }
  }, 90_000);
});
