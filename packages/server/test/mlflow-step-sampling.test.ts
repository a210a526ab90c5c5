import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ChunkStepMeta,
  chunkPieces,
  distinctStepsOf,
  type SeriesSteps,
  type StepPiece,
  stepsWithin,
} from '../../store/src/metrics/chunk-steps.ts';
import { type DecodedChunk, decodeChunk, encodeChunk } from '../../store/src/metrics/point-chunk.ts';
import { mlflowSampledSteps, mlflowSampledStepsOf } from '../src/services/mlflow-step-sampling.ts';

const range = (from: number, to: number, by = 1) =>
  Array.from({ length: Math.floor((to - from) / by) + 1 }, (_, i) => BigInt(from + i * by));
const n = (xs: bigint[]) => xs.map(Number);

describe('mlflowSampledSteps (MLflow 2.17 get-history-bulk-interval step choice)', () => {
  it('returns every step when there are no more than max', () => {
    expect(n(mlflowSampledSteps([[3n, 1n, 2n]], 5))).toEqual([1, 2, 3]);
  });

  it("takes floor(i * n / max) over the union, then the last step and each run's ends", () => {
    expect(n(mlflowSampledSteps([range(0, 9)], 4))).toEqual([0, 2, 5, 7, 9]);
    expect(n(mlflowSampledSteps([range(0, 9), [4n, 8n]], 4))).toEqual([0, 2, 4, 5, 7, 8, 9]);
  });

  it('without a range starts at step 0, as MLflow does (negative steps fall out)', () => {
    expect(n(mlflowSampledSteps([[-5n, -1n, 0n, 3n]], 10))).toEqual([0, 3]);
  });

  it('inside a range compares absolute indices with the count in range, as MLflow does', () => {
    expect(n(mlflowSampledSteps([range(0, 4999)], 11, { start: 100n, end: 200n }))).toEqual([100, 200]);
    expect(n(mlflowSampledSteps([range(0, 30)], 3, { start: 0n, end: 20n }))).toEqual([0, 7, 14, 20]);
  });

  it('answers nothing for runs without steps', () => {
    expect(mlflowSampledSteps([[], []], 10)).toEqual([]);
  });
});

/** A run as the store keeps it: chunks of non-decreasing steps, rows, or (PostgreSQL mid-upgrade) both. */
interface FakeRun {
  chunks: { data: Buffer; points: number; known: boolean }[];
  rows: bigint[];
}

const compare = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

/** A store of fake runs answering stepPieces / pieceSteps as the readers do (the same chunk-steps.ts code). */
function fakeStore(runs: FakeRun[]) {
  const decoded = runs.map((r) => r.chunks.map((c) => decodeChunk(c.data, c.points)));
  const loads: StepPiece[][] = [];
  function stepPieces(series: number, end?: bigint): SeriesSteps | undefined {
    const run = runs[series];
    const all = [
      ...run.rows,
      ...decoded[series].flatMap((c) => Array.from({ length: c.length }, (_, i) => BigInt(c.step(i)))),
    ];
    if (all.length === 0) return undefined;
    all.sort(compare);
    const metas: ChunkStepMeta[] = [];
    const unknown = new Map<bigint, DecodedChunk>();
    decoded[series].forEach((c, seq) => {
      const first = BigInt(c.step(0));
      if (end !== undefined && first > end) return;
      const known = run.chunks[seq].known;
      metas.push({
        seq: BigInt(seq),
        points: c.length,
        first,
        last: BigInt(c.step(c.length - 1)),
        distinct: known ? distinctStepsOf(run.chunks[seq].data, c.length) : undefined,
      });
      if (!known) unknown.set(BigInt(seq), c);
    });
    const pieces = chunkPieces(series, metas, unknown);
    const rowSteps = [...new Set(run.rows)].sort(compare).filter((s) => end === undefined || s <= end);
    if (rowSteps.length > 0)
      pieces.push({ lo: rowSteps[0], hi: rowSteps[rowSteps.length - 1], count: rowSteps.length, steps: rowSteps });
    return { lo: all[0], hi: all[all.length - 1], pieces: pieces.sort((a, b) => compare(a.lo, b.lo)) };
  }
  async function pieceSteps(pieces: StepPiece[]): Promise<bigint[][]> {
    loads.push(pieces);
    return pieces.map((p) => {
      if (p.steps) return p.steps.filter((s) => s >= p.lo && s <= p.hi);
      if (!p.chunk) throw new Error('a dense piece was read');
      return stepsWithin(decoded[p.chunk.series][Number(p.chunk.seq)], p.lo, p.hi);
    });
  }
  const stepsOf = (series: number) => [
    ...runs[series].rows,
    ...decoded[series].flatMap((c) => Array.from({ length: c.length }, (_, i) => BigInt(c.step(i)))),
  ];
  return { stepPieces, pieceSteps, stepsOf, loads };
}

