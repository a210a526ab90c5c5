import { describe, expect, it } from 'vitest';
import { LIFECYCLE_STAGES, MODEL_VERSION_STAGES, RUN_STATUSES, VIEW_TYPES } from '../src/mlflow/enums.ts';
import { parseViewState, STATUS_FILTERS } from '../src/trove/saved-view.ts';

describe('enums', () => {
  it("spell MLflow's values", () => {
    expect(RUN_STATUSES).toEqual(['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED']);
    expect(LIFECYCLE_STAGES).toEqual(['active', 'deleted']);
    expect(VIEW_TYPES).toEqual(['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL']);
    expect(MODEL_VERSION_STAGES).toEqual(['None', 'Staging', 'Production', 'Archived']);
  });

  it("a view's status filter is '' or a run status, each once (in the runs table's menu order)", () => {
    expect([...STATUS_FILTERS].sort()).toEqual(['', ...RUN_STATUSES].sort());
    for (const status of STATUS_FILTERS) expect(parseViewState({ version: 1, status }).status).toBe(status);
    expect(() => parseViewState({ version: 1, status: 'DONE' })).toThrow(
      "one of '', 'RUNNING', 'FINISHED', 'FAILED', 'KILLED', 'SCHEDULED'",
    );
  });
});
