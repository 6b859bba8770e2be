/**
 * `trunkscope ui` where the GUI was never built: it builds it on first use (as `npm start` does)
 * and serves the page, instead of the 503 "not built" page.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stopAllStarted } from '../../support/processes.ts';
import { startWebShellProcess } from '../../support/web-shell.ts';

const dir = mkdtempSync(join(tmpdir(), 'ts-ui-build-'));
afterAll(async () => {
  await stopAllStarted();
  rmSync(dir, { recursive: true, force: true });
});

describe('trunkscope ui on a checkout without a built GUI', () => {
  it('builds the renderer, then serves it (200, the app page)', async () => {
    const out = join(dir, 'renderer');
    expect(existsSync(out)).toBe(false);
    const shell = await startWebShellProcess({ renderer: out, readyMs: 280_000 });
    try {
      expect(shell.proc.stderr()).toMatch(/building the GUI \(first start only\)/);
      expect(existsSync(join(out, 'index.html'))).toBe(true);
      const res = await fetch(shell.url);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toMatch(/<div id="root">/);
      expect(html).not.toMatch(/has not been built/);
    } finally {
      await shell.stop();
    }
  }, 300_000);
});
