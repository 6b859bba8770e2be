/** Session events worth a line in a call report (hold, refreshes, redirects, state changes). */
import type { CallReport } from '../../../shared/model/report.ts';
import type { InviteSession } from '../../sip/ua/invite-session.ts';

export function trackEvents(s: InviteSession, t0: number): NonNullable<CallReport['events']> {
  const out: NonNullable<CallReport['events']> = [];
  const at = (): number => Math.round(s.ua.opts.clock.now() - t0);
  s.on('state', (st) => out.push({ atMs: at(), event: `state:${st}` }));
  s.on('refreshed', (method, by) => out.push({ atMs: at(), event: 'refresh', detail: `${method} by ${by}` }));
  s.on('hold', (dir, by) => out.push({ atMs: at(), event: 'hold', detail: `${dir} by ${by}` }));
  s.on('redirected', (status, to) => out.push({ atMs: at(), event: 'redirect', detail: `${status} → ${to}` }));
  s.on('info', (req) => out.push({ atMs: at(), event: 'info', detail: req.body.toString().trim() }));
  s.on('ended', (e) => out.push({ atMs: at(), event: 'ended', detail: e.reason }));
  return out;
}
