import type { SeriesSteps, StepPiece } from '@trove/store';

/**
 * The steps MLflow's `get-history-bulk-interval` returns, computed as MLflow 2.17 computes them:
 * over the sorted union of the distinct steps the runs logged (within [start, end]; without a
 * range, [0, last step]), `max` steps taken at index `floor(i * n / max)` plus the last step, and
 * every run's own first and last step in range, so each run's curve keeps its ends.
 */
export function mlflowSampledSteps(
  runSteps: bigint[][],
  max: number,
  range?: { start: bigint; end: bigint },
): bigint[] {
  const union = [...new Set(runSteps.flat())].sort(compare);
  const start = range?.start ?? 0n;
  const end = range?.end ?? (union.length > 0 ? union[union.length - 1] : 0n);
  const first = union.findIndex((s) => s >= start);
  const from = first === -1 ? union.length : first;
  let to = from;
  while (to < union.length && union[to] <= end) to++;
  const picked = new Set<bigint>();
  const count = to - from;
  if (count <= max) {
    for (let i = from; i < to; i++) picked.add(union[i]);
  } else {
    const interval = count / max;
    for (let i = 0; i < max; i++) {
      const index = from + Math.floor(i * interval);
      // MLflow compares the absolute index with the count of steps in range; kept for identical picks.
      if (index < count) picked.add(union[index]);
    }
    picked.add(union[to - 1]);
  }
  for (const steps of runSteps) {
    if (steps.length === 0) continue;
    let lo = steps[0];
    let hi = steps[0];
    for (const s of steps) {
      if (s < lo) lo = s;
      if (s > hi) hi = s;
    }
    for (const s of [lo, hi]) if (s >= start && s <= end) picked.add(s);
  }
  return [...picked].sort(compare);
}

const compare = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

/** Reads the steps of pieces that are neither dense nor listed (`MetricReader.pieceSteps`). */
export type LoadSteps = (pieces: StepPiece[]) => Promise<bigint[][]>;

/**
 * Part of the union of the runs' distinct steps: every step of lo..hi (no `steps`, no `piece`), the
 * listed `steps`, or the steps of `piece`, read only if a pick falls in it. Segments are disjoint.
 */
interface Segment {
  lo: bigint;
  hi: bigint;
  count: number;
  steps?: bigint[];
  piece?: StepPiece;
}

/**
 * `mlflowSampledSteps` over runs whose steps come in pieces (`MetricReader.stepPieces`, each asked up
 * to `range.end`, or everything without a range): the same steps, found by counting over ranges of
 * consecutive steps and reading only the pieces that must be looked into — a sparse chunk that a
 * pick falls in, that straddles the range's start or end, or that overlaps another run's sparse
 * steps. The union's size and MLflow's index picks are computed over the segments, never over a
 * list of every step.
 */
export async function mlflowSampledStepsOf(
  runs: SeriesSteps[],
  max: number,
  range: { start: bigint; end: bigint } | undefined,
  load: LoadSteps,
): Promise<bigint[]> {
  if (runs.length === 0) return [];
  const start = range?.start ?? 0n;
  let last = runs[0].hi;
  for (const r of runs) if (r.hi > last) last = r.hi;
  const end = range?.end ?? last;
  const segments = await unionOf(
    runs.flatMap((r) => r.pieces),
    end,
    load,
  );
  // MLflow indexes the whole union: `before` is the index of the first step in range.
  let before = 0;
  const inRange: Segment[] = [];
  for (const seg of segments) {
    if (seg.hi < start) before += seg.count;
    else if (seg.lo >= start) inRange.push(seg);
    else if (!seg.steps && !seg.piece) {
      before += Number(start - seg.lo);
      inRange.push({ lo: start, hi: seg.hi, count: Number(seg.hi - start + 1n) });
    } else {
      const steps = seg.steps ?? (await load([seg.piece as StepPiece]))[0];
      const k = lowerBound(steps, start);
      before += k;
      if (k < steps.length) inRange.push({ lo: start, hi: seg.hi, count: steps.length - k, steps: steps.slice(k) });
    }
  }
  const count = inRange.reduce((n, s) => n + s.count, 0);
  const picked = new Set<bigint>();
  if (count <= max) {
    const listed = await listAll(inRange, load);
    for (const steps of listed) for (const s of steps) picked.add(s);
  } else {
    const interval = count / max;
    const at: number[] = [];
    for (let i = 0; i < max; i++) {
      const index = Math.floor(i * interval);
      // MLflow compares the absolute index with the count of steps in range; kept for identical picks.
      if (before + index < count) at.push(index);
    }
    at.push(count - 1);
    for (const s of await stepsAt(inRange, at, load)) picked.add(s);
  }
  for (const r of runs) for (const s of [r.lo, r.hi]) if (s >= start && s <= end) picked.add(s);
  return [...picked].sort(compare);
}

const isDense = (p: { lo: bigint; hi: bigint; count: number }) => BigInt(p.count) === p.hi - p.lo + 1n;

