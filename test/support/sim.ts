import type { TestService } from './service';

export interface SimMessage {
  id: string;
  to: string;
  room?: string;
  text: string;
  mentions: string[];
}

const POLL_MS = 50;

/** A person typing into the simulator, and a reader of what the bot said, through the public HTTP API. */
export function simClient(t: TestService) {
  const seen = new Map<string, string>();
  return {
    async say(from: string, text: string, room?: string): Promise<string> {
      const res = await t.http.post('/sim/messages').send({ from, text, ...(room ? { room } : {}) });
      if (res.status !== 202) throw new Error(`POST /sim/messages → ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.id as string;
    },
    /** Everything the bot has said to a person or room so far. */
    async all(to: string): Promise<SimMessage[]> {
      const res = await t.http.get('/sim/messages').query({ to });
      return res.body as SimMessage[];
    },
    /** Wait for the next bot message to `to` (after the last one this helper returned) that matches. */
    async next(to: string, match: RegExp | string = /./, timeoutMs = 15_000): Promise<SimMessage> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const res = await t.http.get('/sim/messages').query({ to, after: seen.get(to) ?? '0' });
        for (const m of res.body as SimMessage[]) {
          seen.set(to, m.id);
          if (typeof match === 'string' ? m.text.includes(match) : match.test(m.text)) return m;
        }
        if (Date.now() > deadline) throw new Error(`No message to ${to} matching ${match} within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    },
  };
}

/**
 * A resident with a saved address and phone orders through the whole conversation: free text, 「是」 to the
 * saved address, 「确认」 at the read-back. Returns the order number.
 */
export async function placeOrder(sim: ReturnType<typeof simClient>, resident: string, text: string): Promise<string> {
  await sim.say(resident, text);
  await sim.next(resident, '还是去');
  await sim.say(resident, '是');
  await sim.next(resident, '请核对');
  await sim.say(resident, '确认');
  const submitted = await sim.next(resident, '已为您下单');
  const no = /单号 (\d{6})/.exec(submitted.text)?.[1];
  if (!no) throw new Error(`no order number in: ${submitted.text}`);
  return no;
}

/** Poll until fn returns a truthy value. */
export async function eventually<T>(fn: () => Promise<T | null | undefined | false>, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
