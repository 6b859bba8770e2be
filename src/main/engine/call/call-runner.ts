/**
 * The scripted outbound call: place one call, keep it up for the requested time (sending DTMF,
 * holding and resuming as asked), hang up, and return its CallReport. The CLI's `call` runs
 * calls through this; the GUI's dialer places the same InviteClient with the same CallTracker
 * (call/outbound.ts) and steers it by hand instead of by a script.
 */
import type { CallReport } from '../../../shared/model/report.ts';
import { InviteClient, type CallOptions } from '../../sip/ua/invite-client.ts';
import type { MediaHandler } from '../../sip/ua/media-handler.ts';
import type { SipStack } from '../stack/sip-stack.ts';
import { CallMedia } from '../media/call-media.ts';
import { sendDigits } from '../media/dtmf-driver.ts';
import { CallTracker } from './call-tracker.ts';

export { trackEvents } from './session-events.ts';

export interface CallScript {
  /** Seconds to stay connected before BYE. */
  durationSec: number;
  /** DTMF digits to send once connected, by the media's method, after dtmfAtSec. */
  sendDtmf?: string;
  dtmfAtSec?: number;
  /** Hold (sendonly re-INVITE) at this many seconds into the call, resume after holdForSec. */
  holdAtSec?: number;
  holdForSec?: number;
  /** Load runs: the session as soon as it exists, so a Stop can hang it up (engine/load). */
  onSession?: (call: InviteClient) => void;
  /** The test wants silence from the peer (--expect-silence): no silent-audio cause. */
  expectSilence?: boolean;
}

export interface RunCallOptions extends CallOptions, CallScript {}

/** The InviteClient of one outgoing call and its tracker (not started yet). */
export function newOutboundSession(
  stack: SipStack,
  media: MediaHandler,
  o: CallOptions & Pick<CallScript, 'sendDtmf' | 'expectSilence'>,
): { session: InviteClient; tracker: CallTracker } {
  const session = new InviteClient(stack.ua, media, o);
  const tracker = new CallTracker({
    session,
    media: media instanceof CallMedia ? media : undefined,
    defaultTransport: stack.ua.opts.defaultProto,
    messages: () => stack.messageCount(session.callId, true),
    diagnosis: () => ({ trace: stack.traceFor(session.callId), expectDtmf: o.sendDtmf, expectSilence: o.expectSilence }),
  });
  return { session, tracker };
}

export async function runCall(stack: SipStack, media: MediaHandler, o: RunCallOptions): Promise<CallReport> {
  const { session, tracker } = newOutboundSession(stack, media, o);
  o.onSession?.(session);
  const ended = new Promise<void>((resolve) => session.once('ended', () => resolve()));
  session.once('connected', () => playScript(session, tracker.media, o));
  await session.start();
  await ended;
  return tracker.report();
}

/** What the script does once the call is connected: digits, hold/resume, the BYE. */
function playScript(call: InviteClient, media: CallMedia | undefined, o: CallScript): void {
  const clock = call.ua.opts.clock;
  if (media && o.sendDtmf) {
    // A digit that cannot be sent is recorded in media.error (CallMedia); the call goes on.
    clock.setTimer((o.dtmfAtSec ?? 1) * 1000, () => void sendDigits(call, media, o.sendDtmf!).catch(() => undefined));
  }
  if (o.holdAtSec !== undefined) {
    clock.setTimer(o.holdAtSec * 1000, () => {
      void call.hold(true).then(() => clock.setTimer((o.holdForSec ?? 1) * 1000, () => void call.hold(false)));
    });
  }
  clock.setTimer(o.durationSec * 1000, () => void call.hangup('duration reached'));
}
