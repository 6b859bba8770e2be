/** The exchange side by side: request, response, parsed instructions, verdict. */
import type { WebhookSendReport, WebhookVerdict } from '../../../../shared/api/webhook-contract.ts';
import { wtid } from './webhook-testids.ts';

export function SendResult({ r }: { r: WebhookSendReport }) {
  const req = r.request;
  const res = r.response;
  const ci = r.instructions;
  return (
    <div className="webhook-results">
      <section className="panel" data-testid={wtid.request} aria-label="Request">
        <h3>Request</h3>
        <pre>
          {`${req.method} ${req.url}\n`}
          {Object.entries(req.headers)
            .map(([k, v]) => `${k}: ${v}\n`)
            .join('')}
          {req.body ? `\n${req.body}` : ''}
        </pre>
        {req.tampered && <p className="field-error">tampered: {req.tampered}</p>}
      </section>
      <section className="panel" data-testid={wtid.response} aria-label="Response">
        <h3>Response</h3>
        {res ? (
          <>
            <p>
              {res.status} {res.statusText} · {res.elapsedMs} ms · {res.bytes} bytes
              {res.truncated ? ' (cut off)' : ''}
            </p>
            <pre>{res.body}</pre>
          </>
        ) : (
          <p>no response</p>
        )}
      </section>
      <section className="panel" data-testid={wtid.instructions} aria-label="Call instructions">
        <h3>Call instructions</h3>
        {ci ? (
          <dl className="kv">
            {ci.targets.map((t, i) => (
              <div key={i}>
                <dt>SIP URI</dt>
                <dd data-field="uri">{t.uri}</dd>
                <dt>transport</dt>
                <dd data-field="transport">{t.transport ?? '(not set)'}</dd>
                <dt>credentials</dt>
                <dd data-field="credentials">
                  {t.username !== undefined
                    ? `${t.username} / ${t.password ?? ''} (${t.credentialsFrom})`
                    : 'none'}
                </dd>
              </div>
            ))}
            {ci.numbers.length > 0 && (
              <div>
                <dt>numbers</dt>
                <dd>{ci.numbers.join(', ')}</dd>
              </div>
            )}
            <div>
              <dt>caller ID</dt>
              <dd data-field="callerId">{ci.callerId ?? '(not set)'}</dd>
              <dt>timeout</dt>
              <dd data-field="timeout">
                {ci.timeoutS !== undefined ? `${ci.timeoutS} s` : '(default)'}
              </dd>
            </div>
          </dl>
        ) : r.instructionsError ? (
          <p className="field-error">
            {r.instructionsError.element ? `<${r.instructionsError.element}>: ` : ''}
            {r.instructionsError.message}
          </p>
        ) : (
          <p>none</p>
        )}
      </section>
      <section
        className={`panel verdict ${r.ok ? 'good' : 'bad'}`}
        data-testid={wtid.verdict}
        data-ok={r.ok ? 'true' : 'false'}
        aria-label="Verdict"
      >
        <h3>Verdict</h3>
        <p>
          <strong>{r.ok ? 'ok' : 'failed'}</strong>: {r.reason}
        </p>
      </section>
    </div>
  );
}

export function VerifyResult({ v }: { v: WebhookVerdict }) {
  return (
    <div className="webhook-results">
      <section
        className={`panel verdict ${v.valid ? 'good' : 'bad'}`}
        data-testid={wtid.verdict}
        data-ok={v.valid ? 'true' : 'false'}
        aria-label="Verdict"
      >
        <h3>Verdict</h3>
        <p>
          <strong>{v.valid ? 'valid' : 'invalid'}</strong>: {v.reason}
        </p>
        {v.likelySigned && <p>most likely signed: {v.likelySigned}</p>}
        {v.bodyHashMatch !== undefined && (
          <p>body SHA-256 {v.bodyHashMatch ? 'matches' : 'does not match'} bodySHA256</p>
        )}
      </section>
      <section className="panel" aria-label="Variants tried">
        <h3>Variants tried</h3>
        <table data-testid={wtid.tried}>
          <thead>
            <tr>
              <th>match</th>
              <th>URL</th>
              <th>variant</th>
              <th>signature</th>
            </tr>
          </thead>
          <tbody>
            {v.tried.map((t, i) => (
              <tr key={i} data-match={t.match ? 'true' : 'false'}>
                <td>{t.match ? '✓' : ''}</td>
                <td>{t.url}</td>
                <td>
                  {t.variant ?? ''}
                  {t.token !== undefined ? ` · token #${t.token}` : ''}
                </td>
                <td>
                  <code>{t.signature}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
