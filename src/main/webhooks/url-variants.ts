/**
 * The URL spellings a webhook signature may have been computed over. Providers sign "the URL they
 * requested", and that differs from the configured one in small ways: a default port added or
 * dropped, WHATWG percent-encoding of the query, a legacy querystring re-encoding, a proxy that
 * terminated TLS. Each variant is named so a failed validation can say which one was signed.
 */
import { parse as qsParse, stringify as qsStringify } from 'node:querystring';

export interface UrlVariant {
  url: string;
  variant: string;
}

interface UrlParts {
  scheme: string;
  userinfo: string;
  host: string;
  port: string;
  rest: string;
}

const URL_RE = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(.*)$/is;

export function splitUrl(url: string): UrlParts | undefined {
  const m = URL_RE.exec(url);
  if (!m) return undefined;
  const authority = m[2]!;
  const at = authority.lastIndexOf('@');
  const userinfo = at >= 0 ? authority.slice(0, at + 1) : '';
  const hostport = authority.slice(at + 1);
  const hp = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(hostport);
  if (!hp) return undefined;
  return { scheme: m[1]!.toLowerCase(), userinfo, host: hp[1]!, port: hp[2] ?? '', rest: m[3]! };
}

function join(p: UrlParts): string {
  return `${p.scheme}://${p.userinfo}${p.host}${p.port ? `:${p.port}` : ''}${p.rest}`;
}

export function defaultPort(scheme: string): string | undefined {
  return scheme === 'https' ? '443' : scheme === 'http' ? '80' : undefined;
}

export function withDefaultPort(url: string): string {
  const p = splitUrl(url);
  const d = p && defaultPort(p.scheme);
  if (!p || !d || p.port) return url;
  return join({ ...p, port: d });
}

export function withoutDefaultPort(url: string): string {
  const p = splitUrl(url);
  if (!p || !p.port || p.port !== defaultPort(p.scheme)) return url;
  return join({ ...p, port: '' });
}

/** WHATWG normalisation (what `new URL(url).href` gives): twilio-node signs this form. */
export function whatwg(url: string): string | undefined {
  try {
    return new URL(url).href;
  } catch {
    return undefined;
  }
}

/** twilio-node's "legacy querystring" form: the query parsed and re-stringified by node:querystring. */
export function legacyQuery(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const hash = url.indexOf('#', q);
  const query = url.slice(q + 1, hash < 0 ? undefined : hash);
  return `${url.slice(0, q)}?${qsStringify(qsParse(query))}${hash < 0 ? '' : url.slice(hash)}`;
}

function add(list: UrlVariant[], url: string | undefined, variant: string): void {
  if (url !== undefined && !list.some((v) => v.url === url)) list.push({ url, variant });
}

/**
 * The spellings a provider's own validator accepts for one configured URL (twilio-node: without
 * port, with default port, each also with the legacy query re-encoding; plus the WHATWG form).
 */
export function acceptedVariants(url: string): UrlVariant[] {
  const list: UrlVariant[] = [];
  add(list, url, 'as given');
  add(list, withoutDefaultPort(url), 'default port removed');
  add(list, withDefaultPort(url), 'default port added');
  const norm = whatwg(url);
  if (norm !== undefined) {
    add(list, norm, 'WHATWG-normalised');
    add(list, withDefaultPort(norm), 'WHATWG-normalised, default port added');
  }
  add(list, legacyQuery(withoutDefaultPort(url)), 'legacy query encoding');
  add(list, legacyQuery(withDefaultPort(url)), 'legacy query encoding, default port added');
  return list;
}

/**
 * Spellings no validator accepts but a provider may well have signed: the other scheme (a proxy
 * terminating TLS), a trailing slash added or removed, the query dropped. Used only to explain.
 */
export function diagnosticVariants(url: string): UrlVariant[] {
  const p = splitUrl(url);
  if (!p) return [];
  const list: UrlVariant[] = [];
  if (p.port && p.port !== defaultPort(p.scheme)) {
    add(list, join({ ...p, port: '' }), `port ${p.port} removed (a proxy in front of this port?)`);
    for (const s of ['https', 'http'])
      add(list, join({ ...p, scheme: s, port: '' }), `${s} without port ${p.port}`);
  }
  const other = p.scheme === 'https' ? 'http' : p.scheme === 'http' ? 'https' : undefined;
  if (other) {
    const swapped = join({
      ...p,
      scheme: other,
      port: p.port === defaultPort(p.scheme) ? '' : p.port,
    });
    add(list, swapped, `scheme ${other} instead of ${p.scheme}`);
    add(
      list,
      withDefaultPort(swapped),
      `scheme ${other} instead of ${p.scheme}, default port added`,
    );
  }
  const q = p.rest.search(/[?#]/);
  const path = q < 0 ? p.rest : p.rest.slice(0, q);
  const tail = q < 0 ? '' : p.rest.slice(q);
  const toggled = path.endsWith('/') && path.length > 1 ? path.slice(0, -1) : `${path || ''}/`;
  add(
    list,
    join({ ...p, rest: toggled + tail }),
    path.endsWith('/') ? 'trailing slash removed' : 'trailing slash added',
  );
  if (tail) add(list, join({ ...p, rest: path }), 'query string dropped');
  for (const v of [...list])
    add(list, withoutDefaultPort(v.url), `${v.variant}, default port removed`);
  return list.filter((v) => !acceptedVariants(url).some((a) => a.url === v.url));
}
