import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * MLflow's git tags for code in a git work tree: `mlflow.source.git.commit` (HEAD),
 * `mlflow.source.git.branch` (absent on a detached HEAD) and `mlflow.source.git.repoURL` (the
 * `origin` remote, absent without one). Outside a work tree, or without a `git` binary, there are
 * no tags and no error, as MLflow's client does.
 *
 * @example
 * await gitSourceTags('/src/train'); // { 'mlflow.source.git.commit': '3f2a…', 'mlflow.source.git.branch': 'main', … }
 */
export async function gitSourceTags(dir: string): Promise<Record<string, string>> {
  const commit = await git(dir, ['rev-parse', '--verify', 'HEAD']);
  if (!commit) return {};
  const tags: Record<string, string> = { 'mlflow.source.git.commit': commit };
  const branch = await git(dir, ['rev-parse', '--abbrev-ref', 'HEAD']);
  if (branch && branch !== 'HEAD') tags['mlflow.source.git.branch'] = branch;
  const url = await git(dir, ['config', '--get', 'remote.origin.url']);
  if (url) tags['mlflow.source.git.repoURL'] = url;
  return tags;
}

async function git(dir: string, args: string[]): Promise<string | undefined> {
  try {
    const { stdout } = await run('git', ['-C', dir, ...args], { timeout: 5000 });
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}
