/**
 * Issue 15 item 8 for the inbound passwords: `listen --auth-password` and `webhook listen
 * --dial-password` take the same safer forms as `--password` — `-stdin`, `-file FILE` and an
 * environment variable ($TRUNKSCOPE_AUTH_PASSWORD, $TRUNKSCOPE_DIAL_PASSWORD) — so the password
 * is not in /proc/PID/cmdline. Checked against SIPp's [authentication] and our own `call`.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { explain, runCli, startListen } from '../../support/cli.ts';
import { freePort } from '../../support/ports.ts';
import { stopAllStarted } from '../../support/processes.ts';
import { explainSipp, startSipp } from '../../support/sipp.ts';
import { finishSipp } from '../../support/sip-flows.ts';
import { firstJson, startWebhookListen } from '../webhooks/webhook-cli.ts';

afterEach(stopAllStarted);
const dir = mkdtempSync(join(tmpdir(), 'ts-inbound-pw-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cmdline = (pid: number): string => readFileSync(`/proc/${pid}/cmdline`, 'latin1').replaceAll('\0', ' ');
const listenArgs = (port: number): string[] => ['--bind', '127.0.0.1', '--port', String(port), '--transport', 'udp', '--json', '--duration', '40', '--auth-user', 'alice'];

describe('listen --auth-password off the command line', () => {
  it('--auth-password-file: SIPp with the password gets in, a wrong one does not; the password is not in cmdline', async () => {
    const file = join(dir, 'inbound');
    writeFileSync(file, 'File-Secret-1\n');
    chmodSync(file, 0o600);
    const port = await freePort();
    const listener = startListen([...listenArgs(port), '--auth-password-file', file]);
    await listener.ready;
    expect(cmdline(listener.proc.pid)).not.toContain('File-Secret-1');
    const sipp = await finishSipp(
      await startSipp({ scenario: 'uac-auth-407', remote: `127.0.0.1:${port}`, localPort: await freePort(), service: 'echo', timeoutMs: 15_000, extraArgs: ['-au', 'alice', '-ap', 'File-Secret-1'] }),
      20_000,
    );
    const wrong = await runCli(['call', `sip:echo@127.0.0.1:${port}`, '--user', 'alice', '--password', 'nope', '--duration', '1', '--json']);
    const listen = await listener.stop();
    const why = `${explainSipp(sipp)}\n---\n${explain(wrong)}\n---\n${explain(listen)}`;
    expect(sipp.code, why).toBe(0);
    expect(wrong.json?.outcome, why).toBe('auth-failed');
    expect(listen.code, why).toBe(0);
    expect(listen.stderr, 'no warning for a 0600 file').not.toMatch(/can be read by other users/);
  });

  it('--auth-password-stdin: our call with --password-stdin gets in', async () => {
    const port = await freePort();
    const listener = startListen([...listenArgs(port), '--auth-password-stdin'], { input: 'Stdin-Secret-2\n' });
    await listener.ready;
    const ok = await runCli(['call', `sip:echo@127.0.0.1:${port}`, '--user', 'alice', '--password-stdin', '--duration', '1', '--json'], { input: 'Stdin-Secret-2\n' });
    const wrong = await runCli(['call', `sip:echo@127.0.0.1:${port}`, '--user', 'alice', '--password', 'Stdin-Secret-', '--duration', '1', '--json']);
    await listener.stop();
    expect(ok.json?.outcome, explain(ok)).toBe('answered');
    expect(wrong.json?.outcome, explain(wrong)).toBe('auth-failed');
  });

  it('two ways at once, or an unreadable file, is a usage error (exit 2)', async () => {
    const both = await runCli(['listen', '--auth-user', 'a', '--auth-password', 'x', '--auth-password-stdin', '--duration', '1'], { input: 'y\n' });
    expect(both.code, explain(both)).toBe(2);
    expect(both.stderr).toMatch(/--auth-password and --auth-password-stdin: give the password one way/);
    const missing = await runCli(['listen', '--auth-user', 'a', '--auth-password-file', join(dir, 'none'), '--duration', '1']);
    expect(missing.code, explain(missing)).toBe(2);
    expect(missing.stderr).toMatch(/--auth-password-file: cannot read/);
  });
});

describe('$TRUNKSCOPE_AUTH_PASSWORD and webhook listen --dial-password-stdin, end to end', () => {
  it('the webhook answer carries the stdin password; `webhook send --follow` uses it against a listener keyed by the environment', async () => {
    const sipPort = await freePort();
    const agent = startListen(['--bind', '127.0.0.1', '--port', String(sipPort), '--transport', 'udp', '--json', '--duration', '40', '--auth-user', 'agent'], {
      env: { TRUNKSCOPE_AUTH_PASSWORD: 'Env-Secret-3' },
    });
    await agent.ready;
    expect(cmdline(agent.proc.pid)).not.toContain('Env-Secret-3');
    const hooks = await startWebhookListen(['--provider', 'twilio', '--token', 'tok', '--dial', `sip:agent@127.0.0.1:${sipPort}`, '--dial-user', 'agent', '--dial-password-stdin'], {
      input: 'Env-Secret-3\n',
    });
    expect(cmdline(hooks.proc.pid)).not.toContain('Env-Secret-3');
    const r = await runCli(['webhook', 'send', '--provider', 'twilio', '--url', `${hooks.base}/answer`, '--token', 'tok', '--follow', '--duration', '1', '--json'], { timeoutMs: 30_000 });
    expect(r.code, explain(r)).toBe(0);
    expect(firstJson(r.stdout)).toMatchObject({ ok: true, instructions: { targets: [{ username: 'agent', password: '****(12 chars)' }] } });
    expect(r.json, explain(r)).toMatchObject({ command: 'call', outcome: 'answered' });
    const stopped = await agent.stop();
    expect(stopped.json?.calls?.length, explain(stopped)).toBe(1);
    await hooks.stop();
  });
});
