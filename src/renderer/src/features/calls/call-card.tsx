/**
 * One call: state, timer, controls (hangup/Esc, hold/resume, accept/reject, DTMF keypad with
 * digit keys while the card is focused, send digits), its ladder, and live stats.
 */
import { useState, type KeyboardEvent } from 'react';
import type { CallSnapshot } from '../../../../shared/api/contract.ts';
import { useApp, useInvoke } from '../../app/context.ts';
import { tid } from '../../app/testids.ts';
import { KEYS_ABCD, Keypad } from '../../components/keypad.tsx';
import { duration } from '../../lib/format.ts';
import { useNow } from '../../lib/use-now.ts';
import { CallStats } from './call-stats.tsx';
import { stateText } from './call-state.ts';
import { SaveBundleButton } from '../diagnostics/save-bundle.tsx';
import { dtid } from '../diagnostics/diag-testids.ts';

const DIGIT = /^[0-9*#A-Da-d]$/;

export function CallCard({ call }: { call: CallSnapshot }) {
  const invoke = useInvoke();
  const showCallLadder = useApp((s) => s.showCallLadder);
  const dismissCall = useApp((s) => s.dismissCall);
  const [digits, setDigits] = useState('');
  const live = call.state !== 'terminated';
  const connected = call.state === 'connected';
  const now = useNow(live);
  const since = call.answeredAt ?? call.startedAt;
  const until = call.endedAt ?? now;
  const { callId } = call;

  const hangup = () => void invoke('call.hangup', { callId });
  const dtmf = (d: string) => void invoke('call.dtmf', { callId, digits: d });
  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    const inField = e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement;
    if (e.key === 'Escape' && live) {
      e.stopPropagation();
      e.preventDefault();
      hangup();
    } else if (
      !inField &&
      connected &&
      DIGIT.test(e.key) &&
      !e.ctrlKey &&
      !e.metaKey &&
      !e.altKey
    ) {
      e.preventDefault();
      dtmf(e.key.toUpperCase());
    }
  };

  return (
    <article
      className={`call-card state-${call.state}${call.onHold ? ' on-hold' : ''}`}
      data-testid={tid.callCard}
      data-call-id={callId}
      data-state={call.state}
      tabIndex={0}
      onKeyDown={onKeyDown}
      aria-label={`call with ${call.peer}`}
    >
      <header className="call-head">
        <span className="call-dir" title={call.direction}>
          {call.direction === 'inbound' ? '↘' : '↗'}
        </span>
        <span className="call-peer">{call.peer}</span>
        <span className="call-state" data-testid={tid.callState}>
          {stateText(call)}
        </span>
        <span className="call-timer" data-testid={tid.callTimer}>
          {duration(until - since)}
        </span>
      </header>
      <div className="call-meta">
        {call.transport.toUpperCase()} · {call.codec ?? 'no codec yet'} · DTMF {call.dtmfMethod} ·{' '}
        <code>{callId}</code>
      </div>
      <div className="call-actions">
        {call.state === 'incoming' && (
          <>
            <button
              type="button"
              className="btn good"
              data-testid={tid.callAccept}
              onClick={() => void invoke('call.accept', { callId })}
            >
              Accept
            </button>
            <button
              type="button"
              className="btn bad"
              data-testid={tid.callReject}
              onClick={() => void invoke('call.reject', { callId })}
            >
              Reject
            </button>
          </>
        )}
        {live && call.state !== 'incoming' && (
          <button
            type="button"
            className="btn bad"
            data-testid={tid.callHangup}
            onClick={hangup}
            title="Hang up (Esc)"
          >
            Hang up
          </button>
        )}
        {connected && (
          <button
            type="button"
            className="btn"
            data-testid={tid.callHold}
            onClick={() => void invoke('call.hold', { callId, on: !call.onHold })}
          >
            {call.onHold ? 'Resume' : 'Hold'}
          </button>
        )}
        <button
          type="button"
          className="btn"
          data-testid={tid.callLadder}
          onClick={() => showCallLadder(callId)}
        >
          Ladder for this call
        </button>
        {!live && call.report && <SaveBundleButton args={{ callId }} testId={dtid.callBundle} />}
        {!live && (
          <button type="button" className="btn" onClick={() => dismissCall(callId)}>
            Dismiss
          </button>
        )}
      </div>
      {connected && (
        <div className="call-dtmf">
          <Keypad keys={KEYS_ABCD} label="DTMF keypad" testId={tid.callKey} onKey={dtmf} />
          <form
            className="send-digits"
            onSubmit={(e) => {
              e.preventDefault();
              if (digits) dtmf(digits);
            }}
          >
            <label>
              Digits
              <input
                value={digits}
                onChange={(e) => setDigits(e.target.value)}
                placeholder="1234#"
                pattern="[0-9*#A-Da-d,]{1,64}"
              />
            </label>
            <button type="submit" className="btn" data-testid={tid.callSendTone} disabled={!digits}>
              Send tones
            </button>
          </form>
        </div>
      )}
      {call.state !== 'incoming' && <CallStats callId={callId} />}
      {call.report && !live && (
        <div className="call-report">
          outcome <strong>{call.report.outcome}</strong>
          {call.report.setupMs !== null && ` · setup ${call.report.setupMs} ms`}
          {call.report.durationMs !== null && ` · connected ${duration(call.report.durationMs)}`}
          {call.report.route && (
            <span data-testid="call-route-rule">
              {' '}
              · rule <strong>{call.report.route.rule}</strong>
            </span>
          )}
        </div>
      )}
    </article>
  );
}
