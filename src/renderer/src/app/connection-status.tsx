/** The engine connection, always visible in the top bar. */
import { useApp } from './context.ts';
import { tid } from './testids.ts';

const TEXT = {
  connecting: 'connecting…',
  open: 'connected',
  reconnecting: 'reconnecting…',
  closed: 'disconnected',
} as const;

export function ConnectionStatus() {
  const conn = useApp((s) => s.conn);
  return (
    <span
      className={`conn conn-${conn}`}
      data-testid={tid.connStatus}
      data-status={conn}
      role="status"
      aria-live="polite"
    >
      <span className="dot" aria-hidden="true" />
      {TEXT[conn]}
    </span>
  );
}
