/**
 * `call NUMBER --route NAME --routes FILE --bundle FILE.zip` (issue 11): the bundle is written,
 * with one set of files per attempt — a primary our own `listen` rejects with 503, then a
 * secondary `listen` that challenges with 407 and answers — the last attempt's report being the
 * route's (attempts listed), and neither the password nor the digest response in any entry.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { CallReport } from '../../../src/shared/model/report.ts';
import { explain, runCli, startListen } from '../../support/cli.ts';
import { freePort } from '../../support/ports.ts';
import { stopAllStarted } from '../../support/processes.ts';

afterEach(stopAllStarted);
const dir = mkdtempSync(join(tmpdir(), 'trunkscope-route-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PASSWORD = 'Rout3dSecret';

describe('call --route --bundle', () => {
  it('writes one set of files per attempt; the last report is the route report', async () => {
    const [p1, p2] = [await freePort(), await freePort()];
    const common = ['--bind', '127.0.0.1', '--transport', 'udp', '--duration', '25'];
    const primary = startListen([...common, '--port', String(p1), '--answer', 'reject:503'], { timeoutMs: 40_000 });
    const secondary = startListen([...common, '--port', String(p2), '--auth-user', 'alice', '--auth-password', PASSWORD], { timeoutMs: 40_000 });
    await Promise.all([primary.ready, secondary.ready]);
    const routes = join(dir, 'routes.yaml');
    writeFileSync(routes, `outbound:\n  - name: us\n    targets:\n      - { uri: "sip:{number}@127.0.0.1:${p1}", priority: 10 }\n      - { uri: "sip:{number}@127.0.0.1:${p2}", priority: 20 }\n`);
    const zip = join(dir, 'route.zip');
    const r = await runCli(['call', '+14155550100', '--routes', routes, '--route', 'us', '--duration', '1', '--json', '--user', 'alice', '--password', PASSWORD, '--bundle', zip], { timeoutMs: 40_000 });
    await Promise.all([primary.stop(), secondary.stop()]);
    expect(r.code, explain(r)).toBe(0);
    expect(r.json!.attempts!.map((a) => a.status), explain(r)).toEqual([503, 200]);
    expect(existsSync(zip), 'the bundle was written').toBe(true);
    const files = unzipSync(readFileSync(zip));
    const reports = Object.keys(files).filter((n) => n.startsWith('report-'));
    expect(reports, Object.keys(files).join(', ')).toHaveLength(2);
    expect(Object.keys(files)).toHaveLength(1 + 2 * 4);
    const parsed = reports.map((n) => JSON.parse(Buffer.from(files[n]!).toString()) as CallReport);
    const last = parsed.find((p) => p.callId === r.json!.callId)!;
    expect(last.outboundRoute).toBe('us');
    expect(last.attempts!.map((a) => a.status)).toEqual([503, 200]);
    expect(parsed.find((p) => p !== last)!.finalStatus).toBe(503);
    const ladders = Object.entries(files).filter(([n]) => n.startsWith('ladder-')).map(([, d]) => Buffer.from(d).toString());
    expect(ladders.some((t) => /SIP\/2\.0 503/.test(t))).toBe(true);
    // The secondary's 407 and the retried INVITE with its (redacted) digest are in the bundle.
    const answered = ladders.find((t) => /SIP\/2\.0 407/.test(t))!;
    expect(answered).toMatch(/Proxy-Authorization: Digest .*response="(\*\*\*\*|response-redacted-\d+)"/);
    for (const [name, data] of Object.entries(files)) {
      const text = Buffer.from(data).toString('latin1');
      expect(text, name).not.toContain(PASSWORD);
      expect(text, name).not.toMatch(/response="[0-9a-f]{32}"/);
    }
  }, 60_000);
});
