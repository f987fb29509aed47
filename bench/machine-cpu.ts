/** How busy the whole machine was over a stretch: every process, PostgreSQL and Redis included (os.cpus()). */
import os from 'node:os';

export interface CpuMark {
  busy: number;
  total: number;
}

export function markCpu(): CpuMark {
  let busy = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    const t = cpu.times;
    busy += t.user + t.nice + t.sys + t.irq;
    total += t.user + t.nice + t.sys + t.irq + t.idle;
  }
  return { busy, total };
}

/** Share of all cores busy since `from`, 0..1. */
export function busySince(from: CpuMark): number {
  const now = markCpu();
  const total = now.total - from.total;
  return total > 0 ? (now.busy - from.busy) / total : Number.NaN;
}
