import { toCsv } from '../../src/kernel/csv.js';

const BOM = '\uFEFF';

describe('toCsv', () => {
  it('starts with a BOM and ends every record with CRLF', () => {
    expect(toCsv(['姓名', '时长'], [['王芳', 2], ['李强', 1.5]])).toBe(`${BOM}姓名,时长\r\n王芳,2\r\n李强,1.5\r\n`);
  });

  it('writes only the header row for no rows', () => {
    expect(toCsv(['a', 'b'], [])).toBe(`${BOM}a,b\r\n`);
  });

  it.each([
    ['plain', 'abc', 'abc'],
    ['Chinese', '助老陪伴', '助老陪伴'],
    ['a comma', 'a,b', '"a,b"'],
    ['a quote', 'say "hi"', '"say ""hi"""'],
    ['a newline', 'line1\nline2', '"line1\nline2"'],
    ['a CRLF', 'line1\r\nline2', '"line1\r\nline2"'],
    ['a full-width comma needs no quotes', '你好，世界', '你好，世界'],
    ['empty string', '', ''],
    ['null', null, ''],
    ['undefined', undefined, ''],
    ['zero', 0, '0'],
    ['a negative number stays a number', -2, '-2'],
    ['NaN', Number.NaN, ''],
    ['Infinity', Number.POSITIVE_INFINITY, ''],
    ['formula =', '=1+1', "'=1+1"],
    ['formula +', '+86 138', "'+86 138"],
    ['formula -', '-2+3', "'-2+3"],
    ['formula @', '@SUM(A1)', "'@SUM(A1)"],
    ['leading tab', '\t=1', "'\t=1"],
    ['formula with a comma is also quoted', '=HYPERLINK("http://x",1)', `"'=HYPERLINK(""http://x"",1)"`],
    ['an equals sign inside is fine', 'a=b', 'a=b'],
  ] as [string, string | number | null | undefined, string][])('%s', (_name, cell, expected) => {
    expect(toCsv(['h'], [[cell]])).toBe(`${BOM}h\r\n${expected}\r\n`);
  });

  it('guards the header row too', () => {
    expect(toCsv(['=cmd', 'x,y'], [])).toBe(`${BOM}'=cmd,"x,y"\r\n`);
  });

  it('round-trips through a strict RFC 4180 reader', () => {
    const rows = [['a,b', 'c"d', 'e\r\nf', '普通', null]];
    const text = toCsv(['1', '2', '3', '4', '5'], rows).slice(1);
    expect(readCsv(text)).toEqual([['1', '2', '3', '4', '5'], ['a,b', 'c"d', 'e\r\nf', '普通', '']]);
  });
});

/** A small RFC 4180 reader, independent of toCsv, to check what a spreadsheet would see. */
function readCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (quoted) {
      if (ch === '"' && text.charAt(i + 1) === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\r' && text.charAt(i + 1) === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += ch;
  }
  return records;
}
