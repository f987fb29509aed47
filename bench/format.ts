/** Numbers and tables for the console; everything printed by the bench goes through here. */

/** @example formatMs(1.234) // '1.23 ms'; formatMs(18190) // '18.2 s' */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms >= 1000) return `${(ms / 1000).toFixed(1)} s`;
  return ms >= 100 ? `${Math.round(ms)} ms` : ms >= 10 ? `${ms.toFixed(1)} ms` : `${ms.toFixed(2)} ms`;
}

/** @example formatRate(1234.5, 'req/s') // '1,235 req/s' */
export function formatRate(perSecond: number, unit: string): string {
  if (!Number.isFinite(perSecond)) return 'n/a';
  return `${Math.round(perSecond).toLocaleString('en-US')} ${unit}`;
}

/** @example formatRatio(0.4567) // '0.46×' */
export function formatRatio(ratio: number): string {
  return Number.isFinite(ratio) ? `${ratio >= 10 ? ratio.toFixed(1) : ratio.toFixed(2)}×` : 'n/a';
}

export const formatMb = (bytes: number): string => `${Math.round(bytes / (1024 * 1024))} MB`;

/** Display width: CJK characters take two columns in a terminal. */
function widthOf(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

/**
 * A Markdown table, columns padded so it also reads well in a terminal.
 * @example formatTable(['a', 'b'], [['1', '2']]) // '| a | b |\n|---|---|\n| 1 | 2 |'
 */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(widthOf(h), ...rows.map((r) => widthOf(r[i] ?? ''))));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c + ' '.repeat((widths[i] ?? 0) - widthOf(c))).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
