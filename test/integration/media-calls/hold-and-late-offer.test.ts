/**
 * Between our own instances: hold and resume by re-INVITE (RFC 3264 §8.4), and a late offer (the
 * INVITE carries no SDP, the listener offers in its 200, we answer in the ACK).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { explain } from '../../support/cli.ts';
import {
  callOurs,
  listenedCall,
  mediaOf,
  startOurListen,
  stopOurListen,
} from '../../support/media-peers.ts';
import { stopAllStarted } from '../../support/processes.ts';

afterEach(stopAllStarted);

describe('our call ↔ our listen: re-INVITE and late offer', () => {
  it('--hold-at 1 --hold-for 1 --duration 3: sendonly then sendrecv; the held side stops sending meanwhile', async () => {
    const l = await startOurListen([]);
    const call = await callOurs(l.uri, ['--hold-at', '1', '--hold-for', '1', '--duration', '3']);
    const listen = await stopOurListen(l);
    const why = `${explain(call)}\n--- listener:\n${explain(listen)}`;
    expect(call.code, why).toBe(0);
    expect(call.json, why).toMatchObject({ outcome: 'answered', endedBy: 'local' });
    const agent = listenedCall(listen, call.json!.callId, why);

    // Both sides report the hold (sendonly) and the resume (sendrecv), in that order, ~1 s apart.
    for (const [r, by] of [
      [call.json!, 'local'],
      [agent, 'remote'],
    ] as const) {
      const holds = (r.events ?? []).filter((e) => e.event === 'hold');
      expect(
        holds.map((e) => e.detail),
        why,
      ).toEqual([`sendonly by ${by}`, `sendrecv by ${by}`]);
      expect(holds[0]!.atMs, why).toBeGreaterThanOrEqual(900);
      expect(holds[1]!.atMs - holds[0]!.atMs, why).toBeGreaterThanOrEqual(900);
      expect(holds[1]!.atMs - holds[0]!.atMs, why).toBeLessThan(1600);
    }

    const ours = mediaOf(call.json, why);
    const theirs = mediaOf(agent, why);
    // We hold with sendonly, so we keep sending for the whole 3 s (~150 packets) ...
    expect(ours.sent.packets, why).toBeGreaterThanOrEqual(130);
    expect(theirs.received.packets, why).toBeGreaterThanOrEqual(
      Math.floor(ours.sent.packets * 0.9),
    );
    // ... while the listener, answering recvonly, sends nothing for that second: ~100 packets (the
    // 2 s before and after the hold), clearly fewer than 150; and it did send after the resume.
    expect(theirs.sent.packets, why).toBeGreaterThanOrEqual(80);
    expect(theirs.sent.packets, why).toBeLessThanOrEqual(120);
    expect(ours.received.packets, why).toBeGreaterThanOrEqual(
      Math.floor(theirs.sent.packets * 0.9),
    );
    // The same streams throughout: no new SSRC after the re-INVITEs.
    expect(ours.received.ssrcChanges, why).toBe(0);
    expect(theirs.received.ssrcChanges, why).toBe(0);
    expect(ours.codec, why).toBe(theirs.codec);
  });

  it('--late-offer: answered, the listener offers in its 200, our answer in the ACK sets the codec', async () => {
    // The listener prefers PCMA, we prefer PCMU: as answerer we pick by our own preference among
    // what it offered, so both sides must agree on PCMU.
    const l = await startOurListen(['--codec', 'PCMA,PCMU']);
    const call = await callOurs(l.uri, [
      '--late-offer',
      '--codec',
      'PCMU,PCMA',
      '--duration',
      '2',
      '--trace',
    ]);
    const listen = await stopOurListen(l);
    const why = `${explain(call)}\n--- listener:\n${explain(listen)}`;
    expect(call.code, why).toBe(0);
    expect(call.json, why).toMatchObject({ outcome: 'answered', finalStatus: 200 });
    // The INVITE went without a body (the trace shows every message in full).
    expect(call.stderr, why).toMatch(
      /INVITE sip:echo@127\.0\.0\.1:\d+ SIP\/2\.0\r?\n(?:[^\r\n]+\r?\n)*?Content-Length: 0\r?\n/,
    );
    const agent = listenedCall(listen, call.json!.callId, why);
    expect(agent, why).toMatchObject({ outcome: 'answered' });
    const ours = mediaOf(call.json, why);
    const theirs = mediaOf(agent, why);
    expect(ours, why).toMatchObject({ codec: 'PCMU', payloadType: 0, telephoneEventPt: 101 });
    expect(theirs, why).toMatchObject({ codec: 'PCMU', payloadType: 0, telephoneEventPt: 101 });
    expect(ours.sent.packets, why).toBeGreaterThanOrEqual(80);
    expect(theirs.received.packets, why).toBeGreaterThanOrEqual(
      Math.floor(ours.sent.packets * 0.9),
    );
    expect(theirs.sent.packets, why).toBeGreaterThanOrEqual(80);
    expect(ours.received.packets, why).toBeGreaterThanOrEqual(
      Math.floor(theirs.sent.packets * 0.9),
    );
    expect(ours.sdpRemote, why).toBe(theirs.local);
    expect(theirs.sdpRemote, why).toBe(ours.local);
  });
});
