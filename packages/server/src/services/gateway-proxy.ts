import { invalidParam, TroveError } from '@trove/protocol';

/**
 * MLflow's `gateway-proxy`: the UI's prompt lab reaches the AI gateway (deployments server) named
 * by `MLFLOW_DEPLOYMENTS_TARGET` through the tracking server. Without a target it answers an
 * empty gateway, as MLflow does. The forwarded URL always stays on the target's origin.
 */
export function createGatewayProxy(target: string | undefined, fetchImpl: typeof fetch = fetch) {
  return async function forward(method: 'GET' | 'POST', args: Record<string, unknown>): Promise<unknown> {
    if (!target) return { endpoints: [] };
    const path = args.gateway_path;
    if (typeof path !== 'string' || path === '')
      throw invalidParam('Deployments proxy request must specify a gateway_path.');
    const base = new URL(target);
    const url = new URL(`${target.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`);
    if (url.origin !== base.origin)
      throw invalidParam(`gateway_path '${path.slice(0, 200)}' must be a path on the deployments server.`);
    const body = args.json_data;
    let response: Response;
    try {
      response = await fetchImpl(url, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined || method === 'GET' ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(60_000),
      });
    } catch (e) {
      throw new TroveError('TEMPORARILY_UNAVAILABLE', `Deployments proxy request failed: ${(e as Error).message}`);
    }
    const text = await response.text();
    if (response.status === 200) {
      try {
        return JSON.parse(text);
      } catch {
        throw new TroveError(
          'TEMPORARILY_UNAVAILABLE',
          'Deployments proxy request failed: the deployments server answered invalid JSON.',
        );
      }
    }
    throw new TroveError(
      response.status >= 500 ? 'TEMPORARILY_UNAVAILABLE' : 'INVALID_PARAMETER_VALUE',
      `Deployments proxy request failed with error code ${response.status}. Error message: ${text.slice(0, 2000)}`,
    );
  };
}
