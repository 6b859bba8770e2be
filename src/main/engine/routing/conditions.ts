/**
 * A rule's conditions compiled to checks. Each check says what value it looked at and, when it
 * does not hold, why (the rule tester prints the first failing one per rule).
 */
import ipaddr from 'ipaddr.js';
import type { CheckResult, Condition, ProfileLookup } from './routing-model.ts';
import type { RuleInput } from './routing-schema.ts';
import { compilePattern, PatternError } from './patterns.ts';
import { userPart } from './e164.ts';
import { describeLocal, inWindow, parseWindow, ScheduleError } from './schedule.ts';

/** A problem in one field of the file: `path` is where in the document it is. */
export class FieldError extends Error {
  override name = 'FieldError';
  readonly path: Array<string | number>;
  constructor(path: Array<string | number>, message: string) {
    super(message);
    this.path = path;
  }
}

function guarded<T>(path: Array<string | number>, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof PatternError || err instanceof ScheduleError) throw new FieldError(path, err.message);
    throw err;
  }
}

const result = (ok: boolean, value: string, why: string): CheckResult => (ok ? { ok, value } : { ok, value, why });

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

function parseCidr(text: string): Cidr {
  if (text.includes('/')) return ipaddr.parseCIDR(text);
  const a = ipaddr.parse(text);
  return [a, a.kind() === 'ipv4' ? 32 : 128];
}

/** IPv4-mapped IPv6 (::ffff:127.0.0.2) compares as the IPv4 address it carries. */
function parseIp(text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  if (!ipaddr.isValid(text)) return undefined;
  return ipaddr.process(text);
}

function inCidr(ip: ipaddr.IPv4 | ipaddr.IPv6, [net, bits]: Cidr): boolean {
  return ip.kind() === net.kind() && ip.match([net, bits] as never);
}

export function compileConditions(rule: RuleInput, at: Array<string | number>, profiles?: ProfileLookup): Condition[] {
  const out: Condition[] = [];
  if (rule.did !== undefined) {
    const d = typeof rule.did === 'string' ? { pattern: rule.did } : rule.did;
    const field = 'field' in d && d.field === 'to' ? 'to' : 'request-uri';
    const path = typeof rule.did === 'string' ? [...at, 'did'] : [...at, 'did', 'pattern'];
    const p = guarded(path, () => compilePattern(d.pattern, { e164: d.e164 }));
    out.push({
      field: 'did',
      pattern: p.text,
      check: (f) => {
        const v = userPart(field === 'to' ? f.to : f.requestUri);
        return result(p.test(v), v, `did ${v} (${field}) does not match ${p.text}${p.e164 ? ' (E.164)' : ''}`);
      },
    });
  }
  if (rule.header !== undefined) {
    const list = Array.isArray(rule.header) ? rule.header : [rule.header];
    list.forEach((h, i) => {
      const base = Array.isArray(rule.header) ? [...at, 'header', i] : [...at, 'header'];
      const p = h.value === undefined ? undefined : guarded([...base, 'value'], () => compilePattern(h.value!));
      out.push({
        field: 'header',
        pattern: `${h.name}: ${h.value ?? '(present)'}`,
        check: (f) => {
          const values = f.header(h.name);
          if (values.length === 0) return result(false, '', `header ${h.name} is absent`);
          if (!p) return result(true, values[0]!, '');
          const hit = values.find((v) => p.test(v.trim()));
          return result(hit !== undefined, (hit ?? values[0]!).trim(), `header ${h.name}: "${values[0]!.trim()}" does not match ${p.text}`);
        },
      });
    });
  }
  if (rule.from !== undefined) {
    const d = typeof rule.from === 'string' ? { pattern: rule.from } : rule.from;
    const which = 'field' in d && d.field ? d.field : 'auto';
    const path = typeof rule.from === 'string' ? [...at, 'from'] : [...at, 'from', 'pattern'];
    const p = guarded(path, () => compilePattern(d.pattern, { e164: d.e164 }));
    // A pattern naming a scheme is compared with the whole URI, else with the user part.
    const wholeUri = /^\/?\^?(sips?|tel):/i.test(d.pattern);
    out.push({
      field: 'from',
      pattern: p.text,
      check: (f) => {
        // The asserted identity, when the network gave one, is the caller (RFC 3325 §9.1).
        const src = which === 'from' ? f.from : which === 'pai' ? (f.pai ?? '') : (f.pai ?? f.from);
        const uri = /<([^>]*)>/.exec(src)?.[1] ?? src.trim();
        const v = wholeUri ? uri : userPart(src);
        return result(p.test(v), v, `from ${v || '(none)'} does not match ${p.text}${p.e164 ? ' (E.164)' : ''}`);
      },
    });
  }
  if (rule.source !== undefined) {
    const list = Array.isArray(rule.source) ? rule.source : [rule.source];
    const nets: Cidr[] = [];
    const profileNames: string[] = [];
    list.forEach((s, i) => {
      const path = Array.isArray(rule.source) ? [...at, 'source', i] : [...at, 'source'];
      const prof = /^profile:(.+)$/.exec(s);
      if (prof) {
        if (profiles && profiles.sourceAddresses(prof[1]!) === undefined) throw new FieldError(path, `unknown profile "${prof[1]}"`);
        profileNames.push(prof[1]!);
        return;
      }
      try {
        nets.push(parseCidr(s));
      } catch {
        throw new FieldError(path, `"${s}" is not an IP address, a CIDR (10.0.0.0/8, 2001:db8::/32) or profile:NAME`);
      }
    });
    out.push({
      field: 'source',
      pattern: list.join(', '),
      check: (f) => {
        const ip = parseIp(f.source);
        if (!ip) return result(false, f.source, `source "${f.source}" is not an IP address`);
        const all = [...nets];
        for (const name of profileNames) {
          for (const a of profiles?.sourceAddresses(name) ?? []) {
            try {
              all.push(parseCidr(a));
            } catch {
              // A bad address in a profile is the profile's problem; it just never matches.
            }
          }
        }
        return result(all.some((n) => inCidr(ip, n)), f.source, `source ${f.source} is not in ${list.join(', ')}`);
      },
    });
  }
  if (rule.transport !== undefined) {
    const list = Array.isArray(rule.transport) ? rule.transport : [rule.transport];
    out.push({
      field: 'transport',
      pattern: list.join(', '),
      check: (f) => result(list.includes(f.transport.toLowerCase() as never), f.transport, `transport ${f.transport} is not ${list.join(' or ')}`),
    });
  }
  if (rule.time !== undefined) {
    const list = Array.isArray(rule.time) ? rule.time : [rule.time];
    const windows = list.map((w, i) => guarded(Array.isArray(rule.time) ? [...at, 'time', i] : [...at, 'time'], () => parseWindow(w)));
    out.push({
      field: 'time',
      pattern: windows.map((w) => w.text).join('; '),
      check: (f) => {
        const hit = windows.find((w) => inWindow(w, f.now));
        const local = describeLocal(f.now, (hit ?? windows[0]!).zone);
        return result(hit !== undefined, local, `time ${local} is outside ${windows.map((w) => w.text).join('; ')}`);
      },
    });
  }
  return out;
}
