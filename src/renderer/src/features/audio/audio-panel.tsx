/** Microphone and speaker selection, and their level meters. */
import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../../app/context.ts';
import { useStore } from 'zustand';
import { tid } from '../../app/testids.ts';
import { Field } from '../../components/field.tsx';
import { LevelMeter } from '../../components/level-meter.tsx';
import { AudioBridge } from './audio-bridge.ts';

export function AudioPanel() {
  const s = useStore(
    useAppStore(),
    useShallow((st) => ({
      inputs: st.inputs,
      outputs: st.outputs,
      inputId: st.inputId,
      outputId: st.outputId,
      setInput: st.setInput,
      setOutput: st.setOutput,
      inLevelDb: st.inLevelDb,
      outLevelDb: st.outLevelDb,
      audioError: st.audioError,
      micCallCount: Object.keys(st.micCalls).filter((id) => st.calls[id]?.state === 'connected')
        .length,
    })),
  );
  const { micCallCount } = s;
  return (
    <section className="audio panel" aria-label="Audio">
      <h2>Audio</h2>
      <p className="hint">
        Place a call with “We send: microphone” to talk into it; received audio plays on the
        speaker.
        {micCallCount > 0 && <strong> Microphone live in {micCallCount} call(s).</strong>}
      </p>
      <div className="row">
        <Field label="Microphone">
          <select
            data-testid={tid.audioInput}
            value={s.inputId}
            onChange={(e) => s.setInput(e.target.value)}
          >
            <option value="">System default</option>
            {s.inputs.map((d) => (
              <option key={d.deviceId} value={d.deviceId}>
                {d.label}
              </option>
            ))}
          </select>
        </Field>
        <Field
          label={
            AudioBridge.sinkSelectable()
              ? 'Speaker'
              : 'Speaker (system default only in this browser)'
          }
        >
          <select
            data-testid={tid.audioOutput}
            value={s.outputId}
            onChange={(e) => s.setOutput(e.target.value)}
            disabled={!AudioBridge.sinkSelectable()}
          >
            <option value="">System default</option>
            {s.outputs.map((d) => (
              <option key={d.deviceId} value={d.deviceId}>
                {d.label}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <LevelMeter db={s.inLevelDb} label="Mic" testId={tid.meterIn} />
      <LevelMeter db={s.outLevelDb} label="Speaker" testId={tid.meterOut} />
      {s.audioError && (
        <p className="field-error" role="alert">
          {s.audioError}
        </p>
      )}
    </section>
  );
}
