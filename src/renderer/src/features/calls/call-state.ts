/** How a call's state reads on its card. */
import type { CallSnapshot } from '../../../../shared/api/contract.ts';

export function stateText(c: CallSnapshot): string {
  switch (c.state) {
    case 'incoming':
      return 'incoming';
    case 'calling':
    case 'proceeding':
      return 'trying';
    case 'ringing':
      return 'ringing';
    case 'early':
      return 'early media';
    case 'connected':
      return c.onHold ? 'on hold' : 'connected';
    case 'terminated':
      return ['ended', c.finalStatus ?? '', c.reason ?? ''].filter((x) => x !== '').join(' ');
    default:
      return String(c.state);
  }
}

export function mosClass(mos: number | null | undefined): string {
  if (mos === null || mos === undefined) return 'mos-none';
  if (mos >= 4) return 'mos-good';
  if (mos >= 3.6) return 'mos-fair';
  return 'mos-poor';
}
