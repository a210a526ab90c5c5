import { describe, expect, it } from 'vitest';
import { fieldName } from '../src/document.ts';
import { readWebhookEvent, readWebhookEvents } from '../src/mlflow/webhook-events.ts';
import { readPolicyRule } from '../src/trove/review.requests.ts';
import { parseViewState, VIEW_LIST_MAX } from '../src/trove/saved-view.ts';

/** The message of the INVALID_PARAMETER_VALUE error `read` throws. */
function refusal(read: () => unknown): string {
  try {
    read();
  } catch (e) {
    expect((e as { code?: string }).code).toBe('INVALID_PARAMETER_VALUE');
    return (e as Error).message;
  }
  throw new Error('accepted');
}

describe('documents described by schemas', () => {
  it('names fields as a path into the document', () => {
    expect(fieldName('state', [])).toBe('state');
    expect(fieldName('state', ['sort', 0, 'id'])).toBe('state.sort[0].id');
    expect(fieldName('events[2]', ['entity'])).toBe('events[2].entity');
  });

  it('a view state: defaults filled in, field order kept', () => {
    expect(JSON.stringify(parseViewState({ status: 'FAILED', version: 1, sort: [{ desc: true, id: 'a' }] }))).toBe(
      JSON.stringify({
        version: 1,
        filter: '',
        name_contains: '',
        status: 'FAILED',
        columns: null,
        sort: [{ id: 'a', desc: true }],
        group_by: '',
        pinned: [],
        hidden: [],
        colors: {},
        charts: null,
        fixed_columns: null,
        column_widths: {},
      }),
    );
    const charts = { charts: [{ metric: 'loss' }], n: 2n ** 60n };
    expect(parseViewState({ version: 1, charts }).charts).toBe(charts);
  });

  it('a refused view state says which field and what it must be', () => {
    const cases: [unknown, string][] = [
      [[1], "'state' must be a JSON object"],
      [{ version: 2, x: 1 }, "'state.version' must be 1"],
      [{ version: 1, x: 1, filter: 3 }, "unknown field(s) 'x'"],
      [{ version: 1, filter: 'f'.repeat(8001) }, "'state.filter' must be at most 8000 characters long"],
      [{ version: 1, columns: 'a' }, "'state.columns' must be a list"],
      [
        { version: 1, pinned: Array(VIEW_LIST_MAX + 1).fill('r') },
        "'state.pinned' must be a list of at most 2000 entries",
      ],
      [{ version: 1, sort: [{ id: 'a', desc: 1 }] }, "'state.sort[0].desc' must be a boolean"],
      [
        { version: 1, sort: [{ id: 'a', desc: true, x: 1 }] },
        "'state.sort[0].x' must be absent (sort keys hold only id and desc)",
      ],
      [{ version: 1, sort: ['a'] }, "'state.sort[0]' must be an object {id, desc}"],
      [{ version: 1, colors: { r1: 'red' } }, "'state.colors.r1' must be a colour #rrggbb"],
      [{ version: 1, colors: [] }, "'state.colors' must be an object of run id → #rrggbb"],
      [{ version: 1, charts: [] }, "'state.charts' must be a JSON object or null"],
      [{ version: 1, charts: { note: 'x'.repeat(70_000) } }, 'it takes 70192 bytes as JSON; the limit is 65536'],
    ];
    for (const [doc, message] of cases)
      expect(refusal(() => parseViewState(doc))).toBe(`Invalid view state: ${message}.`);
  });

  it('webhook events: names in any case or their numbers, with MLflow messages', () => {
    expect(readWebhookEvent({ entity: 'model_version', action: 1, other: 'ignored' })).toEqual({
      entity: 'MODEL_VERSION',
      action: 'CREATED',
    });
    expect(refusal(() => readWebhookEvent('x', 'events[0]'))).toBe(
      "'events[0]' must be an object with 'entity' and 'action'.",
    );
    expect(refusal(() => readWebhookEvent({ entity: 'BAD' }))).toBe(
      "Missing value for required parameter 'event.action'.",
    );
    expect(refusal(() => readWebhookEvent({ entity: 'MODEL', action: 'CREATED' }))).toBe(
      `Invalid value "MODEL" for 'event.entity'.`,
    );
    expect(refusal(() => readWebhookEvent({ entity: 4, action: 99 }))).toBe("Invalid value 99 for 'event.action'.");
    expect(refusal(() => readWebhookEvent({ entity: 'run', action: 'created' }))).toBe(
      "Invalid action 'CREATED' for entity 'RUN'. Valid actions are: FINISHED, FAILED.",
    );
    expect(refusal(() => readWebhookEvents([]))).toBe('Webhook events must not be empty.');
    expect(
      refusal(() =>
        readWebhookEvents([
          { entity: 'RUN', action: 'FAILED' },
          { entity: '', action: 'x' },
        ]),
      ),
    ).toBe("Missing value for required parameter 'events[1].entity'.");
  });

  it('review policy rules: MLflow-style messages, other fields ignored', () => {
    expect(readPolicyRule({ required_approvals: 2, target: 'Production', kind: 'stage', x: 1 }, 'rules[0]')).toEqual({
      kind: 'stage',
      target: 'Production',
      required_approvals: 2,
    });
    const cases: [unknown, string][] = [
      [{ kind: 'tag', target: 'x', required_approvals: 1 }, "rules[1].kind must be 'stage' or 'alias'."],
      [{ kind: 'alias', target: '', required_approvals: 1 }, "Missing value for required parameter 'rules[1].target'."],
      [{ kind: 'alias', required_approvals: 1 }, "Missing value for required parameter 'rules[1].target'."],
      [
        { kind: 'alias', target: 'a', required_approvals: 0 },
        'rules[1].required_approvals must be an integer from 1 to 20.',
      ],
      [
        { kind: 'alias', target: 'a', required_approvals: 1.5 },
        'rules[1].required_approvals must be an integer from 1 to 20.',
      ],
      [
        { kind: 'alias', target: 'a', required_approvals: '2' },
        'rules[1].required_approvals must be an integer from 1 to 20.',
      ],
      [
        { kind: 'alias', target: 'a', required_approvals: 21 },
        'rules[1].required_approvals must be an integer from 1 to 20.',
      ],
    ];
    for (const [rule, message] of cases) expect(refusal(() => readPolicyRule(rule, 'rules[1]'))).toBe(message);
  });
});
