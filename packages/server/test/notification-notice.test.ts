import { describe, expect, it } from 'vitest';
import { slackPayload, teamsPayload } from '../src/notifications/channel-messages.ts';
import { noticeOf, workspacePrefix } from '../src/notifications/event-notice.ts';
import { mentionedNames } from '../src/notifications/mentions.ts';

describe('mentionedNames', () => {
  it('finds @names outside code, once each, and not inside email addresses', () => {
    expect(mentionedNames('@alice and @bob.smith, again @alice.')).toEqual(['alice', 'bob.smith']);
    expect(mentionedNames('see `@carol` and\n```\n@dave\n```\n@erin')).toEqual(['erin']);
    expect(mentionedNames('mail x@example.com or (@frank)')).toEqual(['frank']);
    expect(mentionedNames('no mentions @ all')).toEqual([]);
  });
});

describe('noticeOf', () => {
  const base = { workspaceId: 1, modelId: 7, modelName: 'm', version: 2, actor: 'a', payload: {} };
  it('ignores entities and actions it does not know', () => {
    expect(noticeOf({ ...base, entity: 'registered_model_tag', action: 'set' })).toBeUndefined();
    expect(noticeOf({ ...base, entity: 'something_new', action: 'created' })).toBeUndefined();
  });
  it('names deployments and alerts as the contracts define their payloads', () => {
    const d = noticeOf({
      ...base,
      entity: 'deployment',
      action: 'created',
      payload: { name: 'm', version: '2', environment: 'prod', status: 'running', deployment_id: 'd1' },
    });
    expect(d).toMatchObject({
      kind: 'deployment',
      title: 'm v2 deployed to prod (running)',
      path: '/models/m/versions/2',
    });
    expect(d?.watched).toEqual([{ type: 'model', id: '7' }]);
    const a = noticeOf(
      {
        ...base,
        modelId: null,
        modelName: '',
        runId: 'r1',
        entity: 'alert',
        action: 'fired',
        payload: { rule_name: 'x', condition: 'loss > 1', run_id: 'r1', experiment_id: '3' },
      },
      '3',
    );
    expect(a).toMatchObject({ kind: 'alert', audience: { role: 'run_owner' }, path: '/experiments/3/runs/r1' });
    expect(a?.watched).toEqual([
      { type: 'run', id: 'r1' },
      { type: 'experiment', id: '3' },
    ]);
  });
  it('prefixes links of other workspaces', () => {
    expect(workspacePrefix('default')).toBe('');
    expect(workspacePrefix('team a')).toBe('/workspaces/team%20a');
  });
});

describe('channel payloads', () => {
  const m = { title: 'A <b> & c', body: 'body', url: 'https://t.example/x' };
  it('escapes Slack mrkdwn and links the title', () => {
    expect(slackPayload(m)).toEqual({
      text: 'A <b> & c',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: '*<https://t.example/x|A &lt;b&gt; &amp; c>*' } },
        { type: 'section', text: { type: 'mrkdwn', text: 'body' } },
      ],
    });
  });
  it('makes a Teams message with one Adaptive Card; no button without an absolute URL', () => {
    const card = teamsPayload({ ...m, url: '/x' }) as { attachments: { content: { actions: unknown[] } }[] };
    expect(card.attachments[0]?.content.actions).toEqual([]);
  });
});
