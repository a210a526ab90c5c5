/** The lineage graph page centred on a node (`run:<id>`, `model_version:<name>/<version>`, … as the API names them). */
export const lineageHref = (node: string) => `/lineage?node=${encodeURIComponent(node)}`;
