/**
 * The GUI listener (useRouting) reads the saved routing again on every routing.save: the next call
 * goes by the new rules without a restart, and a call in progress keeps the rule it was routed by.
 * The calls are placed by our CLI, a separate process, as a carrier would send them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineService } from '../../../src/main/engine/service/engine-service.ts';
import type { AppSnapshot } from '../../../src/shared/api/contract.ts';
import { explain, runCli } from '../../support/cli.ts';
import { pollUntil } from '../../support/browser.ts';
import { freePort } from '../../support/ports.ts';
import { stopAllStarted } from '../../support/processes.ts';

const BEFORE = `rules:
  - name: old-echo
    did: "1234"
    agent: echo
  - name: rest
    default: true
    agent: busy
`;
const AFTER = `rules:
  - name: new-reject
    did: "1234"
    agent: reject 403 Changed
  - name: rest
    default: true
    agent: busy
`;

let dir: string;
let engine: EngineService;
const prev = process.env['TRUNKSCOPE_CONFIG_DIR'];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ts-gui-reload-'));
  process.env['TRUNKSCOPE_CONFIG_DIR'] = dir;
  engine = new EngineService({ bindAddress: '127.0.0.1', lingerMs: 100 });
});
afterAll(async () => {
  await stopAllStarted();
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

const snapshot = async (): Promise<AppSnapshot> => (await cmd('app.snapshot', {})) as AppSnapshot;

describe('GUI listener: a saved routing applies to the next call', () => {
  it('swaps the rules on save without a restart; the call in progress keeps its rule', async () => {
    expect(await cmd('routing.save', { text: BEFORE })).toMatchObject({ ok: true });
    const port = await freePort();
    const st = (await cmd('listener.start', { address: '127.0.0.1', port, transports: ['udp'], useRouting: true })) as { running: boolean };
    expect(st.running).toBe(true);
    const target = `sip:1234@127.0.0.1:${port}`;
    // Call 1 by the old rule (echo), held connected for 4 s while the routing changes.
    const first = runCli(['call', target, '--bind', '127.0.0.1', '--duration', '4', '--json'], { timeoutMs: 30_000 });
    await pollUntil(
      'the first call connected on the listener',
      async () => (await snapshot()).calls.find((c) => c.direction === 'inbound' && c.state === 'connected'),
      10_000,
      100,
    );
    const saved = await cmd('routing.save', { text: AFTER });
    expect(saved).toMatchObject({ ok: true, appliedToListener: true });
    // A bad save is refused and changes nothing: the listener keeps AFTER.
    const bad = (await cmd('routing.save', { text: 'rules:\n  - name: x\n    did: "1"\n    agent: nobody\n' })) as { ok: boolean; appliedToListener?: boolean };
    expect(bad.ok).toBe(false);
    expect(bad.appliedToListener).toBeUndefined();
    // Call 2, same number, while call 1 still runs: the new rule refuses it with 403.
    const second = await runCli(['call', target, '--bind', '127.0.0.1', '--json'], { timeoutMs: 30_000 });
    expect(second.code, explain(second)).toBe(1);
    expect(second.json?.finalStatus, explain(second)).toBe(403);
    const one = await first;
    expect(one.code, explain(one)).toBe(0);
    expect(one.json?.outcome).toBe('answered');
    const snap = await pollUntil(
      'both inbound legs reported',
      async () => {
        const s = await snapshot();
        return s.calls.filter((c) => c.direction === 'inbound' && c.report).length >= 2 ? s : undefined;
      },
      10_000,
      100,
    );
    expect(snap.listener.running).toBe(true);
    expect(snap.listener.routeTotals).toEqual({ 'old-echo': 1, 'new-reject': 1 });
    const byRule = snap.calls
      .filter((c) => c.direction === 'inbound')
      .map((c) => [c.report?.route?.rule, c.report?.finalStatus])
      .sort();
    expect(byRule).toEqual([
      ['new-reject', 403],
      ['old-echo', 200],
    ]);
  }, 45_000);
});
