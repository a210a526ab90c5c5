import { describe, expect, it } from 'vitest';
import { findModelFolders, runModelSource } from '../src/features/registry/model-folders.ts';
import { requiredApprovals } from '../src/features/registry/review-policy.ts';
import { compareVersions, signatureFacts, versionsToCompare } from '../src/features/registry/version-compare.ts';

describe('review policy', () => {
  const rules = [
    { kind: 'stage' as const, target: 'Production', required_approvals: 2 },
    { kind: 'alias' as const, target: '*', required_approvals: 1 },
    { kind: 'alias' as const, target: 'champion', required_approvals: 3 },
  ];
  it('asks the largest of a target’s own rule and the kind’s * rule; nothing unprotected', () => {
    expect(requiredApprovals(rules, 'stage', 'Production')).toBe(2);
    expect(requiredApprovals(rules, 'stage', 'production')).toBe(2);
    expect(requiredApprovals(rules, 'stage', 'Staging')).toBe(0);
    expect(requiredApprovals(rules, 'alias', 'champion')).toBe(3);
    expect(requiredApprovals(rules, 'alias', 'challenger')).toBe(1);
    expect(requiredApprovals([], 'alias', 'champion')).toBe(0);
    // Aliases match exactly; a stage rule never covers an alias of the same name.
    expect(requiredApprovals([{ kind: 'stage', target: 'prod', required_approvals: 1 }], 'alias', 'prod')).toBe(0);
  });
});

describe('model folders', () => {
  const tree: Record<string, { path: string; is_dir?: boolean }[]> = {
    '': [{ path: 'model', is_dir: true }, { path: 'plots', is_dir: true }, { path: 'README.md' }],
    model: [{ path: 'model/MLmodel' }, { path: 'model/code', is_dir: true }],
    plots: [{ path: 'plots/deep', is_dir: true }],
    'plots/deep': [{ path: 'plots/deep/best', is_dir: true }],
    'plots/deep/best': [{ path: 'plots/deep/best/MLmodel' }],
  };
  const listed: string[] = [];
  const list = async (dir: string) => {
    listed.push(dir);
    return tree[dir] ?? [];
  };

  it('finds folders holding MLmodel, shallowest first, without opening a model’s own folders', async () => {
    listed.length = 0;
    expect(await findModelFolders(list)).toEqual({ folders: ['model', 'plots/deep/best'], partial: false });
    expect(listed).not.toContain('model/code');
  });
  it('says when its depth or listing budget left folders unopened', async () => {
    expect(await findModelFolders(list, { maxDepth: 2, maxListings: 40 })).toEqual({
      folders: ['model'],
      partial: true,
    });
    expect(await findModelFolders(list, { maxDepth: 5, maxListings: 2 })).toEqual({
      folders: ['model'],
      partial: true,
    });
  });
  it('finds a model logged at the artifact root', async () => {
    expect(await findModelFolders(async () => [{ path: 'MLmodel' }])).toEqual({ folders: [''], partial: false });
  });
  it('writes the source as MLflow’s register_model does', () => {
    expect(runModelSource('abc', 'model')).toBe('runs:/abc/model');
    expect(runModelSource('abc', '')).toBe('runs:/abc');
  });
});

describe('version compare', () => {
  const mlmodel = (dims: number) => ({
    flavors: {},
    signature: {
      inputs: [{ type: 'tensor', 'tensor-spec': { dtype: 'float32', shape: [-1, dims] } }],
      outputs: [{ name: 'label', type: 'long', required: false }],
    },
  });
  const run = (lr: string, loss: number) => ({
    info: { run_id: `run-${lr}`, run_name: `child-${lr}`, experiment_id: '1', status: 'FINISHED' as const },
    data: {
      params: [
        { key: 'lr', value: lr },
        { key: 'dataset', value: 'v3' },
      ],
      metrics: [{ key: 'loss', value: loss, timestamp: 1 }],
    },
  });

  it('lines versions up: version facts in a fixed order, signature, tags, params and metrics, differences marked', () => {
    const c = compareVersions([
      {
        version: {
          name: 'm',
          version: '1',
          current_stage: 'Production',
          aliases: [],
          source: 'runs:/a/model',
          tags: [{ key: 'validated', value: 'true' }],
        },
        run: run('0.1', 0.5),
        mlmodel: mlmodel(10),
      },
      {
        version: {
          name: 'm',
          version: '2',
          current_stage: 'None',
          aliases: ['champion'],
          source: 'runs:/b/model',
          tags: [{ key: 'validated', value: 'false' }],
        },
        run: run('0.01', 0.4),
        mlmodel: mlmodel(12),
      },
    ]);
    expect(c.version.map((r) => r.key)).toEqual(['stage', 'aliases', 'source', 'run']);
    expect(c.version[0]).toEqual({ key: 'stage', values: ['Production', 'None'], differs: true });
    expect(c.version[1].values).toEqual([undefined, '@champion']);
    expect(c.signature).toEqual([
      { key: 'inputs.#0', values: ['tensor<float32> [-1,10]', 'tensor<float32> [-1,12]'], differs: true },
      { key: 'outputs.label', values: ['long optional', 'long optional'], differs: false },
    ]);
    expect(c.tags[0]).toEqual({ key: 'validated', values: ['true', 'false'], differs: true });
    expect(c.params).toEqual([
      { key: 'dataset', values: ['v3', 'v3'], differs: false },
      { key: 'lr', values: ['0.1', '0.01'], differs: true },
    ]);
    expect(c.metrics).toEqual([{ key: 'loss', values: ['0.5', '0.4'], differs: true }]);
  });
  it('reads a signature with no MLmodel as empty', () => {
    expect(signatureFacts(undefined).size).toBe(0);
  });
  it('takes ?v= as distinct version numbers in order', () => {
    expect(versionsToCompare(['3', '1', '3', 'x', ' 2 '])).toEqual(['1', '2', '3']);
    expect(versionsToCompare(null)).toEqual([]);
  });
});
