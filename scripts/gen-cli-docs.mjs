// Regenerates docs/cli.md from the commands' own --help text, so the reference never drifts:
// every command `trunkscope --help` lists, and every subcommand of those that have some.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

// Defaults that are paths inside this checkout (e.g. `ui --renderer`) are printed relative to it,
// so the generated file does not depend on where it was generated.
const checkout = `${process.cwd()}/`;
const help = (words) =>
  execFileSync(process.execPath, ['bin/trunkscope.mjs', ...words, '--help'], {
    encoding: 'utf8',
  }).replaceAll(checkout, '');

/** The command names of a help text's "Commands:" section (not `help`). */
function commandsIn(text) {
  const section = text.split(/^Commands:\n/m)[1] ?? '';
  return [...section.matchAll(/^ {2}(\S+)/gm)].map((m) => m[1]).filter((c) => c !== 'help');
}

const commands = [];
for (const c of commandsIn(help([]))) {
  const subs = commandsIn(help([c]));
  if (subs.length === 0) commands.push([c]);
  else for (const s of subs) commands.push([c, s]);
}
let out =
  '# CLI reference\n\nGenerated from `trunkscope <command> --help` (run `node scripts/gen-cli-docs.mjs` after changing options). ' +
  'Exit codes: **0** success (answered with a passing diagnosis, registered, 2xx to OPTIONS), **1** SIP or network failure, or a call whose diagnosis failed ' +
  '([diagnosis.md](diagnosis.md); `--fail-on degraded` also fails on warnings), **2** usage error. Reports: [report-schema.md](report-schema.md).\n';
for (const words of commands)
  out += `\n## \`trunkscope ${words.join(' ')}\`\n\n\`\`\`text\n${help(words)}\`\`\`\n`;
writeFileSync('docs/cli.md', out);
