import { Readable } from 'node:stream';
import { type ExperimentKeysResponse, RunsExport } from '@trove/protocol';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { decodeInput, type Router } from '../http/router.ts';
import type { Services } from '../services/index.ts';
import { csvColumns, csvHeader, csvRow } from '../services/runs-csv.ts';

/** Runs read per search page while exporting: a page in memory at a time, whatever the run count. */
const EXPORT_PAGE = 200;

/**
 * Every run of an experiment matching a filter, as CSV (`/api/trove/v1/experiments/{id}/runs.csv`):
 * the runs table's download. The first page is read before answering, so a bad filter or an
 * unknown experiment is an ordinary JSON error; the rest streams page by page.
 */
export function registerRunsExportRoutes(r: Router, { runs, experiments, experimentKeys }: Services): void {
  r.raw(
    'GET',
    '/experiments/:experiment_id/runs.csv',
    async (request: FastifyRequest, reply: FastifyReply, ws) => {
      const input = decodeInput(RunsExport.ExportRunsCsv, request, 'trove');
      const experimentId = (request.params as { experiment_id: string }).experiment_id;
      await experiments.getRow(ws, experimentId);
      const asked = input.column ?? [];
      // `*` (the table's `col=*`): every key the experiment registered; thousands would outgrow a URL.
      const columns = csvColumns(
        asked.includes(ALL_KEYS) ? [...asked, ...allKeys(await experimentKeys.list(ws, experimentId))] : asked,
      );
      const page = (pageToken: string | undefined) =>
        runs.search(ws, {
          experiment_ids: [experimentId],
          filter: input.filter,
          order_by: input.order_by,
          run_view_type: input.run_view_type,
          max_results: EXPORT_PAGE,
          page_token: pageToken,
        });
      const first = await page(undefined);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="experiment-${experimentId}-runs.csv"`)
        .header('cache-control', 'no-store')
        .send(Readable.from(lines(first, page, columns)));
    },
    { api: 'trove' },
  );
}

const ALL_KEYS = '*';

function allKeys(keys: ExperimentKeysResponse): string[] {
  return [
    ...keys.metrics.map((k) => `metrics.${k}`),
    ...keys.params.map((k) => `params.${k}`),
    ...keys.tags.filter((k) => !k.startsWith('mlflow.')).map((k) => `tags.${k}`),
  ];
}

type Page = Awaited<ReturnType<Services['runs']['search']>>;

async function* lines(
  first: Page,
  next: (token: string | undefined) => Promise<Page>,
  columns: string[],
): AsyncGenerator<string> {
  yield csvHeader(columns);
  let page = first;
  for (;;) {
    yield page.runs.map((run) => csvRow(run, columns)).join('');
    if (!page.nextPageToken || page.runs.length === 0) return;
    page = await next(page.nextPageToken);
  }
}
