/**
 * Issue 11 item 5: `call --bundle` to our own `listen` writes one zip with the Call-ID in each
 * entry's name and no password in it; a bad path is a usage error before any call.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { explain, runCli, startListen } from '../../support/cli.ts';
import { freePort } from '../../support/ports.ts';
import { stopAllStarted } from '../../support/processes.ts';
import { buildPcap, sipCall } from '../../unit/engine/analyze/capture-builder.ts';

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

  it('diagnose --bundle on a capture of two calls: one set of files per call, digest response redacted', async () => {
    const secret = '0123456789abcdef0123456789abcdef';
    const pkts = [1, 2].flatMap((n) => {
      const m = sipCall({ callerMedia: '198.51.100.2:20000', calleeMedia: '203.0.113.5:40000', final: '404 Not Found' });
      const fix = (t: string): Buffer => Buffer.from(t.replace(/^(Call-ID:\s*)(\S+)/im, `$1call${n}-$2`).replace('\r\n\r\n', `\r\nAuthorization: Digest username="u", response="${secret}"\r\n\r\n`), 'latin1');
      const p = (atMs: number, fromCaller: boolean, t: string) => ({ atMs: atMs + n * 1000, src: fromCaller ? '198.51.100.2' : '203.0.113.5', dst: fromCaller ? '203.0.113.5' : '198.51.100.2', sport: 5060, dport: 5060, payload: fix(t) });
      return [p(0, true, m.invite), p(50, false, m.final), p(60, true, m.ack)];
    });
    const pcap = join(dir, 'two.pcap');
    writeFileSync(pcap, buildPcap(pkts));
    const zip = join(dir, 'diag.zip');
    const r = await runCli(['diagnose', pcap, '--bundle', zip]);
    expect(r.code, explain(r)).toBe(1); // 404: a failed verdict
    const names = Object.keys(unzipSync(readFileSync(zip)));
    expect(names.filter((x) => x.startsWith('report-call1-'))).toHaveLength(1);
    expect(names.filter((x) => x.startsWith('report-call2-'))).toHaveLength(1);
    expect(names).toHaveLength(9);
    for (const data of Object.values(unzipSync(readFileSync(zip)))) expect(Buffer.from(data).toString('latin1')).not.toContain(secret);
    const one = join(dir, 'one.zip');
    const files = unzipSync(readFileSync(zip));
    const callId = (JSON.parse(Buffer.from(files[names.find((x) => x.startsWith('report-call2-'))!]!).toString()) as { callId: string }).callId;
    const c = await runCli(['diagnose', pcap, '--bundle', one, '--call-id', callId]);
    expect(c.code, explain(c)).toBe(1);
    const only = Object.keys(unzipSync(readFileSync(one)));
    expect(only).toHaveLength(5);
    expect(only.every((x) => x === 'README.txt' || x.includes('call2-'))).toBe(true);
  });
});