/** The union of `pieces` up to `end`, as disjoint segments by step. */
async function unionOf(pieces: StepPiece[], end: bigint, load: LoadSteps): Promise<Segment[]> {
  const ranges: { lo: bigint; hi: bigint }[] = [];
  const sparse: StepPiece[] = [];
  for (const p of pieces) {
    if (p.count <= 0 || p.lo > end) continue;
    if (isDense(p)) ranges.push({ lo: p.lo, hi: p.hi < end ? p.hi : end });
    else sparse.push(p);
  }
  // Consecutive steps: ranges merged where they overlap or touch.
  ranges.sort(byLo);
  const dense: { lo: bigint; hi: bigint }[] = [];
  for (const r of ranges) {
    const last = dense[dense.length - 1];
    if (last && r.lo <= last.hi + 1n) {
      if (r.hi > last.hi) last.hi = r.hi;
    } else dense.push({ ...r });
  }
  // Sparse pieces inside a dense range add nothing; the rest group where their ranges overlap.
  const groups: StepPiece[][] = [];
  let groupHi = 0n;
  for (const p of sparse.filter((p) => !covered(dense, p.lo, p.hi)).sort(byLo)) {
    if (groups.length > 0 && p.lo <= groupHi) {
      groups[groups.length - 1].push(p);
      if (p.hi > groupHi) groupHi = p.hi;
    } else {
      groups.push([p]);
      groupHi = p.hi;
    }
  }
  const segments: Segment[] = dense.map((d) => ({ lo: d.lo, hi: d.hi, count: Number(d.hi - d.lo + 1n) }));
  // A piece alone, inside the bound, touching no dense range stays as it is (read only if picked in);
  // the others are read, united, and their steps outside the dense ranges kept.
  const mixed: StepPiece[][] = [];
  for (const g of groups) {
    const p = g[0];
    if (g.length === 1 && p.hi <= end && !intersects(dense, p.lo, p.hi))
      segments.push(
        p.steps
          ? { lo: p.lo, hi: p.hi, count: p.count, steps: p.steps }
          : { lo: p.lo, hi: p.hi, count: p.count, piece: p },
      );
    else mixed.push(g);
  }
  const unread = mixed.flat().filter((p) => !p.steps);
  const read = unread.length > 0 ? await load(unread) : [];
  const stepsOf = new Map(unread.map((p, i) => [p, read[i]]));
  for (const g of mixed) {
    const all = g.flatMap((p) => p.steps ?? (stepsOf.get(p) as bigint[])).sort(compare);
    // Steps outside the dense ranges, split into runs between them so that segments stay disjoint.
    let j = 0;
    let prev: bigint | undefined;
    let run: bigint[] = [];
    const flush = () => {
      if (run.length > 0) segments.push({ lo: run[0], hi: run[run.length - 1], count: run.length, steps: run });
      run = [];
    };
    for (const s of all) {
      if (s > end) break;
      if (s === prev) continue;
      prev = s;
      while (j < dense.length && dense[j].hi < s) {
        if (run.length > 0 && dense[j].lo > run[run.length - 1]) flush();
        j++;
      }
      if (j < dense.length && dense[j].lo <= s) continue;
      run.push(s);
    }
    flush();
  }
  return segments.sort(byLo);
}

/** Every step of the segments, reading their pieces in one call. */
async function listAll(segments: Segment[], load: LoadSteps): Promise<bigint[][]> {
  const unread = segments.filter((s) => !s.steps && s.piece);
  const read = unread.length > 0 ? await load(unread.map((s) => s.piece as StepPiece)) : [];
  const stepsOf = new Map(unread.map((s, i) => [s, read[i]]));
  return segments.map((s) => {
    if (s.steps) return s.steps;
    const got = stepsOf.get(s);
    if (got) return got;
    const out: bigint[] = [];
    for (let step = s.lo; step <= s.hi; step++) out.push(step);
    return out;
  });
}

/** The steps at positions `at` (ascending) of the segments' union, reading only the pieces picked in. */
async function stepsAt(segments: Segment[], at: number[], load: LoadSteps): Promise<bigint[]> {
  const hits: { seg: Segment; offset: number }[] = [];
  let k = 0;
  let base = 0;
  for (const seg of segments) {
    while (k < at.length && at[k] < base + seg.count) hits.push({ seg, offset: at[k++] - base });
    base += seg.count;
    if (k === at.length) break;
  }
  const unread = [...new Set(hits.filter((h) => !h.seg.steps && h.seg.piece).map((h) => h.seg))];
  const read = unread.length > 0 ? await load(unread.map((s) => s.piece as StepPiece)) : [];
  const stepsOf = new Map(unread.map((s, i) => [s, read[i]]));
  return hits.map(({ seg, offset }) => {
    const steps = seg.steps ?? stepsOf.get(seg);
    if (!steps) return seg.lo + BigInt(offset);
    if (offset >= steps.length) throw new Error(`a piece of ${seg.count} steps listed ${steps.length}`);
    return steps[offset];
  });
}

/** The last dense range starting at or before `lo`, if it reaches `hi`. */
function covered(dense: { lo: bigint; hi: bigint }[], lo: bigint, hi: bigint): boolean {
  let a = 0;
  let b = dense.length;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (dense[mid].lo <= lo) a = mid + 1;
    else b = mid;
  }
  return a > 0 && dense[a - 1].hi >= hi;
}

/** Whether some dense range meets [lo, hi]. */
function intersects(dense: { lo: bigint; hi: bigint }[], lo: bigint, hi: bigint): boolean {
  let a = 0;
  let b = dense.length;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (dense[mid].hi < lo) a = mid + 1;
    else b = mid;
  }
  return a < dense.length && dense[a].lo <= hi;
}

function lowerBound(steps: bigint[], step: bigint): number {
  let a = 0;
  let b = steps.length;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (steps[mid] < step) a = mid + 1;
    else b = mid;
  }
  return a;
}

const byLo = (a: { lo: bigint }, b: { lo: bigint }) => compare(a.lo, b.lo);
