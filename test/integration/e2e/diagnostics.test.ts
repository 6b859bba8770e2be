/**
 * End-to-end, issue 11 item 4 in Chromium through the web shell: open a customer's capture (built
 * from real message templates: a call rejected 486, and a call answered whose callee never sends
 * RTP) with the file picker, see each call's verdict and cause in the Diagnostics view, filter by
 * cause, follow the evidence to the message selected in the ladder; drop a second capture on the
 * trace view and see its ladder, RTP stream and diagnosis; a file that is not a capture is a
 * clear error.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUSY_CALL, SILENT_CALL, twoCallPcap } from '../../support/diagnosis-captures.ts';
import { openApp } from './gui.ts';
import { useGui } from './harness.ts';

const gui = useGui();
const dir = mkdtempSync(join(tmpdir(), 'trunkscope-diag-e2e-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const row = (callId: string) => `[data-testid="diag-call"][data-call-id="${callId}"]`;

describe('e2e: Diagnostics view and captures in the trace view', () => {
  it('opens a capture, shows verdicts and causes, filters by cause, evidence selects the message', async () => {
    const { page } = gui.browser;
    const file = join(dir, 'customer.pcap');
    writeFileSync(file, twoCallPcap());
    await openApp(page, gui.shell.url);
    await page.getByTestId('nav-diagnostics').click();
    await page.getByTestId('diag-file').setInputFiles(file);
    await expect.poll(() => page.getByTestId('diag-status').textContent(), { timeout: 10_000 }).toBe('opened customer.pcap: 2 call(s)');

    const busy = page.locator(row(BUSY_CALL));
    const silent = page.locator(row(SILENT_CALL));
    expect(await busy.getAttribute('data-verdict')).toBe('failed');
    expect(await busy.getByTestId('diag-cause').evaluateAll((els) => els.map((e) => e.getAttribute('data-code')))).toEqual(['busy']);
    expect(await busy.getByTestId('diag-cause').textContent()).toContain('486: the callee is busy');
    expect(await silent.getAttribute('data-verdict')).toBe('failed');
    const silentCodes = await silent.getByTestId('diag-cause').evaluateAll((els) => els.map((e) => e.getAttribute('data-code')));
    expect(silentCodes).toContain('one-way-audio');
    expect(await silent.locator('[data-testid="diag-cause"][data-code="one-way-audio"]').textContent()).toMatch(/the peer's audio never arrived/);

    // Filter by cause: only the busy call is left; then the one-way-audio call only.
    await page.getByTestId('diag-filter-cause').selectOption('busy');
    await expect.poll(() => page.getByTestId('diag-call').evaluateAll((els) => els.map((e) => e.getAttribute('data-call-id')))).toEqual([BUSY_CALL]);
    expect(await page.getByTestId('diag-count').textContent()).toBe('1 / 2 call(s)');
    await page.getByTestId('diag-filter-cause').selectOption('one-way-audio');
    await expect.poll(() => page.getByTestId('diag-call').evaluateAll((els) => els.map((e) => e.getAttribute('data-call-id')))).toEqual([SILENT_CALL]);
    await page.getByTestId('diag-filter-cause').selectOption('busy');

    // The evidence "frame 3" is the 486: the trace view opens on that call with it selected.
    const evidence = busy.locator('[data-testid="diag-evidence"][data-ref="frame 3"]');
    expect(await evidence.count()).toBe(1);
    await evidence.click();
    await page.locator('[data-testid="trace-row"][data-status="486"][aria-selected="true"]').waitFor({ timeout: 5000 });
    expect(await page.getByTestId('trace-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-method') || e.getAttribute('data-status')))).toEqual(['INVITE', '100', '486', 'ACK']);
    expect(await page.getByTestId('trace-message').locator('.hl-start').textContent()).toBe('SIP/2.0 486 Busy Here');
    expect(await page.getByTestId('trace-filter-callid').inputValue()).toBe(BUSY_CALL);
    expect(await page.getByTestId('trace-diagnosis').getAttribute('data-verdict')).toBe('failed');
    expect(await page.getByTestId('trace-source').locator('option:checked').textContent()).toBe('customer.pcap');
    expect(gui.pageErrors, gui.engineLog()).toEqual([]);
  });

  it('a capture dropped on the trace view shows its ladder, RTP stream and diagnosis; a non-capture is a clear error', async () => {
    const { page } = gui.browser;
    await page.getByTestId('nav-trace').click();
    const bytes = [...twoCallPcap()];
    // Runs in the page (DOM types are not in this tsconfig's lib): a DataTransfer holding the file.
    interface PageGlobals {
      DataTransfer: new () => { items: { add(f: unknown): void } };
      File: new (parts: unknown[], name: string, o: { type: string }) => unknown;
    }
    const dataTransfer = await page.evaluateHandle((b) => {
      const g = globalThis as unknown as PageGlobals;
      const dt = new g.DataTransfer();
      dt.items.add(new g.File([new Uint8Array(b)], 'dropped.pcap', { type: 'application/vnd.tcpdump.pcap' }));
      return dt;
    }, bytes);
    const zone = page.locator('.trace-drop');
    await zone.dispatchEvent('dragover', { dataTransfer });
    await zone.dispatchEvent('drop', { dataTransfer });
    // The first call of the dropped file is shown; switch to the answered one.
    await expect.poll(() => page.getByTestId('trace-source').locator('option:checked').textContent(), { timeout: 10_000 }).toBe('dropped.pcap');
    await page.getByTestId('trace-filter-callid').fill(SILENT_CALL);
    await expect.poll(() => page.getByTestId('trace-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-method') || e.getAttribute('data-status')))).toEqual(['INVITE', '100', '200', 'ACK', 'BYE', '200']);
    const band = page.locator('[data-testid="trace-stream"][data-dir="sent"]');
    expect(await band.count()).toBe(1);
    expect(await band.textContent()).toMatch(/RTP sent · 350 pkts · lost 0\.0 %/);
    expect(await page.locator('[data-testid="trace-stream"][data-dir="received"]').count()).toBe(0);
    const panel = page.getByTestId('trace-diagnosis');
    expect(await panel.getAttribute('data-verdict')).toBe('failed');
    expect(await panel.locator('[data-testid="diag-cause"][data-code="one-way-audio"]').count()).toBe(1);
    expect(await page.getByTestId('trace-capture-stream').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-dir')} ${e.textContent}`))).toEqual([
      expect.stringMatching(/^sent sent198\.51\.100\.2:20002 → 203\.0\.113\.5:400020x00001111PCMU350 \/ 3500 \(0\.0 %\)/),
    ]);
    // Back to the live trace: the capture's messages are not in it.
    await page.getByTestId('trace-source').selectOption('');
    expect(await page.getByTestId('trace-filter-callid').inputValue()).toBe('');
    expect(await page.locator(`[data-testid="trace-row"][data-call-id="${SILENT_CALL}"]`).count()).toBe(0);

    // Not a capture: the status line and the error list say so; the app keeps working.
    const notes = join(dir, 'notes.txt');
    writeFileSync(notes, 'these are my notes, not a capture\n');
    await page.getByTestId('nav-diagnostics').click();
    await page.getByTestId('diag-file').setInputFiles(notes);
    await expect.poll(() => page.getByTestId('error-message').last().textContent(), { timeout: 10_000 }).toMatch(/notes\.txt: not a readable pcap or pcapng capture/);
    expect(await page.getByTestId('diag-status').textContent()).toBe('notes.txt: could not be opened (see the error above)');
    await page.getByTestId('diag-filter-cause').selectOption('');
    expect(await page.getByTestId('diag-count').textContent()).toBe('4 / 4 call(s)');
    expect(gui.pageErrors, gui.engineLog()).toEqual([]);
  });
});
