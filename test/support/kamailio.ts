/**
 * Kamailio as a registrar with digest auth (test/scenarios/kamailio/kamailio.cfg) or as a
 * record-routing proxy (proxy.cfg), started in
 * the foreground (-DD -E) on a free UDP port on 127.0.0.1 and stopped by its PID. SIGTERM makes
 * the main process stop its children; SIGKILL is the bounded last resort.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './cli.ts';
import { freePort, waitForBound } from './ports.ts';
import { startProcess, type Proc } from './processes.ts';

export const kamailioCfg = join(repoRoot, 'test', 'scenarios', 'kamailio', 'kamailio.cfg');
/** A record-routing stateful proxy (407 for From user "auth"). */
export const kamailioProxyCfg = join(repoRoot, 'test', 'scenarios', 'kamailio', 'proxy.cfg');
/** A registrar that also routes INVITEs to registered contacts (register --answer tests). */
export const kamailioRegistrarProxyCfg = join(repoRoot, 'test', 'scenarios', 'kamailio', 'registrar-proxy.cfg');
/** The static password kamailio.cfg checks every user against. */
export const kamailioPassword = 'secret';

export interface Kamailio {
  port: number;
  proc: Proc;
  /** Kamailio's log (stderr) so far. */
  log(): string;
  stop(): Promise<void>;
}

export async function startKamailio(o: { timeoutMs?: number; cfg?: string } = {}): Promise<Kamailio> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'trunkscope-kamailio-'));
  const args = ['-DD', '-E', '-f', o.cfg ?? kamailioCfg, '-l', `udp:127.0.0.1:${port}`, '-Y', dir, '-w', dir, '-m', '32', '-M', '4'];
  const proc = startProcess('kamailio', args, o.timeoutMs ?? 60_000, { cwd: dir });
  const stop = async (): Promise<void> => {
    await proc.stop('SIGTERM', 5000);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await Promise.race([
      waitForBound(port, 'udp', 10_000),
      proc.exited.then((e) => {
        throw new Error(`kamailio exited (${e.code ?? e.signal}) before listening:\n${proc.stderr()}`);
      }),
    ]);
  } catch (err) {
    await stop();
    throw err;
  }
  return { port, proc, log: () => proc.stderr(), stop };
}
