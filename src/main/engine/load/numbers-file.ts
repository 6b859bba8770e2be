/**
 * `--numbers FILE.csv`: one row per call (SIPp's injection-file idea, `-inf`). The first line
 * names the columns: `target` (required), and any of `from`, `display_name`, `user`, `password`,
 * `auth_user`, `realm`, and `header` (may repeat; one "Name: value" each, or several joined by
 * " | "). Comma or semicolon separated (the header line decides), RFC 4180 quoting. A row with a
 * bad value is refused with its line number, before any call is placed.
 */
import { parse } from 'csv-parse/sync';
import { parseUri } from '../../sip/syntax/uri.ts';

export interface NumberRow {
  /** 1-based line in the file. */
  line: number;
  target: string;
  from?: string;
  displayName?: string;
  user?: string;
  password?: string;
  authUser?: string;
  realm?: string;
  headers: Array<[string, string]>;
}

export class NumbersFileError extends Error {
  override name = 'NumbersFileError';
}

const COLUMNS = new Map<string, keyof NumberRow | 'header'>([
  ['target', 'target'],
  ['to', 'target'],
  ['uri', 'target'],
  ['from', 'from'],
  ['display_name', 'displayName'],
  ['user', 'user'],
  ['password', 'password'],
  ['auth_user', 'authUser'],
  ['realm', 'realm'],
  ['header', 'header'],
  ['headers', 'header'],
]);

/** Rows are capped: a load run places at most this many distinct calls from one file. */
export const MAX_ROWS = 1_000_000;

export function parseNumbersFile(text: string, name = 'numbers file'): NumberRow[] {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
  let records: Array<{ record: string[]; line: number }>;
  try {
    records = (parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true, trim: true, info: true, comment: '#' }) as unknown as Array<{ record: string[]; info: { lines: number } }>).map(
      (r) => ({ record: r.record, line: r.info.lines }),
    );
  } catch (err) {
    throw new NumbersFileError(`${name}: ${(err as Error).message}`);
  }
  const head = records.shift();
  if (!head) throw new NumbersFileError(`${name}: empty (the first line names the columns, e.g. target,from,user,password)`);
  const cols = head.record.map((c, i) => {
    const key = COLUMNS.get(c.trim().toLowerCase().replace(/[- ]/g, '_'));
    if (!key) throw new NumbersFileError(`${name} line ${head.line}: unknown column "${c}" (column ${i + 1}; known: target, from, display_name, user, password, auth_user, realm, header)`);
    return key;
  });
  if (!cols.includes('target')) throw new NumbersFileError(`${name} line ${head.line}: no "target" column`);
  if (records.length === 0) throw new NumbersFileError(`${name}: no rows after the column line`);
  if (records.length > MAX_ROWS) throw new NumbersFileError(`${name}: ${records.length} rows; at most ${MAX_ROWS}`);
  return records.map(({ record, line }) => rowOf(record, cols, line, name));
}

function rowOf(record: string[], cols: Array<keyof NumberRow | 'header'>, line: number, name: string): NumberRow {
  const where = `${name} line ${line}`;
  if (record.length > cols.length) throw new NumbersFileError(`${where}: ${record.length} fields, the column line names ${cols.length}`);
  const row: NumberRow = { line, target: '', headers: [] };
  record.forEach((value, i) => {
    const col = cols[i]!;
    if (value === '') return;
    if (/[\r\n]/.test(value)) throw new NumbersFileError(`${where}: line breaks are not allowed in ${col}`);
    if (col === 'header') {
      for (const part of value.split(' | ')) {
        const m = /^([A-Za-z0-9!%*_+`'~.-]+)\s*:\s*(.*)$/.exec(part.trim());
        if (!m) throw new NumbersFileError(`${where}: header "${part}" is not "Name: value"`);
        row.headers.push([m[1]!, m[2]!]);
      }
    } else if (col !== 'line' && col !== 'headers') (row as unknown as Record<string, string>)[col] = value;
  });
  if (!row.target) throw new NumbersFileError(`${where}: empty target`);
  row.target = uriField(where, 'target', row.target);
  if (row.from) row.from = uriField(where, 'from', row.from);
  if (row.password !== undefined && !row.user && !row.authUser) throw new NumbersFileError(`${where}: a password needs a user or auth_user`);
  return row;
}

function uriField(where: string, field: string, text: string): string {
  const t = /^(sips?|tel):/i.test(text) ? text : `sip:${text}`;
  try {
    if (!parseUri(t).host) throw new Error('no host');
  } catch (err) {
    throw new NumbersFileError(`${where}: ${field} is not a valid SIP URI "${text}" (${(err as Error).message})`);
  }
  return t;
}
