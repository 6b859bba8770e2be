// The GUI listener started with useRouting routes calls by the routing saved through routing.save.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineService } from '../../../src/main/engine/service/engine-service.ts';
import type { AppSnapshot, CallSnapshot } from '../../../src/shared/api/contract.ts';
import { freePort } from '../../support/ports.ts';

const ROUTES = `rules:
  - name: busy-1234
    did: "1234"
    agent: busy
  - name: rest
    default: true
    agent: echo
`;

let dir: string;
let engine: EngineService;
const prev = process.env['TRUNKSCOPE_CONFIG_DIR'];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ts-gui-routing-'));
  process.env['TRUNKSCOPE_CONFIG_DIR'] = dir;
  engine = new EngineService({ bindAddress: '127.0.0.1', lingerMs: 100 });
});
afterAll(async () => {
  await engine.dispatch('listener.stop', {});
  await engine.close();
  if (prev === undefined) delete process.env['TRUNKSCOPE_CONFIG_DIR'];
  else process.env['TRUNKSCOPE_CONFIG_DIR'] = prev;
  rmSync(dir, { recursive: true, force: true });
});

async function cmd(name: string, args: unknown): Promise<unknown> {
  const r = await engine.dispatch(name, args);
  if (!r.ok) throw new Error(r.error);
  return r.result;
}

async function ended(callId: string, hangupWhenConnected = false): Promise<CallSnapshot> {
  const until = Date.now() + 10_000;
  let hung = false;
  while (Date.now() < until) {
    const s = (await cmd('app.snapshot', {})) as AppSnapshot;
    const c = s.calls.find((x) => x.callId === callId);
    if (c?.report) return c;
    if (hangupWhenConnected && !hung && c?.state === 'connected') {
      hung = true;
      await cmd('call.hangup', { callId });
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`call ${callId} did not end in 10 s`);
}

describe('GUI listener with the saved routing', () => {
  it('refuses to start with routing when nothing is saved', async () => {
    const r = await engine.dispatch('listener.start', { address: '127.0.0.1', port: await freePort(), transports: ['udp'], useRouting: true });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain('no routing saved');
  });

  it('routes To 1234 to busy and another number to echo, counting each rule', async () => {
    expect(await cmd('routing.save', { text: ROUTES })).toMatchObject({ ok: true });
    const port = await freePort();
    const st = (await cmd('listener.start', { address: '127.0.0.1', port, transports: ['udp'], useRouting: true })) as { running: boolean };
    expect(st.running).toBe(true);
    const busy = (await cmd('call.place', { target: `sip:1234@127.0.0.1:${port}`, transport: 'udp'})) as { callId: string };
    const b = await ended(busy.callId);
    expect(b.report?.finalStatus).toBe(486);
    const echo = (await cmd('call.place', { target: `sip:5555@127.0.0.1:${port}`, transport: 'udp'})) as { callId: string };
    const e = await ended(echo.callId, true);
    expect(e.report?.finalStatus, JSON.stringify(e.report).slice(0, 1500)).toBe(200);
    const snap = (await cmd('app.snapshot', {})) as AppSnapshot;
    expect(snap.listener.routeTotals).toEqual({ 'busy-1234': 1, rest: 1 });
    // The inbound legs' reports name the rule each call hit.
    const inbound = snap.calls.filter((c) => c.direction === 'inbound');
    expect(inbound.map((c) => c.report?.route?.rule).sort()).toEqual(['busy-1234', 'rest']);
  }, 30_000);
});
