// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), which reads rendered text
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow } from '../support/server.ts';
import { screenshot } from './support/browser.ts';
import { eventually, startUiHarness, type UiHarness, unlabelledControls } from './support/harness.ts';

let h: UiHarness;
let api: ReturnType<typeof mlflow>;

const MLMODEL = `artifact_path: model
flavors:
  python_function:
    loader_module: mlflow.sklearn
    python_version: 3.11.9
  sklearn:
    sklearn_version: 1.5.1
mlflow_version: 2.17.2
saved_input_example_info:
  artifact_path: input_example.json
  type: dataframe
signature:
  inputs: '[{"type": "double", "name": "sepal_length", "required": true}]'
  outputs: '[{"type": "long", "required": true}]'
`;

const NOTE =
  '## Findings\n\n**Best** run so far, see [the paper](https://arxiv.org/abs/1512.03385).\n\n- lr `0.01`\n- <img src=x onerror="document.title=\'pwned\'">\n\n[bad](javascript:document.title=1)';

/** The run's tags as the server holds them. */
async function tagsOf(runId: string): Promise<Record<string, string>> {
  const run = (await api.ok('GET', `/runs/get?run_id=${runId}`)).run;
  return Object.fromEntries((run.data.tags ?? []).map((t: { key: string; value: string }) => [t.key, t.value]));
}

async function putArtifact(runId: string, rel: string, body: string): Promise<void> {
  const run = (await api.ok('GET', `/runs/get?run_id=${runId}`)).run;
  const key = run.info.artifact_uri.replace(/^mlflow-artifacts:\//, '');
  const res = await fetch(`${h.server.url}/api/2.0/mlflow-artifacts/artifacts/${key}/${rel}`, { method: 'PUT', body });
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  h = await startUiHarness();
  api = mlflow(h.server);
  await api.ok('POST', '/runs/set-tag', { run_id: h.seeded.childRunId, key: 'mlflow.note.content', value: NOTE });
  await putArtifact(h.seeded.childRunId, 'model/MLmodel', MLMODEL);
  await putArtifact(h.seeded.childRunId, 'model/input_example.json', '{"columns":["sepal_length"],"data":[[5.1]]}');
}, 120_000);
afterAll(async () => h?.close());

describe('run page: description, tags editor, model view, media seeking', { timeout: 90_000 }, () => {
  it('renders the Markdown description safely and saves an edit through set-tag', async () => {
    const { page, errors } = await h.open(`/runs/${h.seeded.childRunId}`);
    const note = page.getByRole('region', { name: 'Run description' });
    await eventually(() => note.locator('h4').innerText()).toBe('Findings');
    expect(await note.locator('strong').innerText()).toBe('Best');
    expect(await note.getByRole('link', { name: 'the paper' }).getAttribute('href')).toBe(
      'https://arxiv.org/abs/1512.03385',
    );
    expect(await note.locator('li code').innerText()).toBe('0.01');
    // Raw HTML stays text; a javascript: link is not a link.
    expect(await note.locator('img').count()).toBe(0);
    expect(await note.innerText()).toContain('<img src=x onerror=');
    expect(await note.getByRole('link', { name: 'bad' }).count()).toBe(0);
    expect(await page.title()).toBe('Trove');
    await screenshot(page, 'run-description');

    await page.getByRole('button', { name: 'Edit description' }).click();
    await page.getByLabel('Description (Markdown)').fill('Plain *new* note');
    await eventually(() => page.getByRole('region', { name: 'Description preview' }).locator('em').innerText()).toBe(
      'new',
    );
    expect(await unlabelledControls(page)).toEqual([]);
    await page.getByRole('button', { name: 'Save description' }).click();
    await eventually(() => page.getByRole('region', { name: 'Run description' }).innerText()).toBe('Plain new note');
    expect((await tagsOf(h.seeded.childRunId))['mlflow.note.content']).toBe('Plain *new* note');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('adds, edits and deletes user tags', async () => {
    const { page, errors } = await h.open(`/runs/${h.seeded.childRunId}?tab=tags`);
    await page.getByLabel('Tag key').fill('stage');
    await page.getByLabel('Tag value').fill('candidate');
    await page.getByRole('button', { name: 'Add tag' }).click();
    const row = page.locator('table[aria-label="Tags"] tr[data-tag="stage"]');
    await eventually(() => row.locator('td').first().innerText()).toBe('candidate');
    expect((await tagsOf(h.seeded.childRunId)).stage).toBe('candidate');

    await page.getByRole('button', { name: 'Edit tag stage' }).click();
    await page.getByLabel('Value of stage').fill('approved');
    await row.getByRole('button', { name: 'Save' }).click();
    await eventually(() => row.locator('td').first().innerText()).toBe('approved');
    expect((await tagsOf(h.seeded.childRunId)).stage).toBe('approved');
    expect(await unlabelledControls(page)).toEqual([]);
    await screenshot(page, 'run-tags-editor');

    await page.getByRole('button', { name: 'Delete tag stage' }).click();
    await eventually(() => row.count()).toBe(0);
    expect((await tagsOf(h.seeded.childRunId)).stage).toBeUndefined();
    // MLflow's own tags stay read-only.
    expect(await page.getByRole('table', { name: 'System tags' }).innerText()).toContain('mlflow.parentRunId');
    expect(await page.getByRole('button', { name: 'Delete tag mlflow.parentRunId' }).count()).toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('shows a logged model: flavors, signature, input example, how to load it', async () => {
    const { page, errors } = await h.open(`/runs/${h.seeded.childRunId}?tab=artifacts`);
    const tree = page.getByRole('navigation', { name: 'Artifacts' });
    await tree.getByRole('button', { name: /^▸ model\/$/ }).click();
    await tree.getByRole('button', { name: /^MLmodel/ }).click();
    const model = page.getByRole('region', { name: 'MLflow model' });
    await eventually(() =>
      model.locator('[data-flavor]').evaluateAll((els) => els.map((e) => e.getAttribute('data-flavor'))),
    ).toEqual(['python_function', 'sklearn']);
    expect(await model.getByRole('table', { name: 'Inputs' }).innerText()).toMatch(/sepal_length\s+double/);
    expect(await model.getByRole('region', { name: 'Input example' }).innerText()).toContain('5.1');
    expect(await model.getByRole('region', { name: 'How to load it' }).innerText()).toContain(
      `mlflow.pyfunc.load_model("runs:/${h.seeded.childRunId}/model")`,
    );
    // The raw file is still shown under the model view.
    await eventually(() => page.locator('.preview pre code').last().innerText()).toContain(
      'loader_module: mlflow.sklearn',
    );
    await screenshot(page, 'run-artifacts-model');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('audio preview seeks (the player reads with Range requests)', async () => {
    const { page } = await h.open(`/runs/${h.seeded.baselineRunId}?tab=artifacts&path=audio%2Fsample.wav`);
    const audio = page.locator('.preview audio');
    await eventually(() => audio.evaluate((a: HTMLAudioElement) => a.readyState)).toBeGreaterThanOrEqual(1);
    const seeked = await audio.evaluate(
      (a: HTMLAudioElement) =>
        new Promise<number>((resolve) => {
          a.addEventListener('seeked', () => resolve(a.currentTime), { once: true });
          a.currentTime = 1.2;
        }),
    );
    expect(seeked).toBeCloseTo(1.2, 1);
    expect(await audio.evaluate((a: HTMLAudioElement) => a.seekable.length > 0 && a.seekable.end(0) >= 1.4)).toBe(true);
    await page.context().close();
  });
});
