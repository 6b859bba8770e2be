/**
 * `listen` takes its SIP port from `--port`; `--local-port` (every command's common option)
 * stays working for it as a hidden alias, so scripts that used it keep their port.
 */
import type { Command } from 'commander';

export function hideLocalPortAlias(cmd: Command): void {
  const opt = cmd.options.find((o) => o.long === '--local-port');
  opt?.hideHelp();
}

/** The port text listen should use: --port, or --local-port when only that was given. */
export function listenPortText(cmd: Command, o: { port: string; localPort?: string }): string {
  const fromCli = (k: string): boolean => cmd.getOptionValueSource(k) === 'cli';
  if (fromCli('localPort') && !fromCli('port')) return o.localPort!;
  return o.port;
}
