import { describe, expect, it } from 'vitest';
import { mlflowSampledSteps } from '../src/services/mlflow-step-sampling.ts';

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
