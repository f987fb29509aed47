/** CSV exports that open cleanly in Excel and WPS: RFC 4180 quoting, CRLF line ends, UTF-8 BOM. */

/** Excel only detects UTF-8 (and so shows Chinese correctly) when the file starts with a byte order mark. */
const UTF8_BOM = '\uFEFF';
const CRLF = '\r\n';
/** A cell starting with one of these is run as a formula by spreadsheets (OWASP "CSV Injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export type CsvCell = string | number | null | undefined;

/**
 * Render a table as CSV text. Numbers are written as they are (so -2 hours stays a number); strings that a
 * spreadsheet would treat as a formula get a leading apostrophe.
 * @example toCsv(['姓名', '时长'], [['王芳', 2]]) // '\uFEFF姓名,时长\r\n王芳,2\r\n'
 */
export function toCsv(headers: string[], rows: CsvCell[][]): string {
  return UTF8_BOM + [headers, ...rows].map((row) => row.map(formatCell).join(',') + CRLF).join('');
}

function formatCell(cell: CsvCell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  const safe = FORMULA_START.test(cell) ? `'${cell}` : cell;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