function chunked(steps: bigint[], sizes: number[], known: boolean[]): FakeRun['chunks'] {
  const out: FakeRun['chunks'] = [];
  let i = 0;
  let k = 0;
  while (i < steps.length) {
    const part = steps.slice(i, i + sizes[k % sizes.length]);
    i += part.length;
    const data = encodeChunk({
      steps: part,
      timestamps: part.map((_, j) => i + j),
      values: part.map(() => 0),
      isNan: part.map(() => 0 as const),
    });
    out.push({ data, points: part.length, known: known[k % known.length] });
    k++;
  }
  return out;
}

/** Steps in blocks: dense runs, strided runs, gaps, each step logged 1–3 times. */
const stepList = (offset: bigint) =>
  fc
    .record({
      base: fc.integer({ min: -12, max: 40 }),
      blocks: fc.array(
        fc.record({
          gap: fc.oneof(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 5, max: 400 })),
          length: fc.integer({ min: 1, max: 30 }),
          stride: fc.oneof(fc.constant(1), fc.integer({ min: 2, max: 5 })),
          times: fc.oneof(fc.constant(1), fc.integer({ min: 2, max: 3 })),
        }),
        { minLength: 0, maxLength: 6 },
      ),
    })
    .map(({ base, blocks }) => {
      const out: bigint[] = [];
      let at = base;
      for (const b of blocks) {
        at += b.gap;
        for (let i = 0; i < b.length; i++, at += b.stride)
          for (let t = 0; t < b.times; t++) out.push(offset + BigInt(at));
      }
      return out;
    });

const fakeRun = (offset: bigint) =>
  fc
    .record({
      steps: stepList(offset),
      sizes: fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 5 }),
      known: fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }),
      kind: fc.constantFrom('chunks', 'chunks', 'chunks', 'rows', 'mixed'),
      rowSteps: stepList(offset),
    })
    .map(({ steps, sizes, known, kind, rowSteps }): FakeRun => {
      if (kind === 'rows') return { chunks: [], rows: steps };
      return { chunks: chunked(steps, sizes, known), rows: kind === 'mixed' ? rowSteps : [] };
    });

describe("mlflowSampledStepsOf: MLflow's steps from step pieces", () => {
  it('picks exactly what mlflowSampledSteps picks over every distinct step (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .constantFrom(0n, 0n, 0n, 2n ** 60n)
          .chain((offset) => fc.tuple(fc.constant(offset), fc.array(fakeRun(offset), { minLength: 1, maxLength: 4 }))),
        fc.integer({ min: 1, max: 40 }),
        fc.option(fc.tuple(fc.integer({ min: -20, max: 700 }), fc.integer({ min: 0, max: 700 })), { nil: undefined }),
        async ([offset, runs], max, window) => {
          const range = window && {
            start: offset + BigInt(Math.min(window[0], window[0] + window[1])),
            end: offset + BigInt(window[0] + window[1]),
          };
          const store = fakeStore(runs);
          const expected = mlflowSampledSteps(
            runs.map((_, i) => store.stepsOf(i)),
            max,
            range,
          );
          const found = runs
            .map((_, i) => store.stepPieces(i, range?.end))
            .filter((s): s is SeriesSteps => s !== undefined);
          const actual = await mlflowSampledStepsOf(found, max, range, store.pieceSteps);
          expect(actual).toEqual(expected);
        },
      ),
      { seed: 20_250_917, numRuns: 1500 },
    );
  });

  it('a dense series answers from its chunk metadata alone, reading no chunk', async () => {
    const steps = Array.from({ length: 200_000 }, (_, i) => BigInt(i));
    const store = fakeStore([{ chunks: chunked(steps, [256], [true]), rows: [] }]);
    for (const range of [undefined, { start: 99_700n, end: 199_999n }, { start: 5n, end: 1_000_000n }]) {
      const found = store.stepPieces(0, range?.end) as SeriesSteps;
      const actual = await mlflowSampledStepsOf([found], 320, range, store.pieceSteps);
      expect(actual).toEqual(mlflowSampledSteps([steps], 320, range));
    }
    expect(store.loads).toEqual([]);
  });

  it('chunks sharing a boundary step (a step logged twice, split between chunks) are still ranges', async () => {
    const steps = Array.from({ length: 20_000 }, (_, i) => BigInt(i >> 1));
    const store = fakeStore([{ chunks: chunked(steps, [255], [true]), rows: [] }]);
    const found = store.stepPieces(0) as SeriesSteps;
    expect(await mlflowSampledStepsOf([found], 320, undefined, store.pieceSteps)).toEqual(
      mlflowSampledSteps([steps], 320),
    );
    expect(store.loads).toEqual([]);
  });

  it('a sparse series reads only the chunks a pick falls in', async () => {
    const steps = Array.from({ length: 100_000 }, (_, i) => BigInt(i * 10));
    const store = fakeStore([{ chunks: chunked(steps, [256], [true]), rows: [] }]);
    const actual = await mlflowSampledStepsOf([store.stepPieces(0) as SeriesSteps], 320, undefined, store.pieceSteps);
    expect(actual).toEqual(mlflowSampledSteps([steps], 320));
    expect(store.loads.flat().length).toBeLessThanOrEqual(321);
  });
});
