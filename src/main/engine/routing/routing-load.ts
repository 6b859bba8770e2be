/**
 * Load a routing file (YAML, or JSON — JSON is YAML 1.2 too, so both parse with `yaml` and every
 * error carries a line and column). Refused, with file:line:column and the field: YAML syntax,
 * schema (zod), bad patterns, unknown agents or profiles, files that `play` needs but are
 * missing, failover loops, duplicate rule or route names, a default rule that is not last.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import type { AgentDef, OutboundRoute, ProfileLookup, Rule, RoutingTable } from './routing-model.ts';
import { DEFAULT_MOVE_ON, RoutingFileSchema } from './routing-schema.ts';
import { agentFiles, agentFromInput, parseShorthand } from './agent-spec.ts';
import { compileConditions, FieldError } from './conditions.ts';
import { compilePattern, PatternError } from './patterns.ts';

export interface RoutingProblem {
  file: string;
  line: number;
  column: number;
  /** Dotted path of the field: rules[2].did.pattern */
  field: string;
  message: string;
}

export class RoutingFileError extends Error {
  override name = 'RoutingFileError';
  readonly problems: RoutingProblem[];
  constructor(problems: RoutingProblem[]) {
    super(problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.field ? `${p.field}: ` : ''}${p.message}`).join('\n'));
    this.problems = problems;
  }
}

export interface LoadOptions {
  /** Shown in errors; also the folder relative file names are resolved against. */
  file?: string;
  baseDir?: string;
  profiles?: ProfileLookup;
}

type Path = Array<string | number>;

function fieldText(path: Path): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** Parse, validate and compile; throws RoutingFileError listing every problem found. */
export function parseRoutingText(text: string, o: LoadOptions = {}): RoutingTable {
  const file = o.file ?? '(routing)';
  const baseDir = o.baseDir ?? (o.file ? dirname(resolve(o.file)) : process.cwd());
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number): { line: number; column: number } => {
    const p = lc.linePos(offset);
    return { line: p.line, column: p.col };
  };
  if (doc.errors.length > 0) {
    throw new RoutingFileError(doc.errors.map((e) => ({ file, ...at(e.pos[0]), field: '', message: e.message.split('\n')[0]! })));
  }
  const problems: RoutingProblem[] = [];
  const report = (path: Path, message: string): void => {
    problems.push({ file, ...locate(doc, path, at), field: fieldText(path), message });
  };
  const parsed = RoutingFileSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    for (const issue of parsed.error.issues) report(issue.path as Path, issue.message);
    throw new RoutingFileError(problems);
  }
  const input = parsed.data;
  const resolvePath = (f: string): string => (isAbsolute(f) ? f : resolve(baseDir, f));

  // Agents: the named ones first, then shorthands as rules and failover steps use them.
  const agents = new Map<string, AgentDef>();
  for (const [name, a] of Object.entries(input.agents ?? {})) {
    if (parseShorthand(name) !== undefined && typeof parseShorthand(name) !== 'string') {
      report(['agents', name], `"${name}" reads as an agent shorthand; give the agent another name`);
      continue;
    }
    agents.set(name, agentFromInput(name, a));
  }
  const ref = (name: string, path: Path): void => {
    if (agents.has(name)) return;
    const s = parseShorthand(name);
    if (s === undefined) return report(path, `unknown agent "${name}" (define it under agents: or use a shorthand such as "busy", "reject 503", "tone 440")`);
    if (typeof s === 'string') return report(path, s);
    agents.set(name, { name, action: s, on: [] });
  };
  for (const [name, a] of Object.entries(input.agents ?? {})) {
    a.on?.forEach((f, i) => ref(f.then, ['agents', name, 'on', i, 'then']));
    if (a.type === 'ivr') {
      for (const [d, target] of Object.entries(a.digits)) ref(target, ['agents', name, 'digits', d]);
      if (a['no-input']) ref(a['no-input'], ['agents', name, 'no-input']);
    }
  }
  const rules: Rule[] = [];
  const seen = new Map<string, number>();
  (input.rules ?? []).forEach((r, i) => {
    const path: Path = ['rules', i];
    if (seen.has(r.name)) report([...path, 'name'], `duplicate rule name "${r.name}" (also rules[${seen.get(r.name)}])`);
    seen.set(r.name, i);
    ref(r.agent, [...path, 'agent']);
    try {
      const conditions = compileConditions(r, path, o.profiles);
      const isDefault = r.default === true;
      if (isDefault && conditions.length > 0) report([...path, 'default'], 'a default rule has no conditions');
      if (!isDefault && conditions.length === 0) report(path, 'a rule without conditions must say default: true');
      if (isDefault && i !== (input.rules ?? []).length - 1) report([...path, 'default'], 'the default rule must be the last rule');
      rules.push({ name: r.name, isDefault, conditions, agent: r.agent, line: locate(doc, path, at).line });
    } catch (err) {
      if (err instanceof FieldError) report(err.path, err.message);
      else throw err;
    }
  });
  // Files agents read must be there now, not when the first call arrives.
  for (const a of agents.values()) {
    for (const { key, file: f } of agentFiles(a.action)) {
      const full = resolvePath(f);
      let ok: boolean;
      try {
        ok = statSync(full).isFile();
      } catch {
        ok = false;
      }
      const where: Path = (input.agents ?? {})[a.name] ? ['agents', a.name, key] : firstUse(input, a.name);
      if (!ok) report(where, `file not found: ${full}`);
      else (a.action as { file?: string; prompt?: string })[key as 'file'] = full;
    }
    if (a.action.type === 'record') a.action.file = resolvePath(a.action.file);
    if (a.action.type === 'forward') {
      const fw = a.action;
      const where: Path = (input.agents ?? {})[a.name] ? ['agents', a.name] : firstUse(input, a.name);
      if (!fw.uri === !fw.profile) report(where, 'forward needs exactly one of uri or profile');
      else if (fw.profile && o.profiles && o.profiles.sourceAddresses(fw.profile) === undefined) report(where, `unknown profile "${fw.profile}"`);
    }
  }
  for (const loop of failoverLoops(agents)) {
    report(['agents', loop[0]!, 'on'], `failover loop: ${loop.join(' → ')}`);
  }
  const outbound = compileOutbound(input.outbound ?? [], report);
  if (problems.length > 0) throw new RoutingFileError(problems);
  return { file: o.file, rules, agents, outbound };
}

function compileOutbound(list: NonNullable<ReturnType<typeof RoutingFileSchema.parse>['outbound']>, report: (p: Path, m: string) => void): OutboundRoute[] {
  const names = new Set<string>();
  return list.map((r, i) => {
    if (names.has(r.name)) report(['outbound', i, 'name'], `duplicate route name "${r.name}"`);
    names.add(r.name);
    r.targets.forEach((t, j) => {
      if (!t.uri === !t.profile) report(['outbound', i, 'targets', j], 'a target needs exactly one of uri or profile');
    });
    (r.numbers ?? []).forEach((n, j) => {
      try {
        compilePattern(n, { e164: true });
      } catch (err) {
        if (err instanceof PatternError) report(['outbound', i, 'numbers', j], err.message);
        else throw err;
      }
    });
    return {
      name: r.name,
      numbers: r.numbers ?? [],
      moveOn: r['move-on'] ?? DEFAULT_MOVE_ON,
      targets: r.targets.map((t) => ({ ...(t.uri ? { uri: t.uri } : {}), ...(t.profile ? { profile: t.profile } : {}), priority: t.priority, weight: t.weight })),
    };
  });
}

/** Where a shorthand agent is first used (for an error about it). */
function firstUse(input: ReturnType<typeof RoutingFileSchema.parse>, name: string): Path {
  const i = (input.rules ?? []).findIndex((r) => r.agent === name);
  if (i >= 0) return ['rules', i, 'agent'];
  for (const [a, def] of Object.entries(input.agents ?? {})) {
    const j = (def.on ?? []).findIndex((f) => f.then === name);
    if (j >= 0) return ['agents', a, 'on', j, 'then'];
  }
  return [];
}

/** Cycles in the failover graph (agent → its `then` agents), each as a path back to its start. */
export function failoverLoops(agents: Map<string, AgentDef>): string[][] {
  const loops: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'open') {
      loops.push([...stack.slice(stack.indexOf(name)), name]);
      return;
    }
    state.set(name, 'open');
    stack.push(name);
    for (const f of agents.get(name)?.on ?? []) visit(f.then);
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of agents.keys()) visit(name);
  return loops;
}

/** The line and column of `path` in the document, or of its nearest ancestor that exists. */
function locate(doc: Document, path: Path, at: (o: number) => { line: number; column: number }): { line: number; column: number } {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return at(node.range[0]);
  }
  return { line: 1, column: 1 };
}

export function loadRoutingFile(path: string, o: Omit<LoadOptions, 'file'> = {}): RoutingTable {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new RoutingFileError([{ file: path, line: 1, column: 1, field: '', message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` }]);
  }
  return parseRoutingText(text, { ...o, file: path });
}
