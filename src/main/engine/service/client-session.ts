/**
 * One connected renderer (a WebSocket client or an Electron window), whatever the shell: the
 * envelope of each request is checked (id, command), the command goes to EngineService.dispatch
 * (which validates the arguments with the contract's schemas), and events flow back, with
 * `audio.frame` only for the calls this client asked to hear (audio.listen). The web shell and
 * the Electron IPC handlers both use this class: the same functions over the same contract.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { EventMap, EventName, ServerMessage } from '../../../shared/api/contract.ts';
import type { EngineService } from './engine-service.ts';

/** Largest request accepted as text (an audio frame is ~3 KB, a placed call far less). */
export const MAX_REQUEST_BYTES = 256 * 1024;

const Envelope = z.object({
  id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  command: z.string().min(1).max(64),
  args: z.unknown().optional(),
});

export class ClientSession {
  readonly id: string;
  private readonly service: EngineService;
  private readonly send: (msg: ServerMessage) => void;
  private readonly audio = new Set<string>();
  private readonly unsubscribe: () => void;
  private closed = false;

  constructor(
    service: EngineService,
    send: (msg: ServerMessage) => void,
    id: string = randomUUID(),
  ) {
    this.service = service;
    this.send = send;
    this.id = id;
    this.unsubscribe = service.onAny(<E extends EventName>(event: E, payload: EventMap[E]) => {
      if (event === 'audio.frame' && !this.audio.has((payload as EventMap['audio.frame']).callId))
        return;
      this.deliver({ event, payload });
    });
  }

  /** A request as JSON text (the WebSocket). */
  async handleText(text: string): Promise<ServerMessage> {
    if (Buffer.byteLength(text) > MAX_REQUEST_BYTES)
      return { id: -1, ok: false, error: `request too large (over ${MAX_REQUEST_BYTES} bytes)` };
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return { id: -1, ok: false, error: 'malformed request: not JSON' };
    }
    return this.handle(raw);
  }

  /** A request as a value (Electron IPC, or parsed JSON). */
  async handle(raw: unknown): Promise<ServerMessage> {
    const env = Envelope.safeParse(raw);
    if (!env.success) {
      const id =
        typeof (raw as { id?: unknown })?.id === 'number' ? (raw as { id: number }).id : -1;
      const issue = env.error.issues[0];
      return {
        id,
        ok: false,
        error: `malformed request: ${issue?.path.join('.') || 'envelope'}: ${issue?.message ?? 'invalid'}`,
      };
    }
    const { id, command, args } = env.data;
    const r = await this.service.dispatch(command, args, this.id);
    if (r.ok && command === 'audio.listen') {
      const a = args as { callId: string; on: boolean };
      if (a.on) this.audio.add(a.callId);
      else this.audio.delete(a.callId);
    }
    return r.ok ? { id, ok: true, result: r.result } : { id, ok: false, error: r.error };
  }

  private deliver(msg: ServerMessage): void {
    if (this.closed) return;
    try {
      this.send(msg);
    } catch {
      // A client that cannot take events is closed by its shell.
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    this.service.dropClient(this.id);
  }
}
