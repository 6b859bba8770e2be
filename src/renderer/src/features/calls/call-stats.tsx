/** Per-direction numbers, live charts, MOS badge and the one-way-audio banner of one call. */
import { useApp } from '../../app/context.ts';
import { tid } from '../../app/testids.ts';
import { num } from '../../lib/format.ts';
import { mosClass } from './call-state.ts';
import { StatsChart } from './stats-chart.tsx';
import { emptySeries } from './calls-slice.ts';

const EMPTY = emptySeries();
const LOSS_RANGE: [number, number] = [0, 20];
const LEVEL_RANGE: [number, number] = [-70, 0];

export function CallStats({ callId }: { callId: string }) {
  const tick = useApp((s) => s.lastStats[callId]);
  const series = useApp((s) => s.series[callId]) ?? EMPTY;
  const mos = tick?.mos ?? null;
  const owa = tick?.oneWayAudio;
  return (
    <div className="call-stats">
      {owa && owa.verdict !== 'ok' && (
        <div
          className="banner warn"
          role="alert"
          data-testid={tid.callOneWay}
          data-verdict={owa.verdict}
        >
          <strong>
            One-way audio: {owa.verdict}
            {owa.direction ? ` (${owa.direction})` : ''}
          </strong>
          <ul>
            {owa.evidence.map((e, i) => (
              <li key={i}>{e}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="stats-row">
        <span
          className={`mos ${mosClass(mos)}`}
          data-testid={tid.callMos}
          data-mos={mos === null ? '' : mos.toFixed(2)}
          title="estimated MOS (E-model)"
        >
          MOS {num(mos, 1)}
        </span>
        <table className="stats-table">
          <thead>
            <tr>
              <th />
              <th>packets</th>
              <th>loss</th>
              <th>jitter</th>
              <th>level</th>
            </tr>
          </thead>
          <tbody>
            {(['sent', 'recv'] as const).map((d) => {
              const st = d === 'sent' ? tick?.sent : tick?.received;
              return (
                <tr key={d}>
                  <th>{d === 'sent' ? 'sent' : 'received'}</th>
                  <td data-testid={tid.stat(`packets-${d}`)}>{st ? st.packets : '—'}</td>
                  <td data-testid={tid.stat(`loss-${d}`)}>{num(st?.lostPercent, 1, ' %')}</td>
                  <td data-testid={tid.stat(`jitter-${d}`)}>{num(st?.jitterMs, 1, ' ms')}</td>
                  <td data-testid={tid.stat(`level-${d}`)}>{num(st?.levelDb, 0, ' dB')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="charts">
        <StatsChart
          title="Jitter (ms)"
          unit=""
          t={series.t}
          sent={series.jitterSent}
          recv={series.jitterRecv}
        />
        <StatsChart
          title="Loss (%)"
          unit=""
          t={series.t}
          sent={series.lossSent}
          recv={series.lossRecv}
          range={LOSS_RANGE}
        />
        <StatsChart
          title="Level (dBFS)"
          unit=""
          t={series.t}
          sent={series.levelSent}
          recv={series.levelRecv}
          range={LEVEL_RANGE}
        />
      </div>
    </div>
  );
}
