/** --numbers CSV: columns by name, quoting, headers, and a bad row named by its line. */
import { describe, expect, it } from 'vitest';
import { NumbersFileError, parseNumbersFile } from '../../../../src/main/engine/load/numbers-file.ts';

describe('parseNumbersFile', () => {
  it('reads target, from, credentials and headers per row', () => {
    const rows = parseNumbersFile(
      'target,from,user,password,header\n' +
        'sip:100@127.0.0.1:5060,sip:+15550001@a.example,alice,s3cret,X-Test: 1 | X-Other: two\n' +
        '"200@127.0.0.1",,,,"X-Quoted: a,b"\n',
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ line: 2, target: 'sip:100@127.0.0.1:5060', from: 'sip:+15550001@a.example', user: 'alice', password: 's3cret' });
    expect(rows[0]!.headers).toEqual([['X-Test', '1'], ['X-Other', 'two']]);
    expect(rows[1]).toMatchObject({ line: 3, target: 'sip:200@127.0.0.1', headers: [['X-Quoted', 'a,b']] });
    expect(rows[1]!.from).toBeUndefined();
  });

  it('accepts semicolons (SIPp style) and skips comments and blank lines', () => {
    const rows = parseNumbersFile('target;user\n# a comment\n\nsip:1@127.0.0.1;bob\n');
    expect(rows).toEqual([{ line: 4, target: 'sip:1@127.0.0.1', user: 'bob', headers: [] }]);
  });

  it('names the line of a bad URI, an unknown column, a bad header', () => {
    expect(() => parseNumbersFile('target\nsip:ok@127.0.0.1\nsip:@\n', 'f.csv')).toThrow(/f\.csv line 3: target is not a valid SIP URI/);
    expect(() => parseNumbersFile('target,colour\nsip:a@b\n')).toThrow(/line 1: unknown column "colour"/);
    expect(() => parseNumbersFile('target,header\nsip:a@b,nocolon\n')).toThrow(/line 2: header "nocolon"/);
    expect(() => parseNumbersFile('target,password\nsip:a@b,x\n')).toThrow(/line 2: a password needs a user/);
    expect(() => parseNumbersFile('from\nsip:a@b\n')).toThrow(NumbersFileError);
    expect(() => parseNumbersFile('')).toThrow(/empty/);
  });
});
