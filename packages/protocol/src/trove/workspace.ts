// Trove's native workspace API (`/api/trove/v1/workspaces`): the one native API not under a
// workspace's prefix.

/** A workspace as the API answers it. */
export interface Workspace {
  /** The server's internal id. */
  id: number;
  /** Lower-case letters, digits and dashes; `default` is served at the root URL, others under `/w/<name>`. */
  name: string;
  description?: string;
  creation_time: number;
  default_experiment_id: number;
}

export interface ListWorkspacesResponse {
  workspaces: Workspace[];
}

/** Create and get answer `{workspace}`. */
export interface WorkspaceResponse {
  workspace: Workspace;
}
