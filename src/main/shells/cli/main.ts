/**
 * The `trunkscope` command line. Exit codes: 0 success (answered, registered, 2xx to OPTIONS),
 * 1 SIP or network failure, 2 usage error.
 */
import { Command, CommanderError } from 'commander';
import { UsageError } from './common.ts';
import { registerAnalyze } from './commands/analyze.ts';
import { registerCall } from './commands/call.ts';
import { registerListen } from './commands/listen.ts';
import { registerOptions } from './commands/options.ts';
import { registerRegister } from './commands/register.ts';
import { registerUi } from './commands/ui.ts';
import { registerWebhook } from './commands/webhook.ts';
import { registerLoad } from './commands/load.ts';
import { registerExport } from './commands/export.ts';
import { registerLoadReport } from './commands/load-report.ts';
import { registerDiagnose } from './commands/diagnose.ts';
import { registerProfile } from './commands/profile.ts';
import { installProfileOption } from './profile-options.ts';
import { registerTest } from './commands/test.ts';
import { registerRoute } from './commands/route.ts';

export async function main(argv: string[]): Promise<number> {
  // A promise nobody awaited failed: a bug of ours, but an agent in the middle of a test run must
  // keep answering calls. Say what it was (with the stack, to report it) and go on.
  process.on('unhandledRejection', (err) => {
    process.stderr.write(`trunkscope: internal error (please report it): ${(err as Error)?.stack ?? String(err)}\n`);
  });
  let code = 0;
  const run = async (fn: () => Promise<number>): Promise<void> => {
    try {
      code = await fn();
    } catch (err) {
      if (err instanceof UsageError) {
        process.stderr.write(`trunkscope: ${err.message}\n`);
        code = 2;
      } else {
        process.stderr.write(`trunkscope: ${(err as Error).message ?? String(err)}\n`);
        code = 1;
      }
    }
  };
  const program = new Command()
    .name('trunkscope')
    .description('SIP softphone and SIP-trunk tester')
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
  registerListen(program, run);
  registerCall(program, run);
  registerRegister(program, run);
  registerOptions(program, run);
  registerUi(program, run);
  registerAnalyze(program, run);
  registerWebhook(program, run, (args) => main(args));
  registerLoad(program, run);
  registerExport(program, run);
  registerLoadReport(program, run);
  registerDiagnose(program, run);
  registerProfile(program, run);
  installProfileOption(program);
  registerTest(program, run);
  registerRoute(program, run);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version are not errors.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      return 2;
    }
    // A usage error found before the action ran (the --profile merge of profile-options.ts).
    if (err instanceof UsageError) {
      process.stderr.write(`trunkscope: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  return code;
}
