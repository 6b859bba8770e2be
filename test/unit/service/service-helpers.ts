/** An EngineService on 127.0.0.1 for tests, and a recorder of its events. */
import { execFile } from 'node:child_process';
import type { CallSnapshot, EventMap, EventName } from '../../../src/shared/api/contract.ts';
import { EngineService } from '../../../src/main/engine/service/engine-service.ts';

export function loopbackService(): EngineService {
  return new EngineService({
    bindAddress: '127.0.0.1',
    rtpPorts: { min: 30_000, max: 32_000 },
    statsIntervalMs: 250,
    lingerMs: 50,
  });
}

export class Recorder {
  readonly events: Array<{ event: EventName; payload: unknown }> = [];

  constructor(service: EngineService) {
    service.onAny((event, payload) => this.events.push({ event, payload }));
  }

  of<E extends EventName>(event: E): Array<EventMap[E]> {
    return this.events.filter((e) => e.event === event).map((e) => e.payload as EventMap[E]);
  }

  states(callId: string): CallSnapshot[] {
    return this.of('call.state').filter((s) => s.callId === callId);
  }

  /** Distinct consecutive states of a call. */
  stateSequence(callId: string): string[] {
    const out: string[] = [];
    for (const s of this.states(callId)) if (out.at(-1) !== s.state) out.push(s.state);
    return out;
  }

  async until<T>(what: string, f: () => T | undefined | false, timeoutMs = 8000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = f();
      if (v !== undefined && v !== false) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** Run a command and return its result, or throw its error. */
export async function ok<T = unknown>(
  service: EngineService,
  name: string,
  args: unknown,
): Promise<T> {
  const r = await service.dispatch(name, args);
  if (!r.ok) throw new Error(r.error);
  return r.result as T;
}

export function tshark(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'tshark',
      args,
      { timeout: 20_000, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`tshark ${args.join(' ')}: ${err.message}\n${stderr}`));
        else resolve(stdout);
      },
    );
  });
}
