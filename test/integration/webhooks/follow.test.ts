/**
 * `webhook send --follow`: the provider gets the webhook, parses the instructions and dials the
 * trunk they name — through the `call` command itself — reaching our built-in agent and SIPp.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { explain, runCli, startListen } from '../../support/cli.ts';
import { freePort } from '../../support/ports.ts';
import { stopAllStarted } from '../../support/processes.ts';
import { explainSipp, startSipp } from '../../support/sipp.ts';
import { finishSipp } from '../../support/sip-flows.ts';
import { firstJson, startWebhookListen } from './webhook-cli.ts';

afterEach(stopAllStarted);

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

describe('webhook send --follow', () => {
  it.each(['twilio', 'plivo'])(
    '%s → webhook listen → trunkscope listen: the call the instructions describe is answered by the built-in agent',
    async (provider) => {
      const sipPort = await freePort();
      const agent = startListen([
        '--bind',
        '127.0.0.1',
        '--port',
        String(sipPort),
        '--transport',
        'udp',
        '--trace',
      ]);
      await agent.ready;
      const l = await startWebhookListen([
        '--provider',
        provider,
        '--token',
        'tok',
        '--dial',
        `sip:agent@127.0.0.1:${sipPort}`,
        '--dial-user',
        'agent',
        '--dial-password',
        'pw',
        '--caller-id',
        '15551230000',
        '--dial-timeout',
        '10',
      ]);
      const r = await runCli(
        [
          'webhook',
          'send',
          '--provider',
          provider,
          '--url',
          `${l.base}/answer`,
          '--token',
          'tok',
          '--follow',
          '--duration',
          '1',
          '--json',
        ],
        { timeoutMs: 30_000 },
      );
      expect(r.code, explain(r)).toBe(0);
      const hook = firstJson(r.stdout);
      expect(hook).toMatchObject({ command: 'webhook-send', ok: true });
      expect(hook.follow).toEqual([
        'call',
        `sip:agent@127.0.0.1:${sipPort}`,
        '--user',
        'agent',
        '--password',
        '****',
        '--from',
        `sip:15551230000@127.0.0.1:${sipPort}`,
        '--timeout',
        '10',
        '--duration',
        '1',
        '--json',
      ]);
      expect(r.json, explain(r)).toMatchObject({
        command: 'call',
        outcome: 'answered',
        finalStatus: 200,
        remote: `127.0.0.1:${sipPort}`,
      });
      expect(r.json!.durationMs!).toBeGreaterThanOrEqual(900);
      const stopped = await agent.stop();
      // The caller ID of <Dial callerId> is the INVITE's From.
      expect(stopped.stdout + stopped.stderr).toMatch(/^From: <sip:15551230000@127\.0\.0\.1:\d+>/m);
    },
  );

  it('twilio → SIPp uas-407-auth: <Sip username password> becomes the digest credentials the trunk checks', async () => {
    const port = await freePort();
    const user = 'alice';
    const password = 'secret';
    const expected = md5(
      `${md5(`${user}:trunkscope.test:${password}`)}:6b8b4567327b23c6643c9869:${md5(`INVITE:sip:echo@127.0.0.1:${port}`)}`,
    );
    const sipp = await startSipp({
      scenario: 'uas-407-auth',
      localPort: port,
      service: 'echo',
      vars: { expected_response: expected },
    });
    await sipp.ready;
    const l = await startWebhookListen([
      '--provider',
      'twilio',
      '--token',
      'tok',
      '--dial',
      `sip:echo@127.0.0.1:${port}`,
      '--dial-user',
      user,
      '--dial-password',
      password,
    ]);
    const r = await runCli(
      [
        'webhook',
        'send',
        '--provider',
        'twilio',
        '--url',
        `${l.base}/answer`,
        '--token',
        'tok',
        '--follow',
        '--duration',
        '1',
        '--json',
      ],
      { timeoutMs: 30_000 },
    );
    const s = await finishSipp(sipp, 5000);
    const why = `${explain(r)}\n--- sipp:\n${explainSipp(s)}`;
    expect(s.code, why).toBe(0);
    expect(s.logs, why).toContain('ok=true');
    expect(r.code, why).toBe(0);
    expect(r.json, why).toMatchObject({ command: 'call', outcome: 'answered', finalStatus: 200 });
    expect(r.stdout, why).not.toContain(password);
  });

  it('exotel → SIPp uas-basic over TCP: ExoML <Dial>sip:…;transport=tcp</Dial> is dialled over TCP', async () => {
    const port = await freePort();
    const sipp = await startSipp({
      scenario: 'uas-basic',
      localPort: port,
      service: 'echo',
      transport: 't1',
    });
    await sipp.ready;
    const l = await startWebhookListen([
      '--provider',
      'exotel',
      '--token',
      'ptok',
      '--allow-from',
      '127.0.0.1',
      '--dial',
      `sip:echo@127.0.0.1:${port};transport=tcp`,
    ]);
    const r = await runCli(
      [
        'webhook',
        'send',
        '--provider',
        'exotel',
        '--url',
        `${l.base}/answer`,
        '--token',
        'ptok',
        '--follow',
        '--duration',
        '1',
        '--json',
      ],
      { timeoutMs: 30_000 },
    );
    const s = await finishSipp(sipp, 5000);
    const why = `${explain(r)}\n--- sipp:\n${explainSipp(s)}`;
    expect(s.code, why).toBe(0);
    expect(r.code, why).toBe(0);
    expect(r.json, why).toMatchObject({
      command: 'call',
      outcome: 'answered',
      transport: 'tcp',
      remote: `127.0.0.1:${port}`,
    });
  });

  it('a refused webhook places no call and exits 1', async () => {
    const l = await startWebhookListen(['--provider', 'twilio', '--token', 'tok']);
    const r = await runCli(
      [
        'webhook',
        'send',
        '--provider',
        'twilio',
        '--url',
        `${l.base}/answer`,
        '--token',
        'nope',
        '--follow',
        '--json',
      ],
      { timeoutMs: 20_000 },
    );
    expect(r.code, explain(r)).toBe(1);
    expect(firstJson(r.stdout)).toMatchObject({ ok: false });
    expect(r.stdout).not.toContain('"command": "call"');
  });
});
