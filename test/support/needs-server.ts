import path from 'node:path';

/** The PostgreSQL server the integration tests use (TEST_DATABASE_URL); null when they run on embedded PGlite. */
export const serverUrl: string | null = process.env.TEST_DATABASE_URL || null;

/**
 * `test` when the tests run on a PostgreSQL server; otherwise `test.skip`, and one line on stderr saying why,
 * so a skip on PGlite is never silent. PGlite lives inside one process and opens its data directory once,
 * so two processes, or two service instances in one process, cannot share it.
 * @example needsServer('two processes share the database')('survives a SIGKILL', async () => { … });
 */
export function needsServer(reason: string): jest.It {
  if (serverUrl) return test;
  const file = path.relative(process.cwd(), expect.getState().testPath ?? '');
  process.stderr.write(`skipped on PGlite: ${reason} (${file || 'this file'}; set TEST_DATABASE_URL to run it)\n`);
  return test.skip;
}
