// Regenerates docs/cli.md from the commands' own --help text, so the reference never drifts.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

const commands = ['listen', 'call', 'register', 'options', 'analyze', 'ui', 'webhook send', 'webhook listen', 'webhook verify'];
let out = '# CLI reference\n\nGenerated from `trunkscope <command> --help` (run `node scripts/gen-cli-docs.mjs` after changing options). Exit codes: **0** success (answered, registered, 2xx to OPTIONS), **1** SIP or network failure, **2** usage error. Reports: [report-schema.md](report-schema.md).\n';
for (const c of commands) {
  const help = execFileSync(process.execPath, ['bin/trunkscope.mjs', ...c.split(' '), '--help'], { encoding: 'utf8' });
  out += `\n## \`trunkscope ${c}\`\n\n\`\`\`text\n${help}\`\`\`\n`;
}
writeFileSync('docs/cli.md', out);
