/**
 * The dialer: saved profiles, target, transport, ordered codecs, DTMF method, SRTP policy, audio
 * source, proxy, From, extra headers, optional credentials, keypad and recent targets. Validated
 * in the form (with the contract's schema) before `call.place` is invoked; Enter calls.
 */
import { useEffect, useState, type FormEvent } from 'react';
import {
  CodecSchema,
  DtmfMethodSchema,
  SrtpPolicySchema,
  TransportSchema,
} from '../../../../shared/api/contract.ts';
import { useApp, useInvoke } from '../../app/context.ts';
import { tid } from '../../app/testids.ts';
import { Field } from '../../components/field.tsx';
import { Keypad } from '../../components/keypad.tsx';
import { CodecList, type CodecItem } from './codec-list.tsx';
import { ProfileBar } from './profile-bar.tsx';
import type { ProfileFields } from './profiles.ts';
import {
  profileFieldErrors,
  validateDialer,
  type DialerErrors,
  type DialerForm,
} from './validate.ts';

const DEFAULT_ON = new Set(['PCMU', 'PCMA']);
const SOURCES = ['tone', 'probe', 'silence', 'microphone'] as const;
/** Fields inside the collapsed "Headers and credentials" part: opened when one is invalid. */
const ADVANCED: Array<keyof DialerErrors> = ['headers', 'user', 'password', 'authUser'];

