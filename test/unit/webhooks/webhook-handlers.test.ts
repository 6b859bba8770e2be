/** The contract's webhook.verify / webhook.send through EngineService.dispatch (what the GUI calls). */
import { afterEach, describe, expect, it } from 'vitest';
import { EngineService } from '../../../src/main/engine/index.ts';

let service: EngineService | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
});

describe('webhook.* contract commands', () => {
  it('webhook.verify: the Twilio SDK vector is valid; rotated tokens; arguments validated', async () => {
    service = new EngineService();
    const body =
      'CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234&From=%2B14158675309&To=%2B18005551212';
    const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
    const r = await service.dispatch('webhook.verify', {
      provider: 'twilio',
      token: 'old,12345',
      url,
      headers: { 'X-Twilio-Signature': 'RSOYDt4T1cUTdK1PDd93/VVr8B8=' },
      body,
    });
    expect(r).toMatchObject({ ok: true, result: { command: 'webhook-verify', valid: true } });
    expect((r as { result: { reason: string } }).result.reason).toMatch(/token #2 of 2/);
    const bad = await service.dispatch('webhook.verify', {
      provider: 'twilio',
      token: '12345',
      url: 'ftp://x',
      headers: {},
    });
    expect(bad).toMatchObject({ ok: false });
    expect((bad as { error: string }).error).toMatch(/url/);
  });

  it('webhook.send: arguments are validated before anything is sent, naming the field', async () => {
    service = new EngineService();
    const noToken = await service.dispatch('webhook.send', {
      provider: 'plivo',
      url: 'http://127.0.0.1:9/answer',
      token: '',
    });
    expect(noToken).toMatchObject({ ok: false });
    expect((noToken as { error: string }).error).toMatch(
      /webhook\.send: token: enter the auth token/,
    );
    const badProvider = await service.dispatch('webhook.send', {
      provider: 'vonage',
      url: 'http://127.0.0.1:9/answer',
      token: 't',
    });
    expect((badProvider as { error: string }).error).toMatch(/provider/);
  });
});
