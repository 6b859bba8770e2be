/** All calls, newest first; Esc anywhere (outside a card) hangs up the newest live call. */
import { useEffect } from 'react';
import { useApp, useAppStore, useInvoke } from '../../app/context.ts';
import { CallCard } from './call-card.tsx';

export function CallsView() {
  const order = useApp((s) => s.callOrder);
  const calls = useApp((s) => s.calls);
  const store = useAppStore();
  const invoke = useInvoke();

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      const s = store.getState();
      const id = s.callOrder.find(
        (c) => s.calls[c] && s.calls[c].state !== 'terminated' && s.calls[c].state !== 'incoming',
      );
      if (id) void invoke('call.hangup', { callId: id });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, invoke]);

  if (order.length === 0)
    return (
      <p className="empty">
        No calls yet. Dial a number or a SIP URI, or start the listener and call it.
      </p>
    );
  return (
    <div className="call-list">
      {order.map((id) => {
        const c = calls[id];
        return c ? <CallCard key={id} call={c} /> : null;
      })}
    </div>
  );
}
