import { isIP } from 'node:net';
import { invalidParam } from '@trove/protocol';
import type { WebhookConfig } from './webhook-config.ts';

/** MLflow's URL rule: parseable, with a host, and a scheme from the allowed list. */
export function validateWebhookUrl(url: string, config: WebhookConfig): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidParam(`Invalid webhook URL: '${url}'.`);
  }
  const scheme = parsed.protocol.replace(/:$/, '').toLowerCase();
  if (!config.allowedSchemes.includes(scheme)) {
    throw invalidParam(
      `Invalid webhook URL scheme: '${scheme}'. Allowed schemes are: ${config.allowedSchemes.join(', ')} (set MLFLOW_WEBHOOK_ALLOWED_SCHEMES to change this).`,
    );
  }
  if (scheme !== 'http' && scheme !== 'https')
    throw invalidParam(`Webhook URL scheme '${scheme}' cannot be delivered to: use http or https.`);
  if (parsed.hostname === '') throw invalidParam(`Invalid webhook URL: '${url}' has no host.`);
  if (parsed.username || parsed.password)
    throw invalidParam('Webhook URLs may not carry credentials; use the webhook secret to authenticate deliveries.');
  return parsed;
}

function v4Private(ip: string): boolean {
  const [a, b] = ip.split('.').map(Number);
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 198 && (b === 18 || b === 19)) ||
    a >= 224
  );
}

/**
 * Whether an address is not publicly routable (loopback, private, link-local, CGNAT, multicast…).
 * Checked on the address actually connected to, so DNS rebinding cannot slip past it: a webhook
 * must not become a way to reach the server's internal network and read the answer back.
 */
export function isNonPublicAddress(address: string): boolean {
  const kind = isIP(address);
  if (kind === 4) return v4Private(address);
  if (kind !== 6) return true;
  const a = address.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (mapped) return v4Private(mapped[1]);
  return a === '::' || a === '::1' || /^f[cd]/.test(a) || /^fe[89ab]/.test(a) || a.startsWith('ff');
}
