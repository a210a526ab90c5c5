import { openTestStore } from '../../../../test/support/backend.ts';
import { type RunSearchQuery, searchRuns } from '../../src/search/index.ts';
import type { Store } from '../../src/store.ts';
import { seedExperiment, seedRuns, seedWorkspace } from './seed.ts';

const NAN = Number.NaN;

/** Experiment 1: five active runs and a deleted one; experiment 2: one run. */
export async function openRunFixture(): Promise<{
  store: Store;
  search: (q: Partial<RunSearchQuery>) => Promise<string[]>;
  query: (q: Partial<RunSearchQuery>) => RunSearchQuery;
}> {
  const store = await openTestStore();
  await seedWorkspace(store);
  for (const id of [1, 2]) await seedExperiment(store, id);
  const names = await seedRuns(store, [
    {
      name: 'alpha',
      user: 'alice',
      status: 'FINISHED',
      start: 1000,
      end: 2000,
      params: { lr: '0.01', model: 'CNN' },
      tags: { env: 'Prod', note: '50% off' },
      metrics: { acc: 0.9, loss: 0.1 },
      inputs: [['train', 'd1', { 'mlflow.data.context': 'training' }]],
    },
    {
      name: 'beta',
      user: 'bob',
      status: 'RUNNING',
      start: 2000,
      params: { lr: '0.1', model: 'cnn' },
      tags: { env: 'prod', note: '500 off' },
      metrics: { acc: 0.5, loss: NAN },
      inputs: [['eval', 'd2', { 'mlflow.data.context': 'eval' }]],
    },
    {
      name: 'gamma',
      user: 'alice',
      status: 'FAILED',
      start: 3000,
      end: 3500,
      params: { lr: '0.01', model: 'rnn_v2' },
      tags: { env: 'dev' },
      metrics: { acc: NAN },
    },
    {
      name: 'delta',
      user: 'carol',
      status: 'KILLED',
      start: 4000,
      end: 4100,
      params: { model: 'a*b?[c]' },
      tags: { 'mlflow.source.name': 'train.py' },
      metrics: { acc: 0.7, 'f1 score': 0.3 },
      inputs: [
        ['train', 'd1', { 'mlflow.data.context': 'training' }],
        ['eval', 'd2', { other: 'x' }],
      ],
    },
    { name: 'Zeta Run', user: 'dave', status: 'SCHEDULED', start: 2000 },
    { name: 'epsilon', deleted: true, start: 5000, params: { lr: '0.01' }, metrics: { acc: 0.95 } },
    { name: 'other', experiment: 2, start: 1500, params: { lr: '0.01' }, metrics: { acc: 0.99 } },
  ]);
  const query = (q: Partial<RunSearchQuery>): RunSearchQuery => ({
    experimentIds: [1],
    viewType: 'ACTIVE_ONLY',
    maxResults: 1000,
    orderBy: [],
    ...q,
  });
  const search = async (q: Partial<RunSearchQuery>) =>
    (await searchRuns(store, query(q))).runIds.map((id) => names.get(id) ?? `?${id}`);
  return { store, search, query };
}

export const ALL_ACTIVE = ['alpha', 'beta', 'gamma', 'delta', 'Zeta Run'];
