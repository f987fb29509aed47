/** One line per stage on stderr, so the table on stdout stays clean to paste. */
export interface Progress {
  stage(name: string): void;
  note(text: string): void;
}

/** @example const progress = createProgress(10); progress.stage('raw BullMQ') // "[ 1/10 +0.0s] raw BullMQ" */
export function createProgress(totalStages: number, out: NodeJS.WritableStream = process.stderr): Progress {
  const started = Date.now();
  let index = 0;
  const elapsed = () => `+${((Date.now() - started) / 1000).toFixed(1)}s`;
  return {
    stage(name) {
      index += 1;
      out.write(`[${String(index).padStart(2)}/${totalStages} ${elapsed()}] ${name}\n`);
    },
    note(text) {
      out.write(`        ${text}\n`);
    },
  };
}
