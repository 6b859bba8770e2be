/**
 * Issue 11 item 5: `call --bundle` to our own `listen` writes one zip with the Call-ID in each
 * entry's name and no password in it; a bad path is a usage error before any call.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { explain, runCli, startListen } from '../../support/cli.ts';
import { freePort } from '../../support/ports.ts';
import { stopAllStarted } from '../../support/processes.ts';

afterEach(stopAllStarted);
const dir = mkdtempSync(join(tmpdir(), 'trunkscope-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--bundle', () => {
  it('call --bundle to listen: README, pcap, ladder, report, diagnosis named by Call-ID', async () => {
    const port = await freePort();
    const l = startListen(['--bind', '127.0.0.1', '--port', String(port), '--transport', 'udp', '--duration', '20'], { timeoutMs: 30_000 });
    await l.ready;
    const zip = join(dir, 'call.zip');
    const r = await runCli(['call', `sip:echo@127.0.0.1:${port}`, '--duration', '1', '--json', '--user', 'alice', '--password', 'Hunter2pw', '--bundle', zip], { timeoutMs: 30_000 });
    await l.stop();
    expect(r.code, explain(r)).toBe(0);
    const files = unzipSync(readFileSync(zip));
    const id = r.json!.callId!.replace(/[^A-Za-z0-9._-]+/g, '_');
    expect(Object.keys(files)).toEqual(['README.txt', `call-${id}.pcap`, `ladder-${id}.txt`, `report-${id}.json`, `diagnosis-${id}.txt`]);
    expect(Buffer.from(files[`ladder-${id}.txt`]!).toString()).toContain('INVITE');
    for (const data of Object.values(files)) expect(Buffer.from(data).toString('latin1')).not.toContain('Hunter2pw');
  });

  it('an unwritable --bundle path: exit 2 before the call', async () => {
    const r = await runCli(['call', 'sip:echo@127.0.0.1:9', '--bundle', join(dir, 'missing', 'b.zip')]);
    expect(r.code, explain(r)).toBe(2);
    expect(r.stderr).toContain('--bundle');
  });
});
