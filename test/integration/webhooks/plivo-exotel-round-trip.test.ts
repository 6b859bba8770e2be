/** `webhook send` → `webhook listen` for Plivo (V3 signatures) and Exotel (allowlist + per-phone token). */
import { afterEach, describe, expect, it } from 'vitest';
import { explain, runCli } from '../../support/cli.ts';
import { stopAllStarted } from '../../support/processes.ts';
import { firstJson, startWebhookListen } from './webhook-cli.ts';

afterEach(stopAllStarted);

const send = (provider: string, args: string[]) =>
  runCli(['webhook', 'send', '--provider', provider, '--json', ...args], { timeoutMs: 20_000 });

describe('plivo send → listen', () => {
  it('POST and GET answer callbacks are valid; PlivoXML carries sip:USER:PASS@HOST; tampered, wrong token refused; rotated token accepted', async () => {
    const l = await startWebhookListen([
      '--provider',
      'plivo',
      '--token',
      'old-plivo,new-plivo',
      '--dial',
      'sip:agent@127.0.0.1:5098',
      '--dial-user',
      'trunk',
      '--dial-password',
      'sekret',
    ]);
    const post = await send('plivo', [
      '--url',
      `${l.base}/plivo/answer?phone=15551230000`,
      '--token',
      'new-plivo',
    ]);
    expect(post.code, explain(post)).toBe(0);
    expect(firstJson(post.stdout)).toMatchObject({
      ok: true,
      instructions: {
        targets: [
          {
            uri: 'sip:trunk@127.0.0.1:5098',
            username: 'trunk',
            credentialsFrom: 'the user:password part of the SIP URI',
          },
        ],
      },
    });
    expect(post.stdout).not.toContain('sekret');
    const get = await send('plivo', [
      '--url',
      `${l.base}/plivo/answer`,
      '--token',
      'old-plivo',
      '--method',
      'GET',
    ]);
    expect(get.code, explain(get)).toBe(0);
    const tampered = await send('plivo', [
      '--url',
      `${l.base}/plivo/answer`,
      '--token',
      'new-plivo',
      '--tamper',
    ]);
    expect(tampered.code, explain(tampered)).toBe(1);
    const wrong = await send('plivo', ['--url', `${l.base}/plivo/answer`, '--token', 'other']);
    expect(wrong.code, explain(wrong)).toBe(1);
    const hangup = await send('plivo', [
      '--url',
      `${l.base}/plivo/hangup`,
      '--token',
      'new-plivo',
      '--kind',
      'status',
    ]);
    expect(hangup.code, explain(hangup)).toBe(0);
    const lines = await l.waitLines(5);
    expect(lines.map((x) => [x.kind, x.valid])).toEqual([
      ['answer', true],
      ['answer', true],
      ['answer', false],
      ['answer', false],
      ['status', true],
    ]);
    expect(lines[0]!.reason).toMatch(/V3 POST string.*token #2 of 2/);
    expect(lines[1]!.reason).toMatch(/V3 GET string.*token #1 of 2/);
    expect(lines[2]!.reason).toMatch(/no signature in the header/);
    expect(lines[4]).toMatchObject({
      transition: '(new) → completed',
      params: { Event: 'Hangup' },
    });
  });

  it('verify: a plivo-go vector with its nonce; the wrong method is named', async () => {
    const url = 'https://plivobin.non-prod.plivops.com/api/v1/validate_signature03.xml';
    const params = [
      'Direction=outbound',
      'From=19792014278',
      'ALegUUID=3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36',
      'CallStatus=in-progress',
      'BillRate=0.002',
      'ParentAuthID=MANWVLYTK4ZWU1YTY4QA',
      'To=sip:PlivoSignature382029104058171078704104@phone-qa.voice.plivodev.com',
      'ALegRequestUUID=3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36',
      'CallUUID=3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36',
      'RequestUUID=3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36',
      'SIP-H-To=<sip:PlivoSignature382029104058171078704104@52.9.11.55;transport=udp>;tag=1',
      'SessionStart=2020-04-08 11:34:33.238707',
      'Event=StartApp',
    ].flatMap((p) => ['--param', p]);
    const base = [
      'webhook',
      'verify',
      '--provider',
      'plivo',
      '--token',
      'Y2Q2ZDgxZmY5YWRiOTI5YmQ1Njg0MTAxZWIyOTc4',
      '--url',
      url,
      '--header',
      'X-Plivo-Signature-V3-Nonce: 31627761595286130198',
      '--json',
      ...params,
    ];
    const ok = await runCli([
      ...base,
      '--header',
      'X-Plivo-Signature-V3: xx,iAjE5QqI37mbkYe4w3jTMudqEzbDufdqi7sYwTu64e0=',
    ]);
    expect(ok.code, explain(ok)).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({
      command: 'webhook-verify',
      provider: 'plivo',
      valid: true,
    });
    const wrongMethod = await runCli([
      ...base,
      '--header',
      'X-Plivo-Signature-V3: i/MQsaQSAd6fiKhOh2qeeeLHZ9faldADSb3/7+Akfbc=',
    ]);
    expect(wrongMethod.code, explain(wrongMethod)).toBe(1);
    expect(JSON.parse(wrongMethod.stdout).reason).toMatch(
      /matches GET .*GET string construction instead of POST/,
    );
  });
});

describe('exotel send → listen', () => {
  it('allowlist and per-phone token: allowed IP + right token passes; IP outside the list, wrong and missing token refused', async () => {
    const l = await startWebhookListen(
      [
        '--provider',
        'exotel',
        '--token',
        'phone-secret',
        '--allow-from',
        '127.0.0.1,10.0.0.0/8',
        '--dial',
        'sip:agent@127.0.0.1:5097',
      ],
      { bind: '0.0.0.0' },
    );
    const url = `http://127.0.0.1:${l.port}/exotel/answer`;
    const ok = await send('exotel', ['--url', url, '--token', 'phone-secret']);
    expect(ok.code, explain(ok)).toBe(0);
    expect(firstJson(ok.stdout)).toMatchObject({
      ok: true,
      request: { method: 'GET' },
      instructions: { targets: [{ uri: 'sip:agent@127.0.0.1:5097' }] },
    });
    expect(ok.stdout).not.toContain('phone-secret');
    const outside = await send('exotel', [
      '--url',
      url,
      '--token',
      'phone-secret',
      '--source',
      '127.0.0.2',
    ]);
    expect(outside.code, explain(outside)).toBe(1);
    const wrong = await send('exotel', ['--url', url, '--token', 'phone-secret', '--tamper']);
    expect(wrong.code, explain(wrong)).toBe(1);
    const missing = await fetch(`${url}?CallSid=abc`);
    expect(missing.status).toBe(403);
    const lines = await l.waitLines(4);
    expect(lines[0]).toMatchObject({ valid: true, source: '127.0.0.1' });
    expect(lines[0]!.params.token).toBeUndefined();
    expect(lines[1]!.reason).toMatch(/source IP 127\.0\.0\.2 is not in the allowlist/);
    expect(lines[2]!.reason).toMatch(/matches none of the 1 expected token/);
    expect(lines[3]!.reason).toMatch(/no \?token= parameter/);
    expect(l.proc.stdout()).not.toContain('phone-secret');
  });

  it('an empty allowlist refuses everything', async () => {
    const l = await startWebhookListen([
      '--provider',
      'exotel',
      '--token',
      'phone-secret',
      '--allow-from',
      '',
    ]);
    const r = await send('exotel', ['--url', `${l.base}/exotel/answer`, '--token', 'phone-secret']);
    expect(r.code, explain(r)).toBe(1);
    const [line] = await l.waitLines(1);
    expect(line).toMatchObject({ valid: false });
    expect(line!.reason).toMatch(/allowlist is empty/);
  });
});
