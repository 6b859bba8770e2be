/**
 * Small CLI usage fixes (issue 10 item 10): --header refuses headers the stack writes, a bare word
 * is not dialed as a host, listen's --local-port is a hidden alias of --port, and npx under the
 * system Node (older than 22 here) prints no EBADENGINE warning.
 */
import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { explain, repoRoot, runCli, startListen } from '../../support/cli.ts';
import { freePort } from '../../support/ports.ts';
import { stopAllStarted } from '../../support/processes.ts';

afterEach(stopAllStarted);

describe('CLI usage errors', () => {
  for (const h of ['Via: SIP/2.0/UDP 1.2.3.4', 'Call-ID: x', 'CSeq: 9 INVITE', 'From: <sip:a@b>;tag=1', 'To: <sip:b@c>', 'Content-Length: 5', 'l: 5', 'Max-Forwards: 1']) {
    it(`--header "${h}": exit 2, says the stack writes it, nothing sent`, async () => {
      const r = await runCli(['call', 'sip:echo@127.0.0.1:9', '--header', h, '--json'], { timeoutMs: 15_000 });
      expect(r.code, explain(r)).toBe(2);
      expect(r.stderr, explain(r)).toMatch(/--header: [\w-]+ is written by the SIP stack/);
      expect(r.json, explain(r)).toBeUndefined();
    });
  }

  it('--header with a header of the user (X-Test, P-Asserted-Identity) is still accepted', async () => {
    const r = await runCli(['options', 'sip:127.0.0.1:9', '--header', 'X-Test: 1', '--header', 'P-Asserted-Identity: <sip:1@x>', '--bind', '127.0.0.1', '--json'], { timeoutMs: 15_000 });
    expect(r.code, explain(r)).toBe(1); // nothing listens on port 9: refused, but not a usage error
    expect(r.json, explain(r)).toMatchObject({ command: 'options' });
  });

  for (const cmd of ['call', 'options']) {
    it(`${cmd} notauri: exit 2, "not a SIP URI or number"`, async () => {
      const r = await runCli([cmd, 'notauri', '--json'], { timeoutMs: 15_000 });
      expect(r.code, explain(r)).toBe(2);
      expect(r.stderr, explain(r)).toMatch(/"notauri" is not a SIP URI or number/);
    });
  }
});

describe('listen --port and --local-port', () => {
  it('--help shows --port only; --local-port P still binds P', async () => {
    const help = await runCli(['listen', '--help'], { timeoutMs: 15_000 });
    expect(help.stdout).toMatch(/--port <port>/);
    expect(help.stdout).not.toMatch(/--local-port/);
    const port = await freePort();
    const l = startListen(['--bind', '127.0.0.1', '--local-port', String(port), '--transport', 'udp', '--duration', '10', '--json']);
    await l.ready;
    // Something answers OPTIONS on that port.
    const sock = createSocket('udp4');
    const got = new Promise<string>((resolve) => sock.once('message', (m) => resolve(m.toString('latin1'))));
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
    const lp = sock.address().port;
    const req = [`OPTIONS sip:x@127.0.0.1:${port} SIP/2.0`, `Via: SIP/2.0/UDP 127.0.0.1:${lp};branch=z9hG4bKlp1`, 'From: <sip:t@127.0.0.1>;tag=a', `To: <sip:x@127.0.0.1:${port}>`, 'Call-ID: lp-1', 'CSeq: 1 OPTIONS', 'Max-Forwards: 70', 'Content-Length: 0', '', ''].join('\r\n');
    sock.send(req, port, '127.0.0.1');
    const res = await Promise.race([got, new Promise<string>((r) => setTimeout(() => r('timeout'), 5000))]);
    sock.close();
    const out = await l.stop();
    expect(res, explain(out)).toMatch(/^SIP\/2\.0 200 /);
  });
});

describe('npx under the system Node', () => {
  it('prints the version and no EBADENGINE warning', () => {
    const r = spawnSync('npx', ['--no-install', 'trunkscope', '--version'], { cwd: repoRoot, env: { ...process.env, PATH: '/usr/bin:/bin' }, encoding: 'utf8', timeout: 60_000 });
    const node = spawnSync('node', ['--version'], { env: { PATH: '/usr/bin:/bin' }, encoding: 'utf8' }).stdout.trim();
    const why = `system node ${node}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
    expect(r.status, why).toBe(0);
    expect(r.stdout.trim(), why).toMatch(/^\d+\.\d+\.\d+$/);
    expect(r.stderr, why).not.toMatch(/EBADENGINE/);
  });
});
