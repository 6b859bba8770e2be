/**
 * What every call records while it runs, whoever placed or answered it (CLI, built-in agent,
 * GUI): the timeline (first provisional, ringing, answer), the session's events, INFO digits into
 * the media's DTMF record, the media's answer mark — and, once, its CallReport.
 */
import type { CallReport } from '../../../shared/model/report.ts';
import type { InviteSession } from '../../sip/ua/invite-session.ts';
import type { CallMedia } from '../media/call-media.ts';
import { listenForInfoDigits } from '../media/dtmf-driver.ts';
import { buildReport } from '../report/call-report.ts';
import type { DiagnosisInput } from '../diagnose/trace-messages.ts';
import { trackEvents } from './session-events.ts';

export interface TrackerInit {
  session: InviteSession;
  media: CallMedia | undefined;
  defaultTransport: 'udp' | 'tcp' | 'tls';
  /** Messages of this Call-ID (the stack's counter, taken once by the report). */
  messages: () => { sent: number; received: number };
  /** The diagnosis's inputs (trace, expectations), taken once by the report. */
  diagnosis?: () => DiagnosisInput;
}

export class CallTracker {
  readonly session: InviteSession;
  readonly media: CallMedia | undefined;
  readonly startedAt = new Date();
  readonly timeline: NonNullable<CallReport['timeline']> = { provisionalMs: null, ringingMs: null, answerMs: null };
  readonly events: NonNullable<CallReport['events']>;
  private readonly init: TrackerInit;
  private built: CallReport | undefined;

  constructor(init: TrackerInit) {
    this.init = init;
    const s = (this.session = init.session);
    this.media = init.media;
    this.events = trackEvents(s, s.startedAt);
    const since = (): number => Math.round(s.ua.opts.clock.now() - s.startedAt);
    s.on('provisional', (res) => {
      this.timeline.provisionalMs ??= since();
      if (res.status === 180 || res.status === 183) this.timeline.ringingMs ??= since();
    });
    s.once('connected', () => {
      this.timeline.answerMs = since();
      this.media?.markAnswered();
    });
    if (init.media) listenForInfoDigits(s, init.media);
  }

  /** The call's report, built once when first asked for (after the session ended). */
  report(): CallReport {
    this.built ??= buildReport({
      session: this.session,
      media: this.media,
      startedAt: this.startedAt,
      timeline: this.timeline,
      events: this.events,
      messages: this.init.messages(),
      defaultTransport: this.init.defaultTransport,
      diagnosis: this.init.diagnosis?.(),
    });
    return this.built;
  }
}
