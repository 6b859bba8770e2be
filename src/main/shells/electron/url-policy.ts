/**
 * Pure checks behind the window's navigation, permission and new-window handlers (issue 15 item
 * 10), kept apart from Electron so they are unit-tested:
 * - isTrustedUrl: a URL or an origin of the app itself. Electron passes permission checks the
 *   bare origin (`app://trunkscope`, no path), which the old `startsWith('app://trunkscope/')`
 *   refused — so every media check failed and the microphone never worked in the app.
 * - isDocumentationLink: the only links opened in the user's browser are the documentation links
 *   the app itself shows (DOCUMENTATION_LINKS), not any https URL a page asks to open.
 */

/**
 * Links the app shows and may open in the user's browser, exactly (query and fragment ignored).
 * None today: the renderer shows no external link; add one here with the link that shows it.
 */
export const DOCUMENTATION_LINKS: readonly string[] = [];

export function isTrustedUrl(url: string, appOrigin: string, devOrigin?: string): boolean {
  if (url === appOrigin || url.startsWith(`${appOrigin}/`)) return true;
  if (devOrigin === undefined) return false;
  try {
    const u = new URL(url);
    return u.origin === devOrigin && u.username === '' && u.password === '';
  } catch {
    return url === devOrigin;
  }
}

export function isDocumentationLink(url: string, allowed: readonly string[] = DOCUMENTATION_LINKS): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== 'https:' || u.username !== '' || u.password !== '') return false;
  const bare = `${u.origin}${u.pathname}`;
  return allowed.some((a) => {
    try {
      const d = new URL(a);
      return `${d.origin}${d.pathname}` === bare;
    } catch {
      return false;
    }
  });
}
