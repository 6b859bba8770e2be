/**
 * The `ivr` agent: our caller sends a digit (RFC 4733, then SIP INFO) and the IVR hands the call
 * to the agent the digit names — here `hangup-after 1`, seen by the caller as the callee's BYE.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { explain, runCli, startListen } from '../../support/cli.ts';
import { freePort } from '../../support/ports.ts';
import { stopAllStarted } from '../../support/processes.ts';

afterEach(stopAllStarted);

describe('ivr', () => {
  for (const method of ['rfc2833', 'info'] as const) {
    it(`a digit by ${method} moves the call to the agent it maps to`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ivr-'));
      mkdirSync(join(dir, 'prompts'));
      execFileSync('sox', ['-n', '-r', '8000', '-c', '1', join(dir, 'prompts', 'menu.wav'), 'synth', '0.5', 'sine', '440']);
      const file = join(dir, 'routes.yaml');
      writeFileSync(
        file,
        'agents:\n  menu:\n    type: ivr\n    prompt: prompts/menu.wav\n    digits: { "1": tone 440, "2": hangup-after 1 }\n    timeout: 6\nrules:\n  - { name: m, default: true, agent: menu }\n',
      );
      const port = await freePort();
      const l = startListen(['--bind', '127.0.0.1', '--port', String(port), '--transport', 'udp', '--json', '--duration', '50', '--routes', file]);
      await l.ready;
      const r = await runCli(['call', `sip:1@127.0.0.1:${port}`, '--dtmf', method, '--send-dtmf', '2', '--dtmf-at', '1', '--duration', '8', '--json']);
      const out = await l.stop();
      const why = `${explain(r)}\n---\n${explain(out)}`;
      expect(r.json, why).toMatchObject({ outcome: 'answered', endedBy: 'remote' });
      expect(r.json!.durationMs!, why).toBeLessThan(4000);
      const call = out.json!.calls![0]!;
      expect(call.route!.steps.map((s) => [s.agent, s.result]), why).toEqual([
        ['menu', 'digits 2'],
        ['hangup-after 1', 'answered; hangup-after 1 s (BYE 200)'],
      ]);
      expect(call.media!.dtmf.received.map((d) => [d.digit, d.method]), why).toEqual([['2', method]]);
    });
  }
});
