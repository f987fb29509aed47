import { readFileSync } from 'node:fs';
import { join } from 'node:path';

let page: string | undefined;

/**
 * The chat simulator page served at `/sim`, read from disk once and then kept in memory.
 * The HTML sits next to this file, so a build to `dist/` must copy `sim-page.html` along.
 * @example router.get('/sim', (ctx) => { ctx.type = 'html'; ctx.body = readSimPage(); });
 */
export function readSimPage(): string {
  page ??= readFileSync(join(__dirname, 'sim-page.html'), 'utf8');
  return page;
}
