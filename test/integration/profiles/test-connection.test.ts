/**
 * `trunkscope test --profile NAME`: Test Connection against real peers — Kamailio (pass), a
 * closed port (fail at transport), Kamailio with a wrong password (fail at register, named), our
 * own TLS listener with a self-signed certificate (fail, then pass with --tls-insecure), and a
 * test call with media to our own agent.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestConnectionReport } from '../../../src/shared/model/report.ts';
import { explain, runCli, startListen } from '../../support/cli.ts';
import { kamailioPassword, startKamailio, type Kamailio } from '../../support/kamailio.ts';
import { freePort } from '../../support/ports.ts';
import { stopAllStarted } from '../../support/processes.ts';

let dir: string;
const saved = { ...process.env };
let kam: Kamailio;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ts-test-conn-'));
  process.env['TRUNKSCOPE_CONFIG_DIR'] = dir;
  process.env['TRUNKSCOPE_SECRETS'] = 'file';
  kam = await startKamailio({ timeoutMs: 240_000 });
});
afterAll(async () => {
  await kam?.stop();
  process.env = saved;
  rmSync(dir, { recursive: true, force: true });
  await stopAllStarted();
});
afterEach(async () => {
  if (kam?.proc.done()) throw new Error(`kamailio died:\n${kam.log().slice(-3000)}`);
});

async function test(args: string[]): Promise<{ code: number | null; report: TestConnectionReport; why: string }> {
  const r = await runCli(['test', ...args, '--json'], { timeoutMs: 40_000 });
  const why = explain(r);
  let report: TestConnectionReport;
  try {
    report = JSON.parse(r.stdout) as TestConnectionReport;
  } catch {
    throw new Error(`no JSON report:\n${why}`);
  }
  return { code: r.code, report, why };
}

const byName = (r: TestConnectionReport) => Object.fromEntries(r.steps.map((s) => [s.name, s]));

describe('trunkscope test', () => {
  it('Kamailio with the right password: every step passes, in order, exit 0', async () => {
    expect((await runCli(['profile', 'add', 'kam', '--preset', 'pbx', '--domain', `127.0.0.1:${kam.port}`, '--user', 'alice', '--password', kamailioPassword])).code).toBe(0);
    const { code, report, why } = await test(['--profile', 'kam']);
    expect(code, why).toBe(0);
    expect(Object.keys(report), why).toEqual(['command', 'profile', 'ok', 'steps']);
    expect(report, why).toMatchObject({ command: 'test', profile: 'kam', ok: true });
    expect(report.steps.map((s) => s.name), why).toEqual(['dns', 'transport', 'options', 'register', 'clock', 'media']);
    for (const s of report.steps) expect(Object.keys(s), why).toEqual(['name', 'status', 'detail', 'ms', 'evidence']);
    const s = byName(report);
    expect(s['dns']!.evidence['targets'], why).toEqual([expect.objectContaining({ proto: 'udp', address: '127.0.0.1', port: kam.port, source: 'literal' })]);
    expect(s['transport']!.status, why).toBe('pass');
    expect(s['options']!.evidence['status'], why).toBe(200);
    expect(s['options']!.evidence['rttMs'], why).toEqual(expect.any(Number));
    expect(s['register']!.status, why).toBe('pass');
    expect(s['register']!.evidence['expiresGranted'], why).toBeGreaterThan(0);
    expect(s['media']!, why).toMatchObject({ status: 'skip', detail: 'no --call NUMBER given' });
  });

  it('a wrong password fails at register and says so; the steps before pass', async () => {
    expect((await runCli(['profile', 'edit', 'kam', '--password', 'not-the-secret'])).code).toBe(0);
    const { code, report, why } = await test(['--profile', 'kam']);
    expect(code, why).toBe(1);
    const s = byName(report);
    expect(report.ok, why).toBe(false);
    expect(s['transport']!.status, why).toBe('pass');
    expect(s['register']!.status, why).toBe('fail');
    expect(s['register']!.detail, why).toMatch(/wrong password or user name/);
    expect(s['register']!.evidence['authFailure'], why).toBe('wrong-credentials');
  });

  it('a closed port fails at transport; the steps after it are skipped with the reason', async () => {
    const port = await freePort();
    expect((await runCli(['profile', 'add', 'closed', '--domain', `127.0.0.1:${port}`, '--transport', 'tcp', '--user', 'a', '--password', 'b'])).code).toBe(0);
    const { code, report, why } = await test(['--profile', 'closed']);
    expect(code, why).toBe(1);
    const s = byName(report);
    expect(s['transport'], why).toMatchObject({ status: 'fail', evidence: { error: 'ECONNREFUSED' } });
    expect(s['transport']!.detail, why).toMatch(/connection refused: nothing listens on that port/);
    for (const n of ['options', 'register', 'clock']) expect(s[n], why).toMatchObject({ status: 'skip', detail: 'skipped: transport failed' });
  });

  it('TLS with a self-signed certificate: fail (not trusted), then pass with --tls-insecure; the certificate is described', async () => {
    const port = await freePort();
    const listener = startListen(['--bind', '127.0.0.1', '--port', String(port), '--transport', 'tls', '--duration', '60', '--no-media']);
    await listener.ready;
    try {
      expect((await runCli(['profile', 'add', 'tls', '--domain', `127.0.0.1:${port}`, '--transport', 'tls', '--mode', 'ip'])).code).toBe(0);
      const strict = await test(['--profile', 'tls']);
      expect(strict.code, strict.why).toBe(1);
      const t = byName(strict.report)['transport']!;
      expect(t.status, strict.why).toBe('fail');
      expect(t.detail, strict.why).toMatch(/TLS certificate not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT\): it is self-signed/);
      expect(t.evidence['certificate'], strict.why).toMatchObject({ subject: 'CN=trunkscope.local', issuer: 'CN=trunkscope.local', selfSigned: true });
      const loose = await test(['--profile', 'tls', '--tls-insecure']);
      expect(loose.code, loose.why).toBe(0);
      const s = byName(loose.report);
      expect(s['transport']!.status, loose.why).toBe('pass');
      expect(s['transport']!.detail, loose.why).toMatch(/NOT verified/);
      expect(s['options']!.evidence['status'], loose.why).toBe(200);
      expect(s['ip-auth']!.status, loose.why).toBe('pass');
    } finally {
      await listener.stop();
    }
  });

  it('--call NUMBER: a test call to our agent has media both ways', async () => {
    const port = await freePort();
    const listener = startListen(['--bind', '127.0.0.1', '--port', String(port), '--transport', 'udp', '--duration', '60']);
    await listener.ready;
    try {
      expect((await runCli(['profile', 'add', 'agent', '--domain', `127.0.0.1:${port}`, '--mode', 'ip'])).code).toBe(0);
      const { code, report, why } = await test(['--profile', 'agent', '--call', '1000', '--duration', '2']);
      expect(code, why).toBe(0);
      const m = byName(report)['media']!;
      expect(m.status, why).toBe('pass');
      expect(m.evidence['sent'], why).toBeGreaterThan(50);
      expect(m.evidence['received'], why).toBeGreaterThan(50);
      expect(m.evidence['oneWayAudio'], why).toBe('ok');
    } finally {
      await listener.stop();
    }
  });
});
