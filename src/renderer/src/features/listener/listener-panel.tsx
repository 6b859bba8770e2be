/** The built-in agent: where it listens, how it answers, start/stop, and its state. */
import { useEffect, useState, type FormEvent } from 'react';
import {
  AnswerModeSchema,
  StartListenerSchema,
  TransportSchema,
} from '../../../../shared/api/contract.ts';
import { useApp, useInvoke } from '../../app/context.ts';
import { tid } from '../../app/testids.ts';
import { Field } from '../../components/field.tsx';

const ANSWER_HELP: Record<string, string> = {
  echo: 'answer and echo the audio back',
  ring: 'ring without answering',
  busy: 'answer 486 Busy Here',
  manual: 'show each call here to accept or reject',
  reject: 'reject with the status below',
};

export function ListenerPanel() {
  const invoke = useInvoke();
  const state = useApp((s) => s.listener);
  const setListener = useApp((s) => s.setListener);
  const [address, setAddress] = useState('127.0.0.1');
  const [port, setPort] = useState('5060');
  const [transports, setTransports] = useState<string[]>(['udp', 'tcp']);
  const [answer, setAnswer] = useState<string>('echo');
  const [useRouting, setUseRouting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const running = !!state?.running;

  // While running, the fields show what the listener actually uses.
  useEffect(() => {
    if (!state?.running) return;
    if (state.address) setAddress(state.address);
    if (state.port !== undefined) setPort(String(state.port));
    if (state.transports?.length) setTransports(state.transports);
    if (state.answer) setAnswer(state.answer);
    setUseRouting(state.routeTotals !== undefined);
  }, [state]);

  const start = async (e: FormEvent) => {
    e.preventDefault();
    const r = StartListenerSchema.safeParse({
      address: address.trim(),
      port: Number(port),
      transports,
      answer,
      useRouting,
    });
    if (!r.success) {
      const i = r.error.issues[0];
      setError(`${i?.path.join('.') || 'listener'}: ${i?.message ?? 'invalid'}`);
      return;
    }
    setError(null);
    const res = await invoke('listener.start', r.data);
    if (res) setListener(res);
  };
  const stop = async () => {
    const res = await invoke('listener.stop', {});
    if (res) setListener(res);
  };

  return (
    <form className="listener panel" onSubmit={start} aria-label="Listener">
      <h2>Listener</h2>
      <p
        className="listener-state"
        data-testid={tid.listenerState}
        data-running={running ? 'true' : 'false'}
      >
        <span className={`dot ${running ? 'on' : 'off'}`} aria-hidden="true" />
        {running
          ? `listening on ${(state?.bound ?? []).join(', ') || `${state?.address}:${state?.port}`} · ${state?.routeTotals ? 'routing: saved rules' : `answer: ${state?.answer}`}`
          : 'stopped'}
        {state?.error && <span className="field-error"> {state.error}</span>}
      </p>
      <div className="row">
        <Field label="Address">
          <input
            data-testid={tid.listenerAddress}
            value={address}
            onChange={(e) => setAddress(e.target.value)}
            disabled={running}
          />
        </Field>
        <Field label="Port">
          <input
            data-testid={tid.listenerPort}
            value={port}
            inputMode="numeric"
            onChange={(e) => setPort(e.target.value)}
            disabled={running}
          />
        </Field>
        <Field label="Answer">
          <select
            data-testid={tid.listenerAnswer}
            value={answer}
            onChange={(e) => setAnswer(e.target.value)}
            disabled={running}
          >
            {AnswerModeSchema.options.map((a) => (
              <option key={a} value={a}>
                {a} — {ANSWER_HELP[a]}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <label className="chip">
        <input
          type="checkbox"
          data-testid="listener-use-routing"
          checked={useRouting}
          disabled={running}
          onChange={(e) => setUseRouting(e.target.checked)}
        />
        Route calls by the saved routing (Routing view) instead of Answer
      </label>
      <fieldset className="transports" disabled={running}>
        <legend>Transports</legend>
        {TransportSchema.options.map((t) => (
          <label key={t} className="chip">
            <input
              type="checkbox"
              checked={transports.includes(t)}
              onChange={(e) =>
                setTransports((ts) => (e.target.checked ? [...ts, t] : ts.filter((x) => x !== t)))
              }
            />
            {t.toUpperCase()}
          </label>
        ))}
      </fieldset>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="row">
        {running ? (
          <button
            type="button"
            className="btn bad"
            data-testid={tid.listenerStop}
            onClick={() => void stop()}
          >
            Stop listener
          </button>
        ) : (
          <button type="submit" className="btn good" data-testid={tid.listenerStart}>
            Start listener
          </button>
        )}
      </div>
    </form>
  );
}
