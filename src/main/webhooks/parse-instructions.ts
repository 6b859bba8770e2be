/**
 * Parse the call instructions a platform returns to a provider's answer URL: TwiML
 * `<Response><Dial><Sip>`, PlivoXML `<Response><Dial><User>sip:USER:PASS@HOST</User>`, ExoML
 * `<Response><Dial>sip:…</Dial>`. XML by fast-xml-parser; every malformed case becomes an
 * InstructionsError naming the element at fault.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { InstructionsError, type CallInstructions, type DialTarget } from './call-instructions.ts';
import { parseSipTarget } from './sip-target.ts';
import type { Provider } from './types.ts';

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
});

const CHILD: Record<Provider, string> = { twilio: 'Sip', plivo: 'User', exotel: '' };
const LANGUAGE: Record<Provider, string> = { twilio: 'TwiML', plivo: 'PlivoXML', exotel: 'ExoML' };

function validate(xml: string, lang: string): void {
  if (!xml.trim()) throw new InstructionsError(`the response body is empty, not ${lang}`);
  const res = XMLValidator.validate(xml);
  if (res === true) return;
  const { code, msg, line, col } = res.err;
  const unclosed = /^Invalid '\[(.*)\]' found\.$/s.exec(msg);
  if (code === 'InvalidXml' && unclosed) {
    const open = [...unclosed[1]!.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
    const last = open.at(-1);
    throw new InstructionsError(
      `${lang} is truncated or unbalanced: <${last}> is never closed (open at the end: ${open.map((e) => `<${e}>`).join(' ')})`,
      last,
    );
  }
  const tag = /tag '([^']+)'/.exec(msg)?.[1];
  const what = /^\s*</.test(xml)
    ? `malformed ${lang}`
    : `the response is not XML (${lang} expected)`;
  throw new InstructionsError(`${what} at line ${line}, column ${col}: ${msg}`, tag);
}

function attrs(node: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (node && typeof node === 'object')
    for (const [k, v] of Object.entries(node)) if (k.startsWith('@_')) out[k.slice(2)] = String(v);
  return out;
}

function text(node: unknown): string {
  if (typeof node === 'string') return node;
  if (node && typeof node === 'object') {
    const t = (node as Node)['#text'];
    return t === undefined ? '' : String(t);
  }
  return '';
}

function children(node: unknown, name: string): unknown[] {
  if (!node || typeof node !== 'object') return [];
  const v = (node as Node)[name];
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
}

function seconds(value: string | undefined, element: string, attr: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isFinite(n))
    throw new InstructionsError(
      `<${element} ${attr}="${value}">: ${attr} must be a whole number of seconds`,
      element,
    );
  return n;
}

function target(
  raw: string,
  element: string,
  attributes: Record<string, string>,
  provider: Provider,
): DialTarget {
  if (!raw.trim())
    throw new InstructionsError(`<${element}> is empty: it names no SIP URI to dial`, element);
  const t: DialTarget = { ...parseSipTarget(raw, element), attributes };
  if (
    provider === 'twilio' &&
    (attributes.username !== undefined || attributes.password !== undefined)
  ) {
    if (attributes.username === undefined || attributes.password === undefined)
      throw new InstructionsError(
        `<Sip> has ${attributes.username === undefined ? 'password but no username' : 'username but no password'}: Twilio needs both to answer a digest challenge`,
        'Sip',
      );
    t.username = attributes.username;
    t.password = attributes.password;
    t.credentialsFrom = '<Sip username password>';
  }
  delete t.attributes.password;
  return t;
}

export function parseInstructions(provider: Provider, xml: string): CallInstructions {
  const lang = LANGUAGE[provider];
  validate(xml, lang);
  const doc = parser.parse(xml) as Node;
  const roots = Object.keys(doc).filter((k) => !k.startsWith('?') && !k.startsWith('#'));
  const response = children(doc, 'Response')[0];
  if (response === undefined)
    throw new InstructionsError(
      `${lang} must have a <Response> root element; found ${roots.map((r) => `<${r}>`).join(', ') || 'none'}`,
      'Response',
    );
  const verbs = Object.keys(response as Node).filter((k) => !k.startsWith('@_') && k !== '#text');
  const dials = children(response, 'Dial');
  if (dials.length === 0) {
    throw new InstructionsError(
      `<Response> has no <Dial>: the call is not connected anywhere (verbs: ${verbs.map((v) => `<${v}>`).join(' ') || 'none'})`,
      'Response',
    );
  }
  const dial = dials[0]!;
  const dialAttributes = attrs(dial);
  const targets: DialTarget[] = [];
  const numbers: string[] = [];
  const child = CHILD[provider];
  if (provider === 'exotel') {
    const body = text(dial).trim();
    if (!body)
      throw new InstructionsError(
        '<Dial> is empty: ExoML puts the number or SIP URI to dial inside <Dial>',
        'Dial',
      );
    if (/^sips?:/i.test(body)) targets.push(target(body, 'Dial', {}, provider));
    else numbers.push(body);
  } else {
    for (const node of children(dial, child))
      targets.push(target(text(node), child, attrs(node), provider));
    for (const node of children(dial, 'Number')) numbers.push(text(node).trim());
    const bare = text(dial).trim();
    if (bare) numbers.push(bare);
    if (targets.length === 0 && numbers.length === 0)
      throw new InstructionsError(
        `<Dial> has no <${child}> (and no <Number>): it dials nothing`,
        'Dial',
      );
  }
  return {
    provider,
    verbs,
    dialAttributes,
    callerId: dialAttributes.callerId,
    timeoutS: seconds(dialAttributes.timeout, 'Dial', 'timeout'),
    timeLimitS: seconds(dialAttributes.timeLimit, 'Dial', 'timeLimit'),
    targets,
    numbers,
  };
}
