/**
 * Bare echo responder (a child process of run.ts, over the fork IPC channel): N product
 * RtpSessions with the echo source (rtcp-mux, symmetric RTP, default media clock) and nothing
 * else: no SIP, no CallMedia sinks (in-band DTMF detector, quality meters). Beside the real
 * `listen` agent it shows what the RTP session costs alone, and its counters (echo queue drops,
 * clock skips) show why an overloaded echo loses packets.
 *
 * Messages: open { n, portMin, portMax } → { ports }, stats → EchoStats, stall { ms } (block the
 * event loop, a diagnostic), close.
 */
import { defaultMediaClock } from '../../src/main/media/clock/media-clock.ts';
import { pcmuCodec } from '../../src/main/media/codec/g711.ts';
import { RtpSession } from '../../src/main/media/session/rtp-session.ts';
import type { SessionCodec } from '../../src/main/media/session/types.ts';

export interface EchoStats {
  received: number;
  sent: number;
  echoDropped: number;
  skippedFrames: number;
  maxLateMs: number;
}

const sessions: RtpSession[] = [];

type Msg =
  | { t: 'open'; n: number; portMin: number; portMax: number }
  | { t: 'stats' }
  | { t: 'stall'; ms: number }
  | { t: 'close' };

async function handle(m: Msg): Promise<unknown> {
  switch (m.t) {
    case 'open':
      for (let i = 0; i < m.n; i++) {
        sessions.push(
          await RtpSession.open({
            bindAddress: '127.0.0.1',
            portRange: { min: m.portMin, max: m.portMax },
            rtcpMux: true,
            codec: { ...pcmuCodec, payloadType: 0 } as SessionCodec,
            ptimeMs: 20,
            source: { kind: 'echo' },
          }),
        );
      }
      return { ports: sessions.map((s) => s.localPort) };
    case 'stats': {
      const st: EchoStats = {
        received: 0,
        sent: 0,
        echoDropped: 0,
        skippedFrames: 0,
        maxLateMs: defaultMediaClock().stats().maxLateMs,
      };
      for (const s of sessions) {
        const x = s.stats();
        st.received += x.received.packets;
        st.sent += x.sent.packets;
        st.echoDropped += x.received.echoDropped;
        st.skippedFrames += x.sent.skippedFrames;
      }
      return st;
    }
    case 'stall': {
      // Diagnostic: block the event loop as a GC pause or a descheduled process would.
      const end = performance.now() + m.ms;
      while (performance.now() < end);
      return {};
    }
    case 'close':
      await Promise.all(sessions.map((s) => s.close()));
      setTimeout(() => process.exit(0), 50);
      return {};
  }
}

process.on('message', (m: Msg & { id: number }) => {
  handle(m).then(
    (r) => process.send!({ id: m.id, ok: true, r }),
    (e: Error) => process.send!({ id: m.id, ok: false, error: String(e?.stack ?? e) }),
  );
});
process.on('disconnect', () => process.exit(0));
