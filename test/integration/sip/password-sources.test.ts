/**
 * Issue 15 item 8: the digest password off the command line. `call` and `load` against SIPp's
 * uas-407-auth (which checks the exact digest response), `register` against Kamailio, with the
 * password from --password-stdin, --password-file and $TRUNKSCOPE_PASSWORD; usage errors (exit 2)
 * for two sources and an unreadable file; --help saying why.
 */
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { explain, runCli } from '../../support/cli.ts';
import { startKamailio, kamailioPassword, type Kamailio } from '../../support/kamailio.ts';
import { freePort } from '../../support/ports.ts';
import { stopAllStarted } from '../../support/processes.ts';
import { callSippUas, finishSipp } from '../../support/sip-flows.ts';
import { explainSipp, startSipp } from '../../support/sipp.ts';

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
/** The digest uas-407-auth.xml expects: RFC 2617 §3.2.2.1 without qop. */
const expectedDigest = (port: number, user = 'echo'): string => md5(`${md5(`alice:trunkscope.test:secret`)}:6b8b4567327b23c6643c9869:${md5(`INVITE:sip:${user}@127.0.0.1:${port}`)}`);

let dir: string;
let goodFile: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ts-pw-'));
  goodFile = join(dir, 'pw');
  writeFileSync(goodFile, 'secret\n');
  chmodSync(goodFile, 0o600);
});
afterAll(async () => {
  await stopAllStarted();
  rmSync(dir, { recursive: true, force: true });
});

describe('call → SIPp uas-407-auth, password not on the command line', () => {
  afterEach(stopAllStarted);
  it('--password-stdin: the retried INVITE carries the right digest', async () => {
    const { cli, sipp, why } = await callSippUas('uas-407-auth', 'udp', ['--user', 'alice', '--password-stdin', '--duration', '1'], {
      sipp: (port) => ({ vars: { expected_response: expectedDigest(port) } }),
      cli: { input: 'secret\n' },
    });
    expect(sipp.logs, why).toContain('ok=true');
    expect(cli.code, why).toBe(0);
    expect(cli.json, why).toMatchObject({ outcome: 'answered', finalStatus: 200 });
  });

  it('--password-file (mode 0600): right digest, no warning', async () => {
    const { cli, sipp, why } = await callSippUas('uas-407-auth', 'udp', ['--user', 'alice', '--password-file', goodFile, '--duration', '1'], {
      sipp: (port) => ({ vars: { expected_response: expectedDigest(port) } }),
    });
    expect(sipp.logs, why).toContain('ok=true');
    expect(cli.code, why).toBe(0);
    expect(cli.stderr, why).not.toMatch(/can be read by other users/);
  });

  it('$TRUNKSCOPE_PASSWORD with --user: right digest', async () => {
    const { cli, sipp, why } = await callSippUas('uas-407-auth', 'udp', ['--user', 'alice', '--duration', '1'], {
      sipp: (port) => ({ vars: { expected_response: expectedDigest(port) } }),
      cli: { env: { TRUNKSCOPE_PASSWORD: 'secret' } },
    });
    expect(sipp.logs, why).toContain('ok=true');
    expect(cli.code, why).toBe(0);
  });

  it('a wrong password from stdin is a wrong password: auth-failed, exit 1', async () => {
    const { cli, why } = await callSippUas('uas-407-auth', 'udp', ['--user', 'alice', '--password-stdin', '--duration', '1'], {
      sipp: (port) => ({ vars: { expected_response: expectedDigest(port) } }),
      cli: { input: 'not-the-secret' },
    });
    expect(cli.code, why).toBe(1);
    expect(cli.json, why).toMatchObject({ outcome: 'auth-failed', authFailure: 'wrong-credentials' });
  });
});

describe('load → SIPp uas-407-auth', () => {
  afterEach(stopAllStarted);
  it('--password-file: the one call is answered after the challenge', async () => {
    const port = await freePort();
    const run = await startSipp({ scenario: 'uas-407-auth', localPort: port, transport: 'u1', service: 'echo', timeoutMs: 20_000, vars: { expected_response: expectedDigest(port) } });
    await run.ready;
    const cli = await runCli(['load', `sip:echo@127.0.0.1:${port}`, '--calls', '1', '--call-duration', '1', '--no-media', '--user', 'alice', '--password-file', goodFile, '--json'], { timeoutMs: 30_000 });
    const sipp = await finishSipp(run, 5000);
    const why = `${explain(cli)}\n---\n${explainSipp(sipp)}`;
    expect(cli.code, why).toBe(0);
    expect(JSON.parse(cli.stdout), why).toMatchObject({ attempted: 1, answered: 1, failed: 0 });
    expect(sipp.logs, why).toContain('ok=true');
  });
});