export function Dialer() {
  const invoke = useInvoke();
  const recent = useApp((s) => s.recent);
  const rememberTarget = useApp((s) => s.rememberTarget);
  const markMicCall = useApp((s) => s.markMicCall);
  const conn = useApp((s) => s.conn);
  const [form, setForm] = useState<Omit<DialerForm, 'codecs'>>({
    target: '',
    transport: 'udp',
    dtmf: 'rfc2833',
    srtp: 'off',
    headersText: '',
    user: '',
    password: '',
    authUser: '',
    source: 'tone',
    proxy: '',
    from: '',
  });
  const [codecs, setCodecs] = useState<CodecItem[]>(
    CodecSchema.options.map((name) => ({ name, on: DEFAULT_ON.has(name) })),
  );
  const [errors, setErrors] = useState<DialerErrors>({});
  const [busy, setBusy] = useState(false);
  const [advancedOpen, setAdvancedOpen] = useState(false);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [k]: e.target.value }));
  const showErrors = (errs: DialerErrors) => {
    setErrors(errs);
    if (ADVANCED.some((k) => errs[k])) setAdvancedOpen(true);
  };

  /** The fields a profile keeps, or null (errors shown) when one of them is invalid. */
  const capture = (): ProfileFields | null => {
    const { target: _target, ...rest } = form;
    const errs = profileFieldErrors({ ...rest, codecs: onCodecs(codecs) });
    showErrors(errs);
    return Object.keys(errs).length ? null : { ...rest, codecs };
  };
  const applyProfile = ({ codecs: list, ...fields }: ProfileFields) => {
    setForm((f) => ({ ...fields, target: f.target }));
    setCodecs(list);
    setErrors({});
  };
  // "Use for call" in the Trunks view: the trunk's fields fill the form; a bare number dials
  // sip:NUMBER@DOMAIN.
  const trunk = useApp((s) => s.trunkForCall);
  const setTrunk = useApp((s) => s.setTrunkForCall);
  useEffect(() => {
    if (!trunk) return;
    const t = trunk.fields;
    applyProfile({
      transport: t.transport,
      codecs: [...t.codecs.map((name) => ({ name, on: true })), ...CodecSchema.options.filter((c) => !t.codecs.includes(c)).map((name) => ({ name, on: false }))],
      dtmf: t.dtmf,
      srtp: t.srtp,
      source: 'tone',
      headersText: t.headersText,
      proxy: t.proxy,
      from: t.from,
      user: t.user,
      authUser: t.authUser,
      password: t.password,
    });
  }, [trunk]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const bare = trunk && !/^(sips?|tel):/i.test(form.target.trim()) && !form.target.includes('@') && form.target.trim() !== '';
    const target = bare ? `sip:${form.target.trim()}@${trunk.fields.domain}` : form.target;
    const v = validateDialer({ ...form, target, codecs: onCodecs(codecs) });
    if (!v.ok) {
      showErrors(v.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const r = await invoke('call.place', v.args);
      if (r) {
        rememberTarget(v.args.target);
        if (v.args.source === 'microphone') markMicCall(r.callId);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="dialer panel" onSubmit={submit} noValidate aria-label="Dialer">
      <h2>Dial</h2>
      <ProfileBar capture={capture} onApply={applyProfile} />
      {trunk && (
        <div className="banner info" data-testid={tid.dialerTrunk}>
          Trunk <strong>{trunk.name}</strong>: numbers dial sip:NUMBER@{trunk.fields.domain}{' '}
          <button type="button" className="btn small" onClick={() => setTrunk(null)}>
            stop using
          </button>
        </div>
      )}
      <Field
        label="Target (SIP URI or number)"
        error={errors.target}
        errorTestId={tid.dialerError('target')}
        wide
      >
        <input
          className="target"
          data-testid={tid.dialerTarget}
          value={form.target}
          onChange={set('target')}
          placeholder="sip:agent@example.com or +14155550100"
          autoComplete="off"
          spellCheck={false}
          list="recent-targets"
          aria-invalid={!!errors.target}
        />
      </Field>
      <datalist id="recent-targets">
        {recent.map((r) => (
          <option key={r} value={r} />
        ))}
      </datalist>
      <Keypad
        label="Dial pad"
        testId={tid.dialerKey}
        onKey={(d) => setForm((f) => ({ ...f, target: f.target + d }))}
      />
      <button type="submit" className="btn call-btn" data-testid={tid.dialerCall} disabled={busy}>
        {busy ? 'Calling…' : conn === 'open' ? 'Call' : 'Call (engine not connected)'}
      </button>
      <div className="row">
        <Field label="Transport">
          <select
            data-testid={tid.dialerTransport}
            value={form.transport}
            onChange={set('transport')}
          >
            {TransportSchema.options.map((t) => (
              <option key={t} value={t}>
                {t.toUpperCase()}
              </option>
            ))}
          </select>
        </Field>
        <Field label="DTMF" error={errors.dtmf}>
          <select data-testid={tid.dialerDtmf} value={form.dtmf} onChange={set('dtmf')}>
            {DtmfMethodSchema.options.map((t) => (
              <option key={t} value={t}>
                {t === 'rfc2833' ? 'RFC 4733 (2833)' : t === 'info' ? 'SIP INFO' : 'in-band'}
              </option>
            ))}
          </select>
        </Field>
        <Field label="SRTP">
          <select data-testid={tid.dialerSrtp} value={form.srtp} onChange={set('srtp')}>
            {SrtpPolicySchema.options.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </Field>
        <Field label="We send">
          <select data-testid={tid.dialerSource} value={form.source} onChange={set('source')}>
            {SOURCES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <div className="row proxy-row">
        <Field
          label="Proxy (a number goes here)"
          error={errors.proxy}
          errorTestId={tid.dialerError('proxy')}
        >
          <input
            data-testid={tid.dialerProxy}
            value={form.proxy}
            onChange={set('proxy')}
            placeholder="trunk.example.com"
            autoComplete="off"
            spellCheck={false}
            aria-invalid={!!errors.proxy}
          />
        </Field>
        <Field label="From" error={errors.from} errorTestId={tid.dialerError('from')}>
          <input
            data-testid={tid.dialerFrom}
            value={form.from}
            onChange={set('from')}
            placeholder="sip:me@pbx.example.com"
            autoComplete="off"
            spellCheck={false}
            aria-invalid={!!errors.from}
          />
        </Field>
      </div>
      <CodecList items={codecs} onChange={setCodecs} error={errors.codecs} />
      <details
        className="advanced"
        open={advancedOpen}
        onToggle={(e) => setAdvancedOpen(e.currentTarget.open)}
      >
        <summary>Headers and credentials</summary>
        <Field
          label="Extra headers (Name: value, one per line)"
          error={errors.headers}
          errorTestId={tid.dialerError('headers')}
          wide
        >
          <textarea
            data-testid={tid.dialerHeaders}
            rows={3}
            value={form.headersText}
            onChange={set('headersText')}
            spellCheck={false}
            placeholder="X-Customer: 42"
          />
        </Field>
        <div className="row">
          <Field label="User" error={errors.user}>
            <input
              data-testid={tid.dialerUser}
              value={form.user}
              onChange={set('user')}
              autoComplete="username"
            />
          </Field>
          <Field label="Password" error={errors.password}>
            <input
              data-testid={tid.dialerPassword}
              type="password"
              value={form.password}
              onChange={set('password')}
              autoComplete="current-password"
            />
          </Field>
          <Field label="Auth user" error={errors.authUser}>
            <input
              data-testid={tid.dialerAuthUser}
              value={form.authUser}
              onChange={set('authUser')}
            />
          </Field>
        </div>
      </details>
      {recent.length > 0 && (
        <div className="recent" data-testid={tid.dialerRecent}>
          <span className="field-label">Recent</span>
          {recent.map((r) => (
            <button
              key={r}
              type="button"
              className="chip-btn"
              onClick={() => setForm((f) => ({ ...f, target: r }))}
            >
              {r}
            </button>
          ))}
        </div>
      )}
    </form>
  );
}

function onCodecs(items: CodecItem[]): string[] {
  return items.filter((c) => c.on).map((c) => c.name);
}
