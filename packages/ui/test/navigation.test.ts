import { describe, expect, it } from 'vitest';
import { moveActive, searchItems, shortcutTarget } from '../src/lib/name-search.ts';
import { apiPrefix, isBrowserPath, splitWorkspacePath, workspacePath } from '../src/lib/workspace-path.ts';

describe('workspace paths', () => {
  it('reads the workspace off the path; no prefix is workspace default', () => {
    expect(splitWorkspacePath('/experiments/3')).toEqual({ workspace: 'default', path: '/experiments/3' });
    expect(splitWorkspacePath('/workspaces/team-a/experiments/3')).toEqual({
      workspace: 'team-a',
      path: '/experiments/3',
    });
    expect(splitWorkspacePath('/workspaces/team-a')).toEqual({ workspace: 'team-a', path: '/' });
    expect(splitWorkspacePath('/workspaces/a%20b/models')).toEqual({ workspace: 'a b', path: '/models' });
  });

  it('writes paths and API prefixes back, leaving default unprefixed', () => {
    expect(workspacePath('default', '/experiments?q=x')).toBe('/experiments?q=x');
    expect(workspacePath('team-a', '/experiments?q=x')).toBe('/workspaces/team-a/experiments?q=x');
    expect(workspacePath('team-a', '/')).toBe('/workspaces/team-a');
    expect(apiPrefix('default')).toBe('');
    expect(apiPrefix('team-a')).toBe('/w/team-a');
    expect(isBrowserPath('/workspaces/team-a/models?x=1')).toBe(true);
    expect(isBrowserPath('/models')).toBe(false);
  });
});

describe('global search list', () => {
  const hits = {
    experiments: [{ experiment_id: '3', name: 'needle-exp' }],
    registered_models: [{ name: 'needle.model' }],
    runs: [{ run_id: 'abc', run_name: '', experiment_id: '3', experiment_name: 'needle-exp' }],
  };

  it('lists experiments, models, then runs, each with the page it opens', () => {
    expect(searchItems(hits)).toEqual([
      { kind: 'Experiment', label: 'needle-exp', href: '/experiments/3' },
      { kind: 'Model', label: 'needle.model', href: '/models/needle.model' },
      { kind: 'Run', label: 'abc', detail: 'needle-exp', href: '/experiments/3/runs/abc' },
    ]);
  });

  it('opens a metric or param key as its column, sorted, in the experiment it was found in', () => {
    const items = searchItems({
      experiments: [],
      registered_models: [],
      runs: [],
      keys: [
        { kind: 'metric', key: 'val/loss', experiment_id: '7', experiment_name: 'lr-sweep' },
        { kind: 'param', key: 'lr', experiment_id: '7', experiment_name: 'lr-sweep' },
      ],
    });
    expect(items).toEqual([
      {
        kind: 'Metric',
        label: 'val/loss',
        detail: 'lr-sweep',
        href: '/experiments/7?col=metrics.val%2Floss&sort=metrics.val%2Floss%3Aasc',
      },
      { kind: 'Param', label: 'lr', detail: 'lr-sweep', href: '/experiments/7?col=params.lr&sort=params.lr%3Aasc' },
    ]);
  });

  it('moves the active item with wrap-around and knows when "/" is a shortcut', () => {
    expect(moveActive(-1, 1, 3)).toBe(0);
    expect(moveActive(-1, -1, 3)).toBe(2);
    expect(moveActive(2, 1, 3)).toBe(0);
    expect(moveActive(0, -1, 3)).toBe(2);
    expect(moveActive(0, 1, 0)).toBe(-1);
    expect(shortcutTarget({ tagName: 'BODY' })).toBe(true);
    expect(shortcutTarget({ tagName: 'input' })).toBe(false);
    expect(shortcutTarget({ tagName: 'DIV', isContentEditable: true })).toBe(false);
  });
});
