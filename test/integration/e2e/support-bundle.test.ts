/**
 * End-to-end, issue 11 item 5 in Chromium through the web shell: "Save support bundle".
 * - A call dialled from the GUI with a user and password to `trunkscope listen` that challenges
 *   with 407 (a real digest exchange): once it has ended, the button on its card and on its
 *   Diagnostics row each download a zip holding README, pcap (SIP both INVITEs, the 407, RTP),
 *   ladder, JSON report with the diagnosis and the diagnosis text — without the password or the
 *   digest response.
 * - An imported capture whose INVITE carries a digest response: the row's button downloads that
 *   call's bundle, its evidence citing the bundle pcap's frame (tshark shows the 486 there) with
 *   the original frame beside it; the capture's own button bundles both of its calls.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import type { Locator, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { CallReport } from '../../../src/shared/model/report.ts';
import { BUSY_CALL, SILENT_CALL, twoCallPackets } from '../../support/diagnosis-captures.ts';
import { buildPcap } from '../../unit/engine/analyze/capture-builder.ts';
import { card, dial, openApp, waitForState } from './gui.ts';
import { startCliListener, useGui } from './harness.ts';

const gui = useGui();
const dir = mkdtempSync(join(tmpdir(), 'trunkscope-e2e-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PASSWORD = 'Gui-Bundle-Pw9';
const RESPONSE = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';

/** Click the button, catch the browser download, unzip it. */
async function saveBundle(page: Page, button: Locator): Promise<{ name: string; path: string; files: Record<string, Uint8Array> }> {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), button.click()]);
  expect(await dl.failure()).toBeNull();
  const name = dl.suggestedFilename();
  const path = join(dir, `${Date.now()}-${name}`);
  await dl.saveAs(path);
  return { name, path, files: unzipSync(readFileSync(path)) };
}

