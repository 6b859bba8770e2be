/**
 * RFC 3261 §19.1.1: "The use of passwords in the userinfo is NOT RECOMMENDED". A URI the user gave
 * as `sip:alice:S3CRET@host` is sent without its password (Request-URI, To, From, Route), and the
 * password becomes the digest password unless --password (or its safer forms) gave one.
 */

export interface UriPassword {
  /** The URI without the password (`sip:alice@host`). */
  uri: string;
  /** The user part, percent-decoded, when a password was removed. */
  user?: string;
  /** The password, percent-decoded; undefined when the URI had none. */
  password?: string;
}

// RFC 3261 §25.1: userinfo = ( user / telephone-subscriber ) [ ":" password ] "@"; neither user
// nor password may hold an unescaped "@", and user holds no ":".
const WITH_PASSWORD = /^(sips?:)([^:@;?<>]+):([^@;?<>]*)@/i;

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // a malformed escape stays as typed
  }
}

/** Split the password out of a SIP or SIPS URI; other text is returned as it is. */
export function takeUriPassword(text: string): UriPassword {
  const m = WITH_PASSWORD.exec(text);
  if (!m) return { uri: text };
  return { uri: `${m[1]}${m[2]}@${text.slice(m[0].length)}`, user: decode(m[2]!), password: decode(m[3]!) };
}

/** What the CLI prints when it moved a URI password (never the password itself). */
export function movedNotice(flag: string, uri: string, used: boolean): string {
  return `${flag}: the password in the URI is not sent (RFC 3261 §19.1.1 deprecates it): ${uri}${used ? ' is called, and the password is used for digest authentication' : ' is called; the password flag given is used for digest authentication'}; prefer --password-stdin or --password-file`;
}

/**
 * For `call` and `register`: strip a password from the URI argument and from --from/--proxy, and
 * fill o.password from the URI's (and o.user, as the digest user, when neither --user nor
 * --auth-user was given).
 * `warn` is told once per URI that carried one.
 */
export function moveUriPasswords(uri: string, o: { password?: string; user?: string; authUser?: string; from?: string; proxy?: string }, warn: (text: string) => void): string {
  const t = takeUriPassword(uri);
  if (t.password !== undefined) {
    const use = o.password === undefined;
    if (use) o.password = t.password;
    if (o.user === undefined && o.authUser === undefined) o.user = t.user;
    warn(movedNotice('URI', t.uri, use));
  }
  for (const key of ['from', 'proxy'] as const) {
    const v = o[key];
    if (v === undefined) continue;
    const x = takeUriPassword(v);
    if (x.password === undefined) continue;
    o[key] = x.uri;
    if (o.password === undefined) {
      o.password = x.password;
      if (o.user === undefined && o.authUser === undefined) o.user = x.user;
    }
    warn(`--${key}: the password in the URI is not sent (RFC 3261 §19.1.1 deprecates it)`);
  }
  return t.uri;
}
