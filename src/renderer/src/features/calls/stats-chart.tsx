/**
 * One small live chart (uPlot: canvas, fast) of a quantity in both directions. Falls back to
 * nothing visible if the canvas is unavailable; the numbers beside it still show.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

interface Props {
  title: string;
  unit: string;
  t: number[];
  sent: (number | null)[];
  recv: (number | null)[];
  /** Fixed y range, or undefined for auto. */
  range?: [number, number];
}

const WIDTH = 260;
const HEIGHT = 90;

export function StatsChart({ title, unit, t, sent, recv, range }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    if (!host.current) return;
    try {
      plot.current = new uPlot(
        {
          width: host.current.clientWidth || WIDTH,
          height: HEIGHT,
          legend: { show: false },
          cursor: { show: false },
          scales: { x: { time: false }, y: range ? { range } : { auto: true } },
          axes: [
            { show: false },
            {
              size: 42,
              stroke: 'currentColor',
              grid: { stroke: 'rgba(128,128,128,0.2)' },
              values: (_u, vals) => vals.map((v) => `${v}${unit}`),
            },
          ],
          series: [
            {},
            { label: 'sent', stroke: '#3b82f6', width: 2, points: { show: false } },
            { label: 'received', stroke: '#f59e0b', width: 2, points: { show: false } },
          ],
        },
        [[], [], []],
        host.current,
      );
    } catch {
      plot.current = null; // no canvas (tests, odd environments): the numbers beside still show
    }
    return () => {
      plot.current?.destroy();
      plot.current = null;
    };
  }, [unit, range]);

  useEffect(() => {
    try {
      plot.current?.setData([t, sent, recv] as uPlot.AlignedData);
    } catch {
      /* ignore a failed redraw; the next tick tries again */
    }
  }, [t, sent, recv]);

  return (
    <figure className="chart">
      <figcaption>
        {title} <span className="legend-sent">sent</span>{' '}
        <span className="legend-recv">received</span>
      </figcaption>
      <div ref={host} className="chart-host" aria-hidden="true" />
    </figure>
  );
}
