/** Saved views of an experiment's runs table (`/api/trove/v1/experiments/{id}/views`, `/views/{id}`). */
import type { Views } from '@trove/protocol';
import { troveGet, troveSend } from './client.ts';

export type ViewState = Views.ViewState;
export type SavedView = Views.SavedView;

const views = (experimentId: string) => `/experiments/${encodeURIComponent(experimentId)}/views`;
const view = (id: string) => `/views/${encodeURIComponent(id)}`;

/** Every view of the experiment, by name (an experiment has a handful; the listing pages at 1000). */
export async function listViews(experimentId: string, signal?: AbortSignal): Promise<SavedView[]> {
  const out: SavedView[] = [];
  let token: string | undefined;
  do {
    const page = await troveGet<Views.ListViewsResponse>(
      views(experimentId),
      { max_results: 1000, page_token: token },
      signal,
    );
    out.push(...page.views);
    token = page.next_page_token;
  } while (token);
  return out;
}

export const createView = (experimentId: string, name: string, state: ViewState) =>
  troveSend<Views.SavedViewResponse>('POST', views(experimentId), { name, state });
export const updateView = (id: string, patch: { name?: string; state?: ViewState }) =>
  troveSend<Views.SavedViewResponse>('PATCH', view(id), patch);
export const deleteView = (id: string) => troveSend<unknown>('DELETE', view(id));
