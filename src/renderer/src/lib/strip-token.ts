/**
 * Issue 15 item 8: the web shell's page URL carries `?token=…` once; the server answers it with
 * an HttpOnly SameSite=Strict cookie, so the page removes the token from the address bar (and
 * so from history, bookmarks and screenshots). Later loads and the WebSocket use the cookie.
 */
export function stripToken(loc: Pick<Location, 'href'>, history: Pick<History, 'replaceState' | 'state'>): boolean {
  const url = new URL(loc.href);
  if (!url.searchParams.has('token')) return false;
  url.searchParams.delete('token');
  history.replaceState(history.state, '', `${url.pathname}${url.search}${url.hash}`);
  return true;
}
