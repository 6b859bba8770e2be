/** Issue 15 item 8: the page removes ?token= from the address bar, keeping the rest of the URL. */
import { describe, expect, it } from 'vitest';
import { stripToken } from '../../../src/renderer/src/lib/strip-token.ts';

function hist(): { state: unknown; replaceState: (s: unknown, t: string, u?: string | URL | null) => void; calls: string[] } {
  const h = { state: { k: 1 }, calls: [] as string[], replaceState: (_s: unknown, _t: string, u?: string | URL | null) => void h.calls.push(String(u)) };
  return h;
}

describe('stripToken', () => {
  it('removes only the token, keeps path, other parameters and hash', () => {
    const h = hist();
    expect(stripToken({ href: 'http://127.0.0.1:8080/index.html?a=1&token=SECRET&b=2#/calls' }, h)).toBe(true);
    expect(h.calls).toEqual(['/index.html?a=1&b=2#/calls']);
  });
  it('does nothing without a token', () => {
    const h = hist();
    expect(stripToken({ href: 'http://127.0.0.1:8080/#/calls' }, h)).toBe(false);
    expect(h.calls).toEqual([]);
  });
});
