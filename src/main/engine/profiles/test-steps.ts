/** Helpers of Test Connection: timing a step, likely causes in plain words, response evidence. */
import type { TestStep } from '../../../shared/model/report.ts';
import type { RequestOutcome } from '../../sip/ua/request-client.ts';

export type StepResult = Omit<TestStep, 'name' | 'ms'> & { fatal?: boolean };

export async function timed(name: TestStep['name'], fn: () => Promise<StepResult>): Promise<TestStep & { fatal: boolean }> {
  const t0 = performance.now();
  let r: StepResult;
  try {
    r = await fn();
  } catch (err) {
    r = { status: 'fail', detail: `internal error: ${(err as Error).message}`, evidence: {}, fatal: true };
  }
  // Key order as documented: name, status, detail, ms, evidence.
  return { name, status: r.status, detail: r.detail, ms: Math.round(performance.now() - t0), evidence: r.evidence, fatal: r.fatal ?? false };
}

/** What a response says about the peer: status, RTT, Allow/Supported/User-Agent, Date. */
export function responseEvidence(out: RequestOutcome): Record<string, unknown> {
  const res = out.response;
  const h = res?.headers;
  return {
    status: res?.status ?? null,
    reason: res?.reason ?? out.errorText ?? out.error ?? null,
    rttMs: out.rttMs !== undefined ? Math.round(out.rttMs * 100) / 100 : null,
    allow: h?.get('Allow') ?? null,
    supported: h?.get('Supported') ?? null,
    userAgent: h?.get('User-Agent') ?? h?.get('Server') ?? null,
    date: h?.get('Date') ?? null,
    remote: out.flow ? `${out.flow.remote.address}:${out.flow.remote.port}` : null,
  };
}

const AUTH_CAUSE: Record<string, string> = {
  'wrong-credentials': 'wrong password or user name: the server challenged again after our digest answer',
  forbidden: '403 Forbidden: the account, its domain or our source address is not allowed (an ACL or a disabled account)',
  'realm-mismatch': "realm mismatch: the server's realm differs from the profile's realm",
  'no-response': 'no answer: nothing replied in time (wrong address or port, a firewall, or the wrong transport)',
  unreachable: 'unreachable: the request could not be sent (DNS or connection failure)',
  'unsupported-challenge': 'the server asked for an authentication scheme or digest algorithm we cannot answer',
  'stale-nonce': 'the server kept calling our nonce stale (its clock, or a broken nonce cache)',
};

/** The likely cause of a failed REGISTER (or challenged request), in plain words. */
export function authCause(out: RequestOutcome, hasPassword: boolean): string {
  const s = out.response?.status;
  if ((s === 401 || s === 407) && !hasPassword) return `${s}: the server wants credentials and the profile has no password`;
  if (out.authFailure && AUTH_CAUSE[out.authFailure]) return AUTH_CAUSE[out.authFailure]!;
  if (out.error === 'timeout') return AUTH_CAUSE['no-response']!;
  if (out.error) return `${out.error}: ${out.errorText ?? ''}`.trim();
  if (s === 404) return '404 Not Found: the registrar does not know this user or domain';
  return `${s} ${out.response?.reason ?? ''}`.trim();
}
