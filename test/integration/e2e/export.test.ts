/**
 * End-to-end: exports from the Trace view, caught as browser downloads. After a call from the
 * dialer to the built-in agent and a SIPp UAC call into it, the pcap export opens in tshark with
 * its SIP messages (and RTP); the redacted pcap and text exports still read as a flow but carry
 * none of the original IP addresses or Call-IDs.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../support/ports.ts';
import { explainSipp, startSipp } from '../../support/sipp.ts';
import { card, dial, openApp, startListenerFromUi, waitForState } from './gui.ts';
import { useGui } from './harness.ts';

const gui = useGui();
const dir = mkdtempSync(join(tmpdir(), 'trunkscope-e2e-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Click an export button and save the browser download; returns its path and suggested name. */
async function download(page: Page, kind: string): Promise<{ path: string; name: string }> {
  const [dl] = await Promise.all([
    page.waitForEvent('download', { timeout: 15_000 }),
    page.getByTestId(`export-${kind}`).click(),
  ]);
  const name = dl.suggestedFilename();
  const path = join(dir, `${kind}-${name}`);
  await dl.saveAs(path);
  expect(await dl.failure()).toBeNull();
  return { path, name };
}

function tshark(args: string[]): string {
  const r = spawnSync('tshark', ['-n', ...args], { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(`tshark ${args.join(' ')} exit ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** tshark -T fields: one array of values per packet. */
function fields(file: string, filter: string, names: string[]): string[][] {
  const out = tshark([
    '-r',
    file,
    '-o',
    'rtp.heuristic_rtp:TRUE',
    '-Y',
    filter,
    '-T',
    'fields',
    ...names.flatMap((n) => ['-e', n]),
  ]);
  return out
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => l.split('\t'));
}

describe('e2e: trace export', () => {
  const ids: string[] = [];

  it('calls to export: one dialled from the GUI, one from SIPp', async () => {
    const { page } = gui.browser;
    await openApp(page, gui.shell.url);
    const { port } = await startListenerFromUi(page, { answer: 'echo' });
    const ours = await dial(page, `sip:echo@127.0.0.1:${port}`);
    await waitForState(page, ours, 'connected');
    await page.waitForTimeout(1500);
    await card(page, ours).getByTestId('call-hangup').click();
    await waitForState(page, ours, 'terminated');
    ids.push(ours);

    const sipp = await startSipp({
      scenario: 'uac',
      remote: `127.0.0.1:${port}`,
      localPort: await freePort(),
      timeoutMs: 30_000,
      extraArgs: ['-d', '1000'],
    });
    const r = await sipp.result;
    expect(r.code, explainSipp(r)).toBe(0);
    const sippCallId = /^Call-ID:\s*(\S+)/im.exec(r.messages)?.[1];
    expect(sippCallId).toBeTruthy();
    ids.push(sippCallId!);
    await page.getByTestId('nav-trace').click();
    await expect
      .poll(async () => (await page.getByTestId('trace-count').textContent()) ?? '')
      .toMatch(/^21 \/ 21$/);
  }, 60_000);

  it('pcap: a download that tshark reads, with SIP and RTP', async () => {
    const { page } = gui.browser;
    await page.getByTestId('nav-trace').click();
    const { path, name } = await download(page, 'pcap');
    expect(name).toMatch(/\.pcap$/);
    const sip = fields(path, 'sip', ['ip.src', 'ip.dst', 'sip.Call-ID', 'sip.CSeq.method']);
    // 14 messages of the loopback call (sent and received copies) + 7 of SIPp's.
    expect(sip.length).toBe(21);
    const callIds = new Set(sip.map((f) => f[2]));
    expect([...callIds].sort()).toEqual([...ids].sort());
    expect(new Set(sip.flatMap((f) => [f[0], f[1]]))).toEqual(new Set(['127.0.0.1']));
    const rtp = fields(path, 'rtp', ['rtp.ssrc']);
    expect(rtp.length, 'RTP packets in the pcap').toBeGreaterThan(100);
    // The ladder as Wireshark sees it, for the dialled call.
    const flow = sip.filter((f) => f[2] === ids[0]).map((f) => f[3]);
    expect(flow.filter((m) => m === 'INVITE').length).toBe(8); // INVITE, 100, 180, 200 ×2 copies
    expect(flow.filter((m) => m === 'BYE').length).toBe(4);
  }, 30_000);

  it('redacted pcap and text: no original address or Call-ID, the flow still reads', async () => {
    const { page } = gui.browser;
    await page.getByTestId('nav-trace').click();
    const pcap = await download(page, 'pcap-redacted');
    const sip = fields(pcap.path, 'sip', [
      'ip.src',
      'ip.dst',
      'sip.Call-ID',
      'sip.Method',
      'sip.Status-Code',
    ]);
    expect(sip.length).toBe(21);
    const addrs = new Set(sip.flatMap((f) => [f[0], f[1]]));
    expect(addrs.has('127.0.0.1'), `addresses in the redacted pcap: ${[...addrs]}`).toBe(false);
    for (const id of ids) {
      expect(
        sip.some((f) => f[2] === id),
        `Call-ID ${id} in the redacted pcap`,
      ).toBe(false);
    }
    // Still two dialogs with the same shape.
    expect(new Set(sip.map((f) => f[2])).size).toBe(2);
    expect(sip.filter((f) => f[3] === 'INVITE').length).toBe(3);
    const bytes = readFileSync(pcap.path).toString('latin1');
    expect(bytes.includes('127.0.0.1'), 'no 127.0.0.1 anywhere in the redacted pcap').toBe(false);
    for (const id of ids) expect(bytes.includes(id), `Call-ID ${id} in the bytes`).toBe(false);

    const text = await download(page, 'text-redacted');
    const body = readFileSync(text.path, 'utf8');
    expect(body).toMatch(/INVITE/);
    expect(body).toMatch(/BYE/);
    expect(body.includes('127.0.0.1'), 'no 127.0.0.1 in the redacted text').toBe(false);
    for (const id of ids)
      expect(body.includes(id), `Call-ID ${id} in the redacted text`).toBe(false);
    expect(gui.pageErrors).toEqual([]);
  }, 30_000);
});
