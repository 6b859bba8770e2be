/**
 * A call's verdict and causes (docs/diagnosis.md): each with its checklist item, summary, fix and
 * evidence; evidence that names a SIP message ("msg N", "frame N") is a link that selects it in
 * the ladder.
 */
import type { Diagnosis } from '../../../../shared/model/report.ts';
import { dtid } from './diag-testids.ts';
import { messageRef } from './diagnostic-rows.ts';

export function VerdictBadge({ diagnosis }: { diagnosis: Diagnosis | null }) {
  const v = diagnosis?.verdict ?? 'in progress';
  return (
    <span className={`verdict verdict-${v.replace(' ', '-')}`} data-testid={dtid.verdict}>
      {v}
    </span>
  );
}

export function CauseList({ diagnosis, onEvidence, highlight = '' }: { diagnosis: Diagnosis; onEvidence: (ref: string) => void; highlight?: string }) {
  if (diagnosis.causes.length === 0) return <p className="muted">No cause: the call looks fine.</p>;
  return (
    <ul className="causes">
      {diagnosis.causes.map((c, i) => (
        <li key={`${c.code}-${i}`} className={`cause sev-${c.severity}${highlight === c.code ? ' highlight' : ''}`} data-testid={dtid.cause} data-code={c.code} data-severity={c.severity}>
          <div className="cause-head">
            <code className="cause-code">{c.code}</code> <span className={`tag sev-${c.severity}`}>{c.severity}</span> <span className="cause-summary">{c.summary}</span>
          </div>
          <div className="cause-checklist muted">Checklist: {c.checklist}</div>
          {c.evidence.length > 0 && (
            <ul className="evidence">
              {c.evidence.map((e, k) => (
                <li key={k}>
                  {messageRef(e.ref) ? (
                    <button type="button" className="link" data-testid={dtid.evidence} data-ref={e.ref} title="select this message in the ladder" onClick={() => onEvidence(e.ref)}>
                      {e.ref}
                    </button>
                  ) : (
                    <span className="evidence-ref">{e.ref}</span>
                  )}{' '}
                  {e.text}
                </li>
              ))}
            </ul>
          )}
          <div className="cause-fix">Fix: {c.fix}</div>
        </li>
      ))}
    </ul>
  );
}
