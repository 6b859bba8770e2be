/** `trunkscope webhook send|listen|verify`: the provider webhook lab (Twilio, Plivo, Exotel). */
import type { Command } from 'commander';
import type { RunCommand } from './webhook-args.ts';
import { registerWebhookListen } from './webhook-listen.ts';
import { registerWebhookSend } from './webhook-send.ts';
import { registerWebhookVerify } from './webhook-verify.ts';

export function registerWebhook(
  program: Command,
  run: (fn: () => Promise<number>) => Promise<void>,
  runCommand: RunCommand,
): void {
  const cmd = program
    .command('webhook')
    .description('sign, send, receive and verify provider webhooks (Twilio, Plivo, Exotel)');
  registerWebhookSend(cmd, run, runCommand);
  registerWebhookListen(cmd, run);
  registerWebhookVerify(cmd, run);
}