describe('register → Kamailio', () => {
  let kam: Kamailio;
  beforeAll(async () => {
    kam = await startKamailio({ timeoutMs: 120_000 });
  });
  afterAll(async () => {
    await kam?.stop();
  });

  it('--password-stdin: registered (401 then 200), exit 0', async () => {
    const r = await runCli(['register', `sip:alice@127.0.0.1:${kam.port}`, '--password-stdin', '--json'], { input: `${kamailioPassword}\n` });
    const why = `${explain(r)}\nkamailio:\n${kam.log().slice(-3000)}`;
    expect(r.code, why).toBe(0);
    expect(r.json, why).toMatchObject({ outcome: 'registered', finalStatus: 200 });
  });

  it('--password-file readable by others: registered, with a warning', async () => {
    const f = join(dir, 'pw-644');
    writeFileSync(f, `${kamailioPassword}\n`);
    chmodSync(f, 0o644);
    const r = await runCli(['register', `sip:alice@127.0.0.1:${kam.port}`, '--password-file', f, '--json']);
    const why = `${explain(r)}\nkamailio:\n${kam.log().slice(-3000)}`;
    expect(r.code, why).toBe(0);
    expect(r.json, why).toMatchObject({ outcome: 'registered' });
    expect(r.stderr, why).toMatch(/can be read by other users \(chmod 600 it\)/);
  });

  it('$TRUNKSCOPE_PASSWORD: registered; a wrong one: auth-failed, exit 1', async () => {
    const ok = await runCli(['register', `sip:alice@127.0.0.1:${kam.port}`, '--json'], { env: { TRUNKSCOPE_PASSWORD: kamailioPassword } });
    expect(ok.code, explain(ok)).toBe(0);
    const bad = await runCli(['register', `sip:alice@127.0.0.1:${kam.port}`, '--json'], { env: { TRUNKSCOPE_PASSWORD: 'wrong' } });
    expect(bad.code, explain(bad)).toBe(1);
    expect(bad.json, explain(bad)).toMatchObject({ outcome: 'auth-failed', authFailure: 'wrong-credentials' });
  });
});

describe('usage errors and --help (no peer)', () => {
  const uri = 'sip:echo@127.0.0.1:9';
  it.each([
    ['call', ['call', uri, '--user', 'a', '--password', 'x', '--password-stdin'], /--password and --password-stdin: give the password one way/],
    ['call', ['call', uri, '--user', 'a', '--password-file', '/nonexistent/pw'], /--password-file: cannot read \/nonexistent\/pw/],
    ['register', ['register', uri, '--password-stdin', '--password-file', '/etc/hostname'], /--password-stdin and --password-file/],
    ['load', ['load', uri, '--user', 'a', '--password-file', '/nonexistent/pw'], /--password-file: cannot read/],
  ])('%s: exit 2 with a clear message', async (_name, args, message) => {
    const r = await runCli(args, { input: 'x' });
    expect(r.code, explain(r)).toBe(2);
    expect(r.stderr, explain(r)).toMatch(message);
  });

  it.each(['call', 'register', 'load'])('%s --help says --password is visible and names the other ways', async (command) => {
    const r = await runCli([command, '--help']);
    expect(r.code).toBe(0);
    const text = r.stdout.replace(/\s+/g, ' ');
    expect(text).toContain('/proc/*/cmdline');
    expect(text).toContain('shell history');
    expect(text).toContain('--password-stdin');
    expect(text).toContain('--password-file <file>');
    expect(text).toContain('$TRUNKSCOPE_PASSWORD');
  });
});

describe('--trace masks the digest response (issue 15 item 8)', () => {
  afterEach(stopAllStarted);
  it('masked by default; printed with --show-secrets', async () => {
    const masked = await callSippUas('uas-407-auth', 'udp', ['--user', 'alice', '--password-stdin', '--duration', '0'], {
      sipp: (port) => ({ vars: { expected_response: expectedDigest(port) } }),
      cli: { input: 'secret' },
    });
    const digest = expectedDigest(masked.port);
    expect(masked.cli.code, masked.why).toBe(0);
    expect(masked.cli.stderr, masked.why).toMatch(/Proxy-Authorization: Digest .*response="\*\*\*\*"/);
    expect(masked.cli.stderr + masked.cli.stdout, masked.why).not.toContain(digest);
    const shown = await callSippUas('uas-407-auth', 'udp', ['--user', 'alice', '--password-stdin', '--duration', '0', '--show-secrets'], {
      sipp: (port) => ({ vars: { expected_response: expectedDigest(port) } }),
      cli: { input: 'secret' },
    });
    expect(shown.cli.code, shown.why).toBe(0);
    expect(shown.cli.stderr, shown.why).toContain(`response="${expectedDigest(shown.port)}"`);
  });
});
