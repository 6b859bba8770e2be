/**
 * The Webhooks view (issue 13): act as the provider (send a signed or tampered callback, see the
 * response and the call instructions it returns) or verify a captured request — the same engine
 * code as `trunkscope webhook send|verify`. Tokens are password fields and never shown back.
 */
import { useState, type FormEvent } from 'react';
import {
  WebhookSendSchema,
  WebhookVerifySchema,
  type WebhookSendReport,
  type WebhookVerdict,
} from '../../../../shared/api/webhook-contract.ts';
import { useInvoke } from '../../app/context.ts';
import { Field } from '../../components/field.tsx';
import { parseKv } from './parse-lines.ts';
import { SendResult, VerifyResult } from './webhook-results.tsx';
import { wtid } from './webhook-testids.ts';

type Mode = 'send' | 'verify';

function firstIssue(e: { issues: { path: PropertyKey[]; message: string }[] }): string {
  const i = e.issues[0];
  return `${i?.path.map(String).join('.') || 'form'}: ${i?.message ?? 'invalid'}`;
}

export function WebhooksView() {
  const invoke = useInvoke();
  const [mode, setMode] = useState<Mode>('send');
  const [provider, setProvider] = useState('twilio');
  const [url, setUrl] = useState('http://127.0.0.1:8080/answer');
  const [token, setToken] = useState('');
  const [kind, setKind] = useState('answer');
  const [method, setMethod] = useState('');
  const [params, setParams] = useState('');
  const [tamper, setTamper] = useState(false);
  const [headers, setHeaders] = useState('');
  const [body, setBody] = useState('');
  const [source, setSource] = useState('');
  const [allowFrom, setAllowFrom] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<WebhookSendReport | null>(null);
  const [verdict, setVerdict] = useState<WebhookVerdict | null>(null);

  const send = async (e: FormEvent) => {
    e.preventDefault();
    const p = parseKv(params, '=');
    if (p.error) return setError(`parameters: ${p.error}`);
    const r = WebhookSendSchema.safeParse({
      provider,
      url: url.trim(),
      token,
      kind,
      method: method || undefined,
      params: p.value,
      tamper,
    });
    if (!r.success) return setError(firstIssue(r.error));
    setError(null);
    setBusy(true);
    const res = await invoke('webhook.send', r.data);
    setBusy(false);
    if (res) setSent(res);
  };

  const verify = async (e: FormEvent) => {
    e.preventDefault();
    const h = parseKv(headers, ':');
    if (h.error) return setError(`headers: ${h.error}`);
    const r = WebhookVerifySchema.safeParse({
      provider,
      token,
      url: url.trim(),
      method: method || 'POST',
      headers: h.value,
      body,
      source: source.trim() || undefined,
      allowFrom: provider === 'exotel' && allowFrom.trim() !== '' ? allowFrom : undefined,
    });
    if (!r.success) return setError(firstIssue(r.error));
    setError(null);
    setBusy(true);
    const res = await invoke('webhook.verify', r.data);
    setBusy(false);
    if (res) setVerdict(res);
  };

  return (
    <div className="webhooks-layout">
      <form
        className="panel webhook-form"
        onSubmit={mode === 'send' ? send : verify}
        aria-label="Webhook"
      >
        <h2>Webhooks</h2>
        <div className="row" role="tablist">
          {(['send', 'verify'] as const).map((m) => (
            <button
              key={m}
              type="button"
              role="tab"
              aria-selected={mode === m}
              className={`tab${mode === m ? ' active' : ''}`}
              data-testid={wtid.mode(m)}
              onClick={() => setMode(m)}
            >
              {m === 'send' ? 'Send (act as the provider)' : 'Verify a request'}
            </button>
          ))}
        </div>
        <div className="row">
          <Field label="Provider">
            <select
              data-testid={wtid.provider}
              value={provider}
              onChange={(e) => setProvider(e.target.value)}
            >
              <option value="twilio">Twilio</option>
              <option value="plivo">Plivo</option>
              <option value="exotel">Exotel</option>
            </select>
          </Field>
          <Field label="Method">
            <select
              data-testid={wtid.method}
              value={method}
              onChange={(e) => setMethod(e.target.value)}
            >
              <option value="">{mode === 'send' ? 'provider default' : 'POST'}</option>
              <option value="POST">POST</option>
              <option value="GET">GET</option>
            </select>
          </Field>
          {mode === 'send' && (
            <Field label="Kind">
              <select
                data-testid={wtid.kind}
                value={kind}
                onChange={(e) => setKind(e.target.value)}
              >
                <option value="answer">answer</option>
                <option value="status">status</option>
              </select>
            </Field>
          )}
        </div>
        <Field label="URL" wide>
          <input
            data-testid={wtid.url}
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            spellCheck={false}
          />
        </Field>
        <Field label={mode === 'send' ? 'Auth token' : 'Auth token(s): old,new'} wide>
          <input
            data-testid={wtid.token}
            type="password"
            autoComplete="off"
            value={token}
            onChange={(e) => setToken(e.target.value)}
          />
        </Field>
        {mode === 'send' ? (
          <>
            <Field label="Parameters (name=value per line; added to the provider's own)" wide>
              <textarea
                data-testid={wtid.params}
                rows={3}
                value={params}
                onChange={(e) => setParams(e.target.value)}
                spellCheck={false}
              />
            </Field>
            <label className="check">
              <input
                type="checkbox"
                data-testid={wtid.tamper}
                checked={tamper}
                onChange={(e) => setTamper(e.target.checked)}
              />{' '}
              tamper (change a parameter after signing)
            </label>
          </>
        ) : (
          <>
            <Field label='Headers ("Name: value" per line)' wide>
              <textarea
                data-testid={wtid.headers}
                rows={3}
                value={headers}
                onChange={(e) => setHeaders(e.target.value)}
                spellCheck={false}
              />
            </Field>
            <Field label="Body (form-encoded or JSON)" wide>
              <textarea
                data-testid={wtid.body}
                rows={3}
                value={body}
                onChange={(e) => setBody(e.target.value)}
                spellCheck={false}
              />
            </Field>
            {provider === 'exotel' && (
              <div className="row">
                <Field label="Source IP">
                  <input
                    data-testid={wtid.source}
                    value={source}
                    onChange={(e) => setSource(e.target.value)}
                  />
                </Field>
                <Field label="Allowlist (comma list)">
                  <input
                    data-testid={wtid.allowFrom}
                    value={allowFrom}
                    onChange={(e) => setAllowFrom(e.target.value)}
                  />
                </Field>
              </div>
            )}
          </>
        )}
        {error && (
          <p className="field-error" role="alert" data-testid={wtid.error}>
            {error}
          </p>
        )}
        <button
          type="submit"
          className="btn primary"
          disabled={busy}
          data-testid={mode === 'send' ? wtid.send : wtid.verify}
        >
          {busy ? 'working…' : mode === 'send' ? 'Send' : 'Verify'}
        </button>
      </form>
      {mode === 'send' && sent && <SendResult r={sent} />}
      {mode === 'verify' && verdict && <VerifyResult v={verdict} />}
    </div>
  );
}
