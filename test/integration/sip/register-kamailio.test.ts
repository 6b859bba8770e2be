/**
 * `trunkscope register` against a Kamailio registrar with digest auth (no database; static
 * password): success with un-REGISTER, wrong password, refreshes, and OPTIONS.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { explain, runCli } from '../../support/cli.ts';
import { startKamailio, kamailioPassword, type Kamailio } from '../../support/kamailio.ts';
import { stopAllStarted } from '../../support/processes.ts';

let kam: Kamailio;

beforeAll(async () => {
  kam = await startKamailio({ timeoutMs: 120_000 });
});
afterAll(async () => {
  await kam?.stop();
  await stopAllStarted();
});
afterEach(async () => {
  // Only the CLI processes of a test; Kamailio lives for the file.
  if (kam?.proc.done()) throw new Error(`kamailio died during the test:\n${kam.log().slice(-4000)}`);
});

describe('register → Kamailio (digest, UDP)', () => {
  it('right password: registered (401 then 200), un-REGISTER 200, exit 0', async () => {
    const r = await runCli(['register', `sip:alice@127.0.0.1:${kam.port}`, '--user', 'alice', '--password', kamailioPassword, '--duration', '0', '--json', '--trace']);
    const why = `${explain(r)}\nkamailio:\n${kam.log().slice(-3000)}`;
    expect(r.code, why).toBe(0);
    expect(r.json, why).toMatchObject({ command: 'register', outcome: 'registered', finalStatus: 200, transport: 'udp', remote: `127.0.0.1:${kam.port}` });
    expect(r.json!.authFailure, why).toBeUndefined();
    expect(r.json!.registration, why).toMatchObject({ unregisterStatus: 200 });
    expect(r.json!.registration!.expires, why).toBeGreaterThan(0);
    // The first REGISTER was challenged: the ladder shows the 401.
    expect(r.stderr, why).toMatch(/401 Unauthorized/);
    expect(kam.log(), why).toMatch(/REGISTER sip:alice@127\.0\.0\.1.*saved/);
  });

  it('wrong password: auth-failed / wrong-credentials after a second 401, exit 1', async () => {
    const r = await runCli(['register', `sip:alice@127.0.0.1:${kam.port}`, '--user', 'alice', '--password', 'not-the-secret', '--json', '--trace']);
    const why = `${explain(r)}\nkamailio:\n${kam.log().slice(-3000)}`;
    expect(r.code, why).toBe(1);
    expect(r.json, why).toMatchObject({ command: 'register', outcome: 'auth-failed', authFailure: 'wrong-credentials', finalStatus: 401 });
    expect(kam.log(), why).toMatch(/digest check failed/);
  });

  it('valid digest but 403 from the registrar: authFailure forbidden, exit 1', async () => {
    const r = await runCli(['register', `sip:blocked@127.0.0.1:${kam.port}`, '--user', 'blocked', '--password', kamailioPassword, '--json', '--trace']);
    const why = `${explain(r)}\nkamailio:\n${kam.log().slice(-3000)}`;
    expect(r.code, why).toBe(1);
    expect(r.json, why).toMatchObject({ command: 'register', finalStatus: 403, authFailure: 'forbidden' });
    expect(r.json!.outcome, why).not.toBe('registered');
  });

  it('--expires 4 --duration 3: refreshed at least once, then un-REGISTERed', async () => {
    const r = await runCli(
      ['register', `sip:alice@127.0.0.1:${kam.port}`, '--user', 'alice', '--password', kamailioPassword, '--expires', '4', '--duration', '3', '--json', '--trace'],
      { timeoutMs: 20_000 },
    );
    const why = `${explain(r)}\nkamailio:\n${kam.log().slice(-3000)}`;
    expect(r.code, why).toBe(0);
    expect(r.json, why).toMatchObject({ outcome: 'registered', finalStatus: 200 });
    expect(r.json!.registration!.expires, why).toBe(4);
    expect(r.json!.registration!.refreshes, why).toBeGreaterThanOrEqual(1);
    expect(r.json!.registration!.unregisterStatus, why).toBe(200);
    expect(r.json!.durationMs!, why).toBeGreaterThanOrEqual(2900);
  });

  it('options: 200 from Kamailio, rttMs measured, exit 0', async () => {
    const r = await runCli(['options', `sip:127.0.0.1:${kam.port}`, '--json']);
    const why = explain(r);
    expect(r.code, why).toBe(0);
    expect(r.json, why).toMatchObject({ command: 'options', outcome: 'ok', finalStatus: 200 });
    expect(r.json!.rttMs, why).toBeGreaterThanOrEqual(0);
  });
});
