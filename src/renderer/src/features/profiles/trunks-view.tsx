/**
 * Trunks: the trunk profiles the CLI and the app share (list, editor with a preset picker, the
 * engine's validation naming the field, which secrets store holds the passwords), Test
 * Connection with its steps arriving live, and "use for call" for the dialer.
 */
import { useCallback, useEffect, useState } from 'react';
import type { ProfilesState } from '../../../../shared/api/profile-commands.ts';
import type { TestStep } from '../../../../shared/model/report.ts';
import { useApi, useApp } from '../../app/context.ts';
import { tid } from '../../app/testids.ts';
import { Field } from '../../components/field.tsx';
import { emptyForm, fieldOfError, formOf, profileOf, type TrunkForm } from './trunk-form.ts';

export function TrunksView() {
  const api = useApi();
  const setTrunkForCall = useApp((s) => s.setTrunkForCall);
  const [state, setState] = useState<ProfilesState | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [form, setForm] = useState<TrunkForm>(emptyForm);
  const [error, setError] = useState<{ field: string; message: string } | null>(null);
  const [status, setStatus] = useState('');
  const [steps, setSteps] = useState<TestStep[]>([]);
  const [testing, setTesting] = useState(false);

  const reload = useCallback(async () => {
    if (!api) return;
    try {
      setState(await api.invoke('profiles.list', {}));
    } catch (e) {
      setStatus((e as Error).message);
    }
  }, [api]);
  useEffect(() => void reload(), [reload]);
  useEffect(() => {
    if (!api) return undefined;
    return api.on('profiles.testStep', (e) => {
      if (e.profile === selected) setSteps((s) => [...s, e.step]);
    });
  }, [api, selected]);

  const set = <K extends keyof TrunkForm>(k: K, v: TrunkForm[K]) => setForm((f) => ({ ...f, [k]: v }));
  const pick = (name: string | null) => {
    setSelected(name);
    setError(null);
    setSteps([]);
    setStatus('');
    const p = state?.profiles.find((x) => x.name === name);
    setForm(p ? formOf(p) : emptyForm);
  };
  const applyPreset = (id: string) => {
    const preset = state?.presets.find((p) => p.id === id);
    const v = (preset?.values ?? {}) as Partial<Record<string, unknown>>;
    setForm((f) => ({
      ...f,
      preset: id,
      mode: (v['mode'] as TrunkForm['mode']) ?? f.mode,
      transport: (v['transport'] as TrunkForm['transport']) ?? f.transport,
      codecs: Array.isArray(v['codecs']) ? (v['codecs'] as string[]).join(',') : f.codecs,
      dtmf: (v['dtmf'] as TrunkForm['dtmf']) ?? f.dtmf,
    }));
  };

  const save = async () => {
    if (!api) return;
    setError(null);
    try {
      const r = await api.invoke('profiles.save', {
        profile: profileOf(form),
        originalName: selected ?? undefined,
        password: form.password !== '' ? form.password : undefined,
      });
      setStatus(`saved ${r.profile.name}`);
      await reload();
      setSelected(r.profile.name);
      setForm(formOf(r.profile));
    } catch (e) {
      setError(fieldOfError((e as Error).message));
    }
  };
  const remove = async () => {
    if (!api || !selected) return;
    await api.invoke('profiles.remove', { name: selected });
    setStatus(`removed ${selected}`);
    pick(null);
    await reload();
  };
  const test = async () => {
    if (!api || !selected) return;
    setSteps([]);
    setTesting(true);
    try {
      const r = await api.invoke('profiles.test', { name: selected, insecure: !form.tlsVerify || undefined });
      setSteps(r.steps);
      setStatus(r.ok ? 'connection OK' : `connection FAILED at ${r.steps.find((s) => s.status === 'fail')?.name ?? '?'}`);
    } catch (e) {
      setStatus((e as Error).message);
    } finally {
      setTesting(false);
    }
  };
  const useForCall = async () => {
    if (!api || !selected) return;
    const fields = await api.invoke('profiles.dialerFields', { name: selected });
    setTrunkForCall({ name: selected, fields });
  };

  const preset = state?.presets.find((p) => p.id === form.preset);
  const err = (f: string) => (error && (error.field === f || error.field.startsWith(`${f}.`)) ? `${error.field}: ${error.message}` : undefined);
  const text = (f: keyof TrunkForm, label: string, placeholder = '', type = 'text') => (
    <Field label={label} error={err(f === 'allowFrom' ? 'inbound' : f)}>
      <input data-testid={tid.trunkField(f)} type={type} value={String(form[f])} placeholder={placeholder} onChange={(e) => set(f, e.target.value as never)} />
    </Field>
  );

  return (
    <div className="trunks-layout">
      <section className="panel trunk-list" aria-label="Trunks">
        <h2>Trunks</h2>
        {state?.problem && <div className="banner warn">{state.problem}</div>}
        <ul>
          {state?.profiles.map((p) => (
            <li key={p.name}>
              <button type="button" className={`btn small${p.name === selected ? ' active' : ''}`} data-testid={tid.trunkRow} data-name={p.name} onClick={() => pick(p.name)}>
                {p.name} <small>{p.preset} · {p.transport} · {p.domain}</small>
              </button>
            </li>
          ))}
        </ul>
        <button type="button" className="btn" data-testid={tid.trunkNew} onClick={() => pick(null)}>
          New trunk
        </button>
        <p className="hint" data-testid={tid.trunkSecretStore} data-kind={state?.secretStore.kind}>
          Passwords: {state?.secretStore.description ?? '…'}
        </p>
      </section>
      <section className="panel trunk-editor" aria-label="Trunk editor">
        <h2>{selected ? `Trunk ${selected}` : 'New trunk'}</h2>
        <Field label="Provider preset">
          <select data-testid={tid.trunkField('preset')} value={form.preset} onChange={(e) => applyPreset(e.target.value)}>
            {state?.presets.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
        </Field>
        {preset && (
          <ul className="hint">
            {preset.needs.map((n) => (
              <li key={n.field}>
                {n.field}: {n.example}
              </li>
            ))}
            {preset.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        )}
        {text('name', 'Name')}
        {text('domain', 'Domain / registrar host', preset?.needs.find((n) => n.field === 'domain')?.example ?? 'sip.example.net')}
        <Field label="Mode" error={err('mode')}>
          <select data-testid={tid.trunkField('mode')} value={form.mode} onChange={(e) => set('mode', e.target.value as TrunkForm['mode'])}>
            <option value="register">register (digest)</option>
            <option value="ip">IP authentication</option>
          </select>
        </Field>
        <Field label="Transport" error={err('transport')}>
          <select data-testid={tid.trunkField('transport')} value={form.transport} onChange={(e) => set('transport', e.target.value as TrunkForm['transport'])}>
            <option value="udp">UDP</option>
            <option value="tcp">TCP</option>
            <option value="tls">TLS</option>
          </select>
        </Field>
        {text('username', 'Username')}
        {text('authUsername', 'Auth username (if different)')}
        {text('password', selected && state?.profiles.find((p) => p.name === selected)?.hasPassword ? 'Password (stored; type to change)' : 'Password', '', 'password')}
        {text('realm', 'Realm (optional)')}
        {text('outboundProxy', 'Outbound proxy', 'sip:proxy.example.net;lr')}
        {text('codecs', 'Codecs in order', 'PCMU,PCMA')}
        {text('allowFrom', 'Provider addresses (inbound allow list)', '203.0.113.0/24, 2001:db8::/32')}
        <label className="check">
          <input type="checkbox" data-testid={tid.trunkField('tlsVerify')} checked={form.tlsVerify} onChange={(e) => set('tlsVerify', e.target.checked)} /> verify TLS certificates
        </label>
        {error && (
          <div className="banner error" role="alert" data-testid={tid.trunkError}>
            {error.field ? `${error.field}: ${error.message}` : error.message}
          </div>
        )}
        <div className="row">
          <button type="button" className="btn primary" data-testid={tid.trunkSave} onClick={() => void save()}>
            Save
          </button>
          <button type="button" className="btn" data-testid={tid.trunkTest} disabled={!selected || testing} onClick={() => void test()}>
            {testing ? 'Testing…' : 'Test Connection'}
          </button>
          <button type="button" className="btn" data-testid={tid.trunkUse} disabled={!selected} onClick={() => void useForCall()}>
            Use for call
          </button>
          <button type="button" className="btn danger" data-testid={tid.trunkDelete} disabled={!selected} onClick={() => void remove()}>
            Delete
          </button>
        </div>
        {status && <p className="status">{status}</p>}
        <ol className="trunk-steps" data-testid={tid.trunkSteps}>
          {steps.map((s) => (
            <li key={s.name} data-testid={tid.trunkStep} data-name={s.name} data-status={s.status} className={`step ${s.status}`}>
              <strong>{s.name}</strong> {s.status} <small>{s.ms} ms</small> — {s.detail}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
