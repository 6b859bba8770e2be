/** Which source is measured: the working tree, or one commit extracted with git archive. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function git(...args: string[]): string {
  const r = spawnSync('git', args, { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

/** The commit measured, and whether the measured src/ differed from it (working tree only). */
export function gitState(commit: string | undefined): { commit: string; srcDirty: boolean } {
  if (commit !== undefined) return { commit, srcDirty: false };
  return {
    commit: git('rev-parse', 'HEAD'),
    srcDirty: git('status', '--porcelain', '--', 'src', 'bin') !== '',
  };
}

/** Extract bin/ and src/ of `rev` into `dir` (node_modules and package.json linked from the repo). */
export function snapshot(rev: string, dir: string): string {
  const commit = git('rev-parse', '--verify', `${rev}^{commit}`);
  mkdirSync(dir, { recursive: true });
  const tar = spawnSync(
    'sh',
    ['-c', 'git archive "$1" bin src | tar -x -C "$2"', 'sh', commit, dir],
    { cwd: root, encoding: 'utf8' },
  );
  if (tar.status !== 0) throw new Error(`git archive ${commit}: ${tar.stderr}`);
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  symlinkSync(join(root, 'package.json'), join(dir, 'package.json'));
  return commit;
}
