import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { databaseProblem, describeStartupError, maskSecrets } from '../../src/platform/startup';

// Every start-up failure prints one line, `linli cannot start: …`, that says what to do, with secrets masked.
const ROOT = path.resolve(__dirname, '..', '..');

/** Run `npm start`'s command with this environment; resolves with the exit code and what it printed. */
function start(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-startup-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', REDIS_AUTOSTART: 'false', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      fs.rmSync(dataDir, { recursive: true, force: true });
      resolve({ code, out });
    }),
  );
}

const REDIS = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

test.each([
  ['an unreachable database', { DATABASE_URL: 'postgres://linli:s3cret-pw@127.0.0.1:1/linli', REDIS_URL: REDIS }, /the database at postgres:\/\/linli:\*\*\*@127\.0\.0\.1:1\/linli does not answer \(ECONNREFUSED\)\. Start PostgreSQL there, or unset DATABASE_URL/],
  ['an unreachable Redis with a password', { REDIS_URL: 'redis://:s3cret-pw@127.0.0.1:1' }, /Redis does not answer at redis:\/\/:\*\*\*@127\.0\.0\.1:1\. Start it, or set REDIS_URL/],
  ['a bad setting', { PORT: 'eighty', REDIS_URL: REDIS }, /invalid configuration, fix these variables \(each is explained in \.env\.example\): PORT: /],
])('%s: one line that says what to do, secrets masked, exit 1', async (_name, env, expected) => {
  const { code, out } = await start(env);
  expect(code).toBe(1);
  const lines = out.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^linli cannot start: /);
  expect(lines[0]).toMatch(expected);
  expect(out).not.toContain('s3cret-pw');
  expect(out).not.toMatch(/^\s+at /m);
});

test.each([
  ['postgres://u:p@h:5432/d', 'postgres://u:***@h:5432/d'],
  ['redis://:pw@10.0.0.5:6379/0 and rediss://user:x@y', 'redis://:***@10.0.0.5:6379/0 and rediss://user:***@y'],
  ['postgres://h/d', 'postgres://h/d'],
])('maskSecrets(%s)', (text, masked) => {
  expect(maskSecrets(text)).toBe(masked);
});

test('database refusals name the fix; an unexpected error is one line too', () => {
  expect(databaseProblem({ code: '28P01' }, 'postgres://u:p@h/d', '/tmp').message).toBe('the database at postgres://u:***@h/d refused us: the password is wrong. Fix DATABASE_URL.');
  expect(databaseProblem(new Error('lock held'), null, '/data/pglite').message).toMatch(/^the embedded database in \/data\/pglite could not be opened \(lock held\)/);
  expect(describeStartupError(new Error('boom\n    at x (y.ts:1)'))).toBe('boom (unexpected; please report it with the log above)');
});
