/**
 * `forward`: a back-to-back user agent. The caller (A) rings while a second call (B) goes to the
 * target from the same stack; when B answers, A is answered and audio is bridged both ways
 * (decoded, so the legs may use different codecs). Either side's BYE ends the other; A's CANCEL
 * cancels B (RFC 3261 §9.1). B's failure comes back to the routing agent for its failover.
 */
import type { CallReport } from '../../../shared/model/report.ts';
import { InviteClient } from '../../sip/ua/invite-client.ts';
import type { InviteServer } from '../../sip/ua/invite-server.ts';
import type { MediaHandler } from '../../sip/ua/media-handler.ts';
import type { SipStack } from '../stack/sip-stack.ts';
import { CallMedia } from '../media/call-media.ts';
import { SignalingOnlyMedia } from '../media/signaling-only-media.ts';
import { endpointText } from '../report/report-helpers.ts';
import { decisiveResponse, outboundOutcome } from '../call/outcome.ts';
import { userPart } from './e164.ts';
import { PcmEcho } from './pcm-echo.ts';
import type { ForwardDialer, ForwardResult } from './route-agent.ts';

export class B2buaForwarder implements ForwardDialer {
  private readonly stack: SipStack;
  private readonly timeoutSec: number;

  constructor(stack: SipStack, o: { timeoutSec?: number } = {}) {
    this.stack = stack;
    this.timeoutSec = o.timeoutSec ?? 60;
  }

  async forward(uri: string, a: InviteServer, aMedia: CallMedia | undefined, onReport: (r: CallReport) => void): Promise<ForwardResult> {
    const number = userPart(a.request.uri);
    const target = uri.replaceAll('{number}', number);
    const local = a.flow?.local.address ?? '127.0.0.1';
    const sdpAddress = local === '0.0.0.0' || local === '::' ? '127.0.0.1' : local;
    let bMedia: CallMedia | undefined;
    let handler: MediaHandler;
    try {
      if (aMedia) {
        bMedia = await CallMedia.open({ ...aMedia.prefs, source: { kind: 'silence' }, record: undefined, sdpAddress });
        handler = bMedia;
      } else handler = new SignalingOnlyMedia(sdpAddress);
    } catch (err) {
      return { kind: 'error', status: null, reason: `media for the forward leg: ${(err as Error).message}` };
    }
    const caller = userPart(a.request.headers.get('from') ?? '') || 'trunkscope';
    const b = new InviteClient(this.stack.ua, handler, {
      target,
      from: `sip:${caller}@${sdpAddress}`,
      timeoutSec: this.timeoutSec,
      sessionTimer: { sessionExpires: 0, minSE: 90 },
    });
    const started = new Date();
    return new Promise<ForwardResult>((resolve) => {
      let settled = false;
      const settle = (r: ForwardResult): void => {
        if (!settled) resolve(r);
        settled = true;
      };
      b.once('connected', () => {
        bMedia?.markAnswered();
        if (a.state === 'terminated') return void b.hangup('caller gone before the forward answered');
        if (aMedia && bMedia) {
          // A hears B, B hears A.
          const toA = new PcmEcho();
          const toB = new PcmEcho();
          bMedia.addSinks([toA]);
          aMedia.addSinks([toB]);
          aMedia.setSource(toA);
          bMedia.setSource(toB);
        }
        if (!a.answer()) {
          void b.hangup('caller leg could not be answered');
          return settle({ kind: 'error', status: null, reason: 'the caller leg could not be answered' });
        }
        settle({ kind: 'answered', status: 200, reason: '200 OK' });
      });
      b.once('ended', (end) => {
        const answered = b.answeredAt !== undefined;
        const final = decisiveResponse(b, answered);
        const report: CallReport = {
          command: 'call',
          outcome: outboundOutcome(b, answered),
          finalStatus: answered ? 200 : (final?.status ?? end.status ?? null),
          reason: end.reason,
          callId: b.callId,
          setupMs: answered ? Math.round(b.answeredAt! - b.startedAt) : null,
          durationMs: answered ? Math.round(b.endedAt! - b.answeredAt!) : null,
          transport: b.flow?.proto ?? b.dest?.proto ?? this.stack.ua.opts.defaultProto,
          local: b.flow ? endpointText(b.flow.local) : null,
          remote: b.flow ? endpointText(b.flow.remote) : b.dest ? endpointText(b.dest.remote) : null,
          startedAt: started.toISOString(),
          endedAt: new Date().toISOString(),
          endedBy: end.by,
          messages: this.stack.messageCount(b.callId, true),
          ...(bMedia ? { media: bMedia.report() } : {}),
        };
        void bMedia?.close();
        onReport(report);
        if (answered) {
          if (a.state !== 'terminated') void a.hangup(`forward leg ended: ${end.reason}`);
          return;
        }
        const s = report.finalStatus;
        const kind = s === 486 || s === 600 ? 'busy' : s === 480 ? 'unavailable' : s !== null && s >= 300 && end.by === 'remote' ? 'rejected' : 'error';
        settle({ kind, status: s, reason: end.reason });
      });
      a.once('ended', () => {
        if (b.state === 'terminated') return;
        if (b.answeredAt !== undefined) void b.hangup('caller hung up');
        else b.cancel('caller cancelled');
      });
      b.start().catch((err: Error) => settle({ kind: 'error', status: null, reason: err.message }));
    });
  }
}