function tsharkFields(file: string, filter: string, fields: string[]): string[][] {
  const r = spawnSync('tshark', ['-n', '-r', file, '-o', 'rtp.heuristic_rtp:TRUE', '-Y', filter, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])], { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(`tshark exit ${r.status}: ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l.trim()).map((l) => l.split('\t'));
}

const text = (d: Uint8Array | undefined): string => Buffer.from(d ?? new Uint8Array()).toString('latin1');
const safe = (id: string): string => id.replace(/[^A-Za-z0-9._-]+/g, '_');

function expectNoSecrets(files: Record<string, Uint8Array>): void {
  for (const [name, data] of Object.entries(files)) {
    expect(text(data), name).not.toContain(PASSWORD);
    expect(text(data), name).not.toContain(RESPONSE);
    expect(text(data), name).not.toMatch(/response="[0-9a-f]{32}"/);
  }
}

describe('e2e: Save support bundle', () => {
  it('a finished call, from its card and from the Diagnostics view: pcap, ladder, report with diagnosis, no password', async () => {
    const { page } = gui.browser;
    const { listener, port } = await startCliListener(['--auth-user', 'alice', '--auth-password', PASSWORD, '--duration', '90']);
    try {
      await openApp(page, gui.shell.url);
      await page.getByTestId('nav-calls').click();
      await page.locator('details.advanced > summary').click();
      await page.getByTestId('dialer-user').fill('alice');
      await page.getByTestId('dialer-password').fill(PASSWORD);
      const callId = await dial(page, `sip:echo@127.0.0.1:${port}`);
      await waitForState(page, callId, 'connected', 15_000);
      // No bundle while the call is up: the button comes with the report.
      expect(await card(page, callId).getByTestId('call-bundle').count()).toBe(0);
      await page.waitForTimeout(1500);
      await card(page, callId).getByTestId('call-hangup').click();
      await waitForState(page, callId, 'terminated');

      const fromCard = await saveBundle(page, card(page, callId).getByTestId('call-bundle'));
      const id = safe(callId);
      expect(fromCard.name).toBe(`trunkscope-bundle-${id}.zip`);
      const files = fromCard.files;
      expect(Object.keys(files)).toEqual(['README.txt', `call-${id}.pcap`, `ladder-${id}.txt`, `report-${id}.json`, `diagnosis-${id}.txt`]);
      const report = JSON.parse(text(files[`report-${id}.json`])) as CallReport;
      expect(report.callId).toBe(callId);
      expect(report.outcome).toBe('answered');
      expect(report.diagnosis?.verdict).toMatch(/^(ok|degraded|failed)$/);
      expect(Array.isArray(report.diagnosis?.causes)).toBe(true);
      expect(text(files[`diagnosis-${id}.txt`])).toContain(`verdict ${report.diagnosis!.verdict}`);
      const ladder = text(files[`ladder-${id}.txt`]);
      expect(ladder).toMatch(/SIP\/2\.0 407/);
      expect(ladder).toMatch(/Proxy-Authorization: Digest .*response="(\*\*\*\*|response-redacted-\d+)"/);
      expect(text(files['README.txt'])).toContain('the Trunkscope GUI (outbound call)');
      expectNoSecrets(files);
      // The pcap as Wireshark reads it: the call's SIP (two INVITEs, the 407, the 200) and its RTP.
      const pcap = join(dir, `call-${id}.pcap`);
      writeFileSync(pcap, files[`call-${id}.pcap`]!);
      const sip = tsharkFields(pcap, 'sip', ['sip.Call-ID', 'sip.Method', 'sip.Status-Code']);
      expect(new Set(sip.map((f) => f[0]))).toEqual(new Set([callId]));
      expect(sip.filter((f) => f[1] === 'INVITE')).toHaveLength(2);
      expect(sip.some((f) => f[2] === '407')).toBe(true);
      expect(sip.some((f) => f[2] === '200')).toBe(true);
      expect(tsharkFields(pcap, 'rtp', ['rtp.ssrc']).length, 'RTP packets in the bundle pcap').toBeGreaterThan(50);

      // The same call's row in the Diagnostics view saves the same bundle.
      await page.getByTestId('nav-diagnostics').click();
      const row = page.locator(`[data-testid="diag-call"][data-call-id="${callId}"]`);
      const fromRow = await saveBundle(page, row.getByTestId('diag-bundle'));
      expect(fromRow.name).toBe(fromCard.name);
      expect(Object.keys(fromRow.files)).toEqual(Object.keys(files));
      expect(JSON.parse(text(fromRow.files[`report-${id}.json`])).diagnosis).toEqual(report.diagnosis);
      expect(gui.pageErrors, gui.engineLog()).toEqual([]);
    } finally {
      await listener.stop();
    }
  }, 90_000);

  it('an imported capture: one call, and all of it; evidence cites the bundle pcap frame; no digest response', async () => {
    const { page } = gui.browser;
    // The busy call's INVITE carries a digest response that must not reach the bundle.
    const packets = twoCallPackets().map((p, i) => (i === 0 ? { ...p, payload: Buffer.from(p.payload.toString('latin1').replace('\r\n\r\n', `\r\nProxy-Authorization: Digest username="alice", realm="t", nonce="n1", uri="sip:x", response="${RESPONSE}"\r\n\r\n`), 'latin1') } : p));
    const file = join(dir, 'customer.pcap');
    writeFileSync(file, buildPcap(packets));
    await page.getByTestId('nav-diagnostics').click();
    await page.getByTestId('diag-file').setInputFiles(file);
    await expect.poll(() => page.getByTestId('diag-status').textContent(), { timeout: 10_000 }).toBe('opened customer.pcap: 2 call(s)');

    const busyRow = page.locator(`[data-testid="diag-call"][data-source^="cap-"][data-call-id="${BUSY_CALL}"]`);
    const one = await saveBundle(page, busyRow.getByTestId('diag-bundle'));
    const id = safe(BUSY_CALL);
    expect(one.name).toBe(`trunkscope-bundle-${id}.zip`);
    expect(Object.keys(one.files)).toEqual(['README.txt', `call-${id}.pcap`, `ladder-${id}.txt`, `report-${id}.json`, `diagnosis-${id}.txt`]);
    const report = JSON.parse(text(one.files[`report-${id}.json`])) as CallReport;
    const busy = report.diagnosis!.causes.find((c) => c.code === 'busy')!;
    expect(report.diagnosis!.verdict).toBe('failed');
    expect(busy.evidence[0]).toMatchObject({ ref: 'frame 3', originalRef: 'frame 3', text: 'SIP/2.0 486 Busy Here' });
    const pcap = join(dir, `capture-${id}.pcap`);
    writeFileSync(pcap, one.files[`call-${id}.pcap`]!);
    expect(tsharkFields(pcap, 'frame.number==3', ['sip.Status-Line'])).toEqual([['SIP/2.0 486 Busy Here']]);
    expect(text(one.files['README.txt'])).toContain('the Trunkscope GUI (an opened capture) from customer.pcap');
    expect(text(one.files[`ladder-${id}.txt`])).toContain('Proxy-Authorization');
    expectNoSecrets(one.files);

    // The capture's own button: both calls, the silent one with its RTP renumbered after the busy one's frames.
    const all = await saveBundle(page, page.getByTestId('diag-capture-bundle').last());
    expect(all.name).toBe('trunkscope-bundle-customer.zip');
    expect(Object.keys(all.files)).toHaveLength(9);
    const silent = safe(SILENT_CALL);
    expect(text(all.files[`ladder-${silent}.txt`])).toContain(`message 5: frame 355 of call-${silent}.pcap = frame 359 of the original capture`);
    const silentPcap = join(dir, `capture-${silent}.pcap`);
    writeFileSync(silentPcap, all.files[`call-${silent}.pcap`]!);
    expect(tsharkFields(silentPcap, 'frame.number==355', ['sip.Method'])).toEqual([['BYE']]);
    expectNoSecrets(all.files);
    expect(gui.pageErrors, gui.engineLog()).toEqual([]);
  }, 60_000);
});
