import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from './server.ts';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Frame {
  frame: string;
  selfMs: number;
  selfPct: number;
  totalMs: number;
  totalPct: number;
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  idleMs: number;
  topSelf: Frame[];
  topTotal: Frame[];
}

function label(cf: CallFrame): string {
  const name = cf.functionName || '(anonymous)';
  if (!cf.url) return name;
  let where = cf.url.replace(/^file:\/\//, '');
  if (where.startsWith(REPO_ROOT)) where = relative(REPO_ROOT, where);
  where = where.replace(/^.*node_modules\//, '~/');
  return `${name} ${where}:${cf.lineNumber + 1}`;
}

/**
 * The newest main-thread .cpuprofile of process `pid` in `dir` (files are named
 * CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile; thread 0 is the main thread — tsx's loader
 * hooks thread writes its own profile too).
 */
export function newestProfile(dir: string, pid: number): string | undefined {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile') && f.includes(`.${pid}.0.`))
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return files[0];
}

/**
 * Self time per function (samples landing in it) and inclusive time (samples with it anywhere
 * on the stack, counted once per sample), from a V8 .cpuprofile.
 */
export function summarizeProfile(file: string, top = 20): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let all = 0;
  let idle = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    all += dt;
    const leaf = byId.get(profile.samples[i]);
    if (!leaf) continue;
    const leafLabel = label(leaf.callFrame);
    if (leaf.callFrame.functionName === '(idle)') idle += dt;
    self.set(leafLabel, (self.get(leafLabel) ?? 0) + dt);
    const seen = new Set<string>();
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const l = label((byId.get(id) as ProfileNode).callFrame);
      if (seen.has(l)) continue;
      seen.add(l);
      total.set(l, (total.get(l) ?? 0) + dt);
    }
  }
  const busy = all - idle;
  const frame = (l: string): Frame => ({
    frame: l,
    selfMs: self.get(l) ?? 0,
    selfPct: (100 * (self.get(l) ?? 0)) / busy,
    totalMs: total.get(l) ?? 0,
    totalPct: (100 * (total.get(l) ?? 0)) / busy,
  });
  const skip = new Set(['(root)', '(idle)', '(program)']);
  const rank = (m: Map<string, number>) =>
    [...m.entries()]
      .filter(([l]) => !skip.has(l))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([l]) => frame(l));
  return { file, totalMs: all, idleMs: idle, topSelf: rank(self), topTotal: rank(total) };
}

export function formatProfile(s: ProfileSummary): string {
  const lines = [
    `server CPU profile ${s.file}: ${(s.totalMs / 1000).toFixed(1)} s sampled, ${((s.totalMs - s.idleMs) / 1000).toFixed(1)} s busy (percentages are of busy time)`,
  ];
  lines.push('  top self time:');
  for (const f of s.topSelf)
    lines.push(`    ${f.selfPct.toFixed(1).padStart(5)}%  ${(f.selfMs / 1000).toFixed(2).padStart(6)} s  ${f.frame}`);
  lines.push('  top inclusive time:');
  for (const f of s.topTotal)
    lines.push(`    ${f.totalPct.toFixed(1).padStart(5)}%  ${(f.totalMs / 1000).toFixed(2).padStart(6)} s  ${f.frame}`);
  return lines.join('\n');
}
