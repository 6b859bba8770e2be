/** `webhook send --provider twilio` → `webhook listen --provider twilio` on 127.0.0.1. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { explain, runCli } from '../../support/cli.ts';
import { stopAllStarted } from '../../support/processes.ts';
import { firstJson, startWebhookListen } from './webhook-cli.ts';

afterEach(stopAllStarted);

const send = (args: string[]) =>
  runCli(['webhook', 'send', '--provider', 'twilio', '--json', ...args], { timeoutMs: 20_000 });

describe('twilio send → listen', () => {
  it('valid answer callback gets TwiML dialing the configured URI; status callback recorded; tampered, wrong token refused', async () => {
    const l = await startWebhookListen([
      '--provider',
      'twilio',
      '--token',
      'tok-1',
      '--dial',
      'sip:agent@127.0.0.1:5099',
      '--dial-user',
      'agent',
      '--dial-password',
      'pw-1',
    ]);
    const ok = await send([
      '--url',
      `${l.base}/answer`,
      '--token',
      'tok-1',
      '--param',
      'To=+15550001111',
    ]);
    expect(ok.code, explain(ok)).toBe(0);
    const r = firstJson(ok.stdout);
    expect(r).toMatchObject({
      command: 'webhook-send',
      ok: true,
      instructions: {
        targets: [
          { uri: 'sip:agent@127.0.0.1:5099', username: 'agent', password: '****(4 chars)' },
        ],
      },
    });
    expect(ok.stdout).not.toContain('pw-1');

    const status = await send([
      '--url',
      `${l.base}/status`,
      '--token',
      'tok-1',
      '--kind',
      'status',
      '--param',
      'CallSid=CAfixed',
    ]);
    expect(status.code, explain(status)).toBe(0);
    const tampered = await send(['--url', `${l.base}/answer`, '--token', 'tok-1', '--tamper']);
    expect(tampered.code, explain(tampered)).toBe(1);
    expect(firstJson(tampered.stdout).reason).toMatch(/HTTP 403.*no URL variant matched/);
    const wrong = await send(['--url', `${l.base}/answer`, '--token', 'tok-2']);
    expect(wrong.code, explain(wrong)).toBe(1);

    const lines = await l.waitLines(4);
    expect(lines[0]).toMatchObject({
      provider: 'twilio',
      path: '/answer',
      kind: 'answer',
      valid: true,
      params: { To: '+15550001111' },
    });
    expect(lines[1]).toMatchObject({
      kind: 'status',
      valid: true,
      transition: '(new) → completed',
      params: { CallSid: 'CAfixed', CallStatus: 'completed' },
    });
    expect(lines[2]).toMatchObject({ valid: false });
    expect(lines[2]!.reason).toMatch(/no URL variant matched/);
    expect(lines[3]).toMatchObject({ valid: false });
  });

  it('rotated token old,new: both accepted, the reason says which', async () => {
    const l = await startWebhookListen(['--provider', 'twilio', '--token', 'old-tok,new-tok']);
    for (const t of ['old-tok', 'new-tok']) {
      const r = await send(['--url', `${l.base}/answer`, '--token', t]);
      expect(r.code, explain(r)).toBe(0);
    }
    const lines = await l.waitLines(2);
    expect(lines.map((x) => x.valid)).toEqual([true, true]);
    expect(lines[0]!.reason).toMatch(/token #1 of 2/);
    expect(lines[1]!.reason).toMatch(/token #2 of 2/);
  });

  it('URL with and without the default port: a signature over either spelling is accepted; another port is not', async () => {
    const l = await startWebhookListen([
      '--provider',
      'twilio',
      '--token',
      'tok',
      '--public-url',
      'https://platform.example.com',
    ]);
    const withPort = await send([
      '--url',
      `${l.base}/answer?n=1`,
      '--token',
      'tok',
      '--sign-url',
      'https://platform.example.com:443/answer?n=1',
    ]);
    expect(withPort.code, explain(withPort)).toBe(0);
    const without = await send([
      '--url',
      `${l.base}/answer?n=1`,
      '--token',
      'tok',
      '--sign-url',
      'https://platform.example.com/answer?n=1',
    ]);
    expect(without.code, explain(without)).toBe(0);
    const http = await send([
      '--url',
      `${l.base}/answer?n=1`,
      '--token',
      'tok',
      '--sign-url',
      'http://platform.example.com/answer?n=1',
    ]);
    expect(http.code, explain(http)).toBe(1);
    const lines = await l.waitLines(3);
    expect(lines[0]!.reason).toMatch(/default port removed|default port added/);
    expect(lines[1]!.reason).toMatch(/as given/);
    expect(lines[2]!.reason).toMatch(
      /matches http:\/\/platform\.example\.com\/answer\?n=1 \(scheme http instead of https\)/,
    );
  });
});

describe('webhook verify', () => {
  const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const params = [
    'CallSid=CA1234567890ABCDE',
    'Caller=+14158675309',
    'Digits=1234',
    'From=+14158675309',
    'To=+18005551212',
  ].flatMap((p) => ['--param', p]);
  it('the SDK vector verifies (exit 0, JSON shape); a wrong one fails with the variants tried (exit 1); bad usage exits 2', async () => {
    const ok = await runCli([
      'webhook',
      'verify',
      '--provider',
      'twilio',
      '--token',
      '12345',
      '--url',
      url,
      '--header',
      'X-Twilio-Signature: RSOYDt4T1cUTdK1PDd93/VVr8B8=',
      ...params,
      '--json',
    ]);
    expect(ok.code, explain(ok)).toBe(0);
    const j = JSON.parse(ok.stdout) as Record<string, unknown>;
    expect(j).toMatchObject({ command: 'webhook-verify', provider: 'twilio', valid: true });
    expect(
      (j.tried as { url: string; signature: string; match: boolean }[]).some(
        (t) => t.match && t.url === url,
      ),
    ).toBe(true);
    expect(ok.stdout).not.toContain('12345"');
    const bad = await runCli([
      'webhook',
      'verify',
      '--provider',
      'twilio',
      '--token',
      '12345',
      '--url',
      url,
      '--header',
      'X-Twilio-Signature: kvajT1Ptam85bY51eRf/AJRuM3w=',
      '--param',
      'To=+1',
      '--json',
    ]);
    expect(bad.code, explain(bad)).toBe(1);
    const b = JSON.parse(bad.stdout) as { valid: boolean; reason: string; tried: unknown[] };
    expect(b.valid).toBe(false);
    expect(b.reason).toMatch(/tried .*default port added/);
    expect(b.tried.length).toBeGreaterThan(1);
    // A JSON body: the URL's bodySHA256 is checked against the file's SHA-256.
    const dir = mkdtempSync(join(tmpdir(), 'trunkscope-wh-'));
    const file = join(dir, 'body.json');
    const jsonUrl = `${url}&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620`;
    writeFileSync(file, '{"property": "value", "boolean": true}');
    const jsonOk = await runCli([
      'webhook',
      'verify',
      '--provider',
      'twilio',
      '--token',
      '12345',
      '--url',
      jsonUrl,
      '--signature',
      'a9nBmqA0ju/hNViExpshrM61xv4=',
      '--body',
      file,
      '--json',
    ]);
    expect(jsonOk.code, explain(jsonOk)).toBe(0);
    expect(JSON.parse(jsonOk.stdout)).toMatchObject({ valid: true, bodyHashMatch: true });
    writeFileSync(file, '{"property": "value", "boolean": false}');
    const jsonBad = await runCli([
      'webhook',
      'verify',
      '--provider',
      'twilio',
      '--token',
      '12345',
      '--url',
      jsonUrl,
      '--signature',
      'a9nBmqA0ju/hNViExpshrM61xv4=',
      '--body',
      file,
      '--json',
    ]);
    rmSync(dir, { recursive: true, force: true });
    expect(jsonBad.code, explain(jsonBad)).toBe(1);
    expect(JSON.parse(jsonBad.stdout)).toMatchObject({ valid: false, bodyHashMatch: false });
    expect(JSON.parse(jsonBad.stdout).reason).toMatch(/body hash mismatched/);
    const usage = await runCli([
      'webhook',
      'verify',
      '--provider',
      'nexmo',
      '--token',
      'x',
      '--url',
      url,
    ]);
    expect(usage.code, explain(usage)).toBe(2);
    expect(usage.stderr).toMatch(/unknown provider "nexmo"/);
  });
});
