import { ApiError } from '../../api/client.ts';

/** The server's 403 for a direct stage/alias change that the model's review policy protects (`review-gate.ts`). */
export const isPolicyRefusal = (e: unknown): e is ApiError =>
  e instanceof ApiError && e.status === 403 && /review policy/.test(e.message);
