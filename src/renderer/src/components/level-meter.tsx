/** A horizontal dBFS meter (−60 … 0 dB). */
interface Props {
  db: number | null;
  label: string;
  testId: string;
}

export function levelFraction(db: number | null): number {
  if (db === null || !Number.isFinite(db)) return 0;
  return Math.max(0, Math.min(1, (db + 60) / 60));
}

export function LevelMeter({ db, label, testId }: Props) {
  const pct = Math.round(levelFraction(db) * 100);
  return (
    <div className="meter" data-testid={testId} data-db={db === null ? '' : db.toFixed(1)}>
      <span className="meter-label">{label}</span>
      <div
        className="meter-track"
        role="meter"
        aria-label={label}
        aria-valuemin={-60}
        aria-valuemax={0}
        aria-valuenow={db ?? -60}
      >
        <div className="meter-fill" style={{ width: `${pct}%` }} />
      </div>
      <span className="meter-value">{db === null ? '—' : `${db.toFixed(0)} dB`}</span>
    </div>
  );
}
