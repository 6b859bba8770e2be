/**
 * The one dispatch path both shells use (ClientSession → EngineService.dispatch): malformed
 * envelopes, unknown commands, wrong types and oversized strings are refused with a reason that
 * names the field, and the request id comes back with the answer.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../../src/shared/api/contract.ts';
import { ClientSession } from '../../../src/main/engine/service/client-session.ts';
import { EngineService } from '../../../src/main/engine/service/engine-service.ts';

const service = new EngineService({ bindAddress: '127.0.0.1' });
const sent: ServerMessage[] = [];
const session = new ClientSession(service, (m) => sent.push(m));
afterAll(async () => {
  session.close();
  await service.close();
});

async function error(raw: unknown): Promise<{ id: number; error: string }> {
  const r = typeof raw === 'string' ? await session.handleText(raw) : await session.handle(raw);
  if (!('ok' in r) || r.ok) throw new Error(`expected a refusal, got ${JSON.stringify(r)}`);
  return { id: r.id, error: r.error };
}

describe('ClientSession dispatch validation', () => {
  it('answers a valid request with its id', async () => {
    const r = await session.handleText(
      JSON.stringify({ id: 7, command: 'app.snapshot', args: {} }),
    );
    expect(r).toMatchObject({
      id: 7,
      ok: true,
      result: { version: expect.any(String), calls: [], listener: { running: false } },
    });
    // Arguments may be omitted where every field has a default.
    expect(await session.handle({ id: 8, command: 'app.snapshot' })).toMatchObject({
      id: 8,
      ok: true,
    });
  });

  it('refuses text that is not JSON, and oversized requests', async () => {
    expect(await error('{"id": 1, "command": ')).toEqual({
      id: -1,
      error: 'malformed request: not JSON',
    });
    const huge = JSON.stringify({
      id: 2,
      command: 'app.snapshot',
      args: { x: 'a'.repeat(300_000) },
    });
    expect((await error(huge)).error).toMatch(/request too large/);
  });

  it('refuses malformed envelopes', async () => {
    expect(await error(null)).toMatchObject({
      id: -1,
      error: expect.stringMatching(/^malformed request:/),
    });
    expect(await error([1, 2])).toMatchObject({ id: -1 });
    expect((await error({ command: 'app.snapshot' })).error).toMatch(/^malformed request: id:/);
    expect((await error({ id: '1', command: 'app.snapshot' })).error).toMatch(
      /^malformed request: id:/,
    );
    expect((await error({ id: 1.5, command: 'app.snapshot' })).error).toMatch(
      /^malformed request: id:/,
    );
    expect(await error({ id: 3, command: 42 })).toMatchObject({
      id: 3,
      error: expect.stringMatching(/^malformed request: command:/),
    });
    expect((await error({ id: 4, command: 'x'.repeat(65) })).error).toMatch(/command:/);
  });

  it('refuses unknown commands, also prototype names', async () => {
    expect(await error({ id: 5, command: 'call.explode', args: {} })).toEqual({
      id: 5,
      error: 'unknown command "call.explode"',
    });
    expect((await error({ id: 6, command: '__proto__', args: {} })).error).toBe(
      'unknown command "__proto__"',
    );
    expect((await error({ id: 6, command: 'toString', args: {} })).error).toBe(
      'unknown command "toString"',
    );
  });

  it('refuses wrong types, naming the command and the field', async () => {
    expect(
      (await error({ id: 9, command: 'call.hold', args: { callId: 1, on: true } })).error,
    ).toMatch(/^call\.hold: callId: /);
    expect(
      (await error({ id: 9, command: 'call.hold', args: { callId: 'a', on: 'yes' } })).error,
    ).toMatch(/^call\.hold: on: /);
    expect((await error({ id: 9, command: 'call.place', args: 'sip:x@y' })).error).toMatch(
      /^call\.place: arguments: /,
    );
    expect(
      (await error({ id: 9, command: 'call.place', args: { target: 'a@b', transport: 'sctp' } }))
        .error,
    ).toMatch(/^call\.place: transport: /);
    expect((await error({ id: 9, command: 'call.place', args: { target: '' } })).error).toBe(
      'call.place: target: enter a SIP URI or number',
    );
    expect(
      (await error({ id: 9, command: 'call.dtmf', args: { callId: 'a', digits: '12x' } })).error,
    ).toMatch(/DTMF digits are 0-9/);
    expect((await error({ id: 9, command: 'listener.start', args: { port: -1 } })).error).toMatch(
      /^listener\.start: port: /,
    );
    expect((await error({ id: 9, command: 'trace.query', args: { status: '7xx' } })).error).toMatch(
      /^trace\.query: status: /,
    );
    expect(
      (await error({ id: 9, command: 'trace.export', args: { format: 'docx' } })).error,
    ).toMatch(/^trace\.export: format: /);
  });

  it('refuses oversized strings and header injection', async () => {
    expect(
      (await error({ id: 10, command: 'call.place', args: { target: `sip:${'a'.repeat(600)}@b` } }))
        .error,
    ).toMatch(/^call\.place: target: /);
    expect(
      (await error({ id: 10, command: 'call.hangup', args: { callId: 'c'.repeat(257) } })).error,
    ).toMatch(/^call\.hangup: callId: /);
    expect(
      (
        await error({
          id: 10,
          command: 'audio.frame',
          args: { callId: 'c', sampleRate: 8000, pcm: 'A'.repeat(20_001) },
        })
      ).error,
    ).toMatch(/^audio\.frame: pcm: /);
    const inject = { target: 'a@b.example', headers: [['X-Test', 'v\r\nVia: evil']] };
    expect((await error({ id: 10, command: 'call.place', args: inject })).error).toBe(
      'call.place: headers.0.1: no line breaks',
    );
    const badName = { target: 'a@b.example', headers: [['X Test', 'v']] };
    expect((await error({ id: 10, command: 'call.place', args: badName })).error).toBe(
      'call.place: headers.0.0: header name',
    );
  });

  it('forwards events to the client until it closes', async () => {
    const other = new ClientSession(service, (m) => got.push(m));
    const got: ServerMessage[] = [];
    await service.dispatch('listener.stop', {});
    expect(got.some((m) => 'event' in m && m.event === 'listener.state')).toBe(true);
    other.close();
    const before = got.length;
    await service.dispatch('listener.stop', {});
    expect(got.length).toBe(before);
  });
});
