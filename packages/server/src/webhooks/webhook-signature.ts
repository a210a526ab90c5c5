import { createHmac } from 'node:crypto';

/** `X-MLflow-Signature`: `v1,` + base64 HMAC-SHA256 of `<delivery_id>.<timestamp>.<body>`. */
export function signWebhook(secret: string, deliveryId: string, timestamp: string, body: string): string {
  return `v1,${createHmac('sha256', secret).update(`${deliveryId}.${timestamp}.${body}`, 'utf8').digest('base64')}`;
}
