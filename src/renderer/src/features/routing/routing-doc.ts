/**
 * The routing file's text as the structured editor sees it: its rules and agents as plain
 * objects, and edits written back into the same text (the `yaml` Document keeps the other
 * sections and their comments). Nothing here validates: the engine does (routing.check, the
 * routing file's zod schema and the whole-file checks), and its problems name the field by path
 * (`rules[1].did.pattern`, `agents.sales.hz`), which `problemsAt` finds again for each input.
 */
import { isMap, parseDocument } from 'yaml';
import type { RoutingProblemDto } from '../../../../shared/model/routing.ts';

/** A rule or an agent as written in the file: known keys are read by the forms, others kept. */
export type Entry = Record<string, unknown>;

export interface RoutingObjects {
  rules: Entry[];
  /** Named agents in file order. */
  agents: Array<[string, Entry]>;
  /** Outbound routes (targets with priority and weight). */
  outbound: Entry[];
}

export type ReadResult = { ok: true; value: RoutingObjects } | { ok: false; error: string };

const isEntry = (v: unknown): v is Entry => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The rules and agents of `text`, or why the form cannot show them (then the text is edited). */
export function readRouting(text: string): ReadResult {
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) return { ok: false, error: `the text does not parse: ${doc.errors[0]!.message.split('\n')[0]}` };
  const js: unknown = doc.toJS() ?? {};
  if (!isEntry(js)) return { ok: false, error: 'the text is not a map of agents:, rules:, outbound:' };
  const rules = js['rules'] ?? [];
  const agents = js['agents'] ?? {};
  if (!Array.isArray(rules) || !rules.every(isEntry)) return { ok: false, error: 'rules: is not a list of rules' };
  if (!isEntry(agents) || !Object.values(agents).every(isEntry)) return { ok: false, error: 'agents: is not a map of named agents' };
  const outbound = js['outbound'] ?? [];
  if (!Array.isArray(outbound) || !outbound.every(isEntry)) return { ok: false, error: 'outbound: is not a list of routes' };
  return { ok: true, value: { rules, agents: Object.entries(agents as Record<string, Entry>), outbound } };
}

function writeKey(text: string, key: 'rules' | 'agents' | 'outbound', value: unknown, empty: boolean): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error('the text does not parse');
  if (empty) doc.delete(key);
  else doc.set(key, doc.createNode(value));
  // An emptied file prints as `{}`, and what is added to a flow map would print in flow style
  // too: the form writes block YAML.
  if (isMap(doc.contents)) doc.contents.flow = false;
  return doc.toString();
}

const RULE_KEYS = ['name', 'default', 'did', 'header', 'from', 'source', 'transport', 'time', 'agent'];

/** The entry's keys with `first` in front and `last` at the end, as docs/routing.md writes them. */
function ordered(e: Entry, first: string[], last: string[] = []): Entry {
  const out: Entry = {};
  for (const k of first) if (k in e) out[k] = e[k];
  for (const k of Object.keys(e)) if (!first.includes(k) && !last.includes(k)) out[k] = e[k];
  for (const k of last) if (k in e) out[k] = e[k];
  return out;
}

/** `text` with its rules replaced (in this order); the other sections stay as written. */
export function writeRules(text: string, rules: Entry[]): string {
  return writeKey(text, 'rules', rules.map((r) => ordered(r, RULE_KEYS)), rules.length === 0);
}

/** `text` with its named agents replaced (in this order). */
export function writeAgents(text: string, agents: Array<[string, Entry]>): string {
  return writeKey(text, 'agents', Object.fromEntries(agents.map(([n, a]) => [n, ordered(a, ['type'], ['max-calls', 'on'])])), agents.length === 0);
}

/** `text` with its outbound routes replaced. */
export function writeOutbound(text: string, routes: Entry[]): string {
  return writeKey(text, 'outbound', routes.map((r) => ordered(r, ['name', 'numbers', 'move-on', 'targets'])), routes.length === 0);
}

/** The list with the item at `from` moved to `to`. */
export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  const out = [...list];
  if (from < 0 || from >= out.length || to < 0 || to >= out.length) return out;
  const [item] = out.splice(from, 1);
  out.splice(to, 0, item!);
  return out;
}

/** A number field's text: a number when it reads as one, else the text (the engine names it). */
export function numberOrText(text: string): number | string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : t;
}

/** An entry with `key` set, or removed when `value` is undefined (or an empty string). */
export function withKey(e: Entry, key: string, value: unknown): Entry {
  const out = { ...e };
  if (value === undefined || value === '') delete out[key];
  else out[key] = value;
  return out;
}

/** One value or a list as the file writes it: nothing, the value, or the list. */
export function oneOrMany<T>(list: T[]): T | T[] | undefined {
  if (list.length === 0) return undefined;
  return list.length === 1 ? list[0] : list;
}

export function asList<T>(v: T | T[] | undefined): T[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

export function text(v: unknown): string {
  return v === undefined || v === null ? '' : String(v);
}

/** The engine's problems at `path` or inside it (`rules[0].did` also takes `rules[0].did.pattern`). */
export function problemsAt(problems: readonly RoutingProblemDto[], path: string): RoutingProblemDto[] {
  return problems.filter((p) => p.field === path || p.field.startsWith(`${path}.`) || p.field.startsWith(`${path}[`));
}

/** The message for one input: the engine's problems at `path`, joined. */
export function messageAt(problems: readonly RoutingProblemDto[], path: string): string | undefined {
  const found = problemsAt(problems, path);
  return found.length > 0 ? found.map((p) => p.message).join('; ') : undefined;
}
