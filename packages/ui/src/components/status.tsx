import type { ReactNode } from 'react';
import { ApiError } from '../api/client.ts';
import type { RunStatus } from '../api/types.ts';
import { AccessDenied, isAccessDenied, refusedRequest } from './AccessDenied.tsx';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="muted" role="status" aria-live="polite">
      {label}
    </p>
  );
}

/** The server's own message (e.g. where a filter has a syntax error), with its MLflow error code. */
export function ErrorBox({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  if (isAccessDenied(error))
    return (
      <AccessDenied what={[title, refusedRequest(error.request)].filter(Boolean).join(' ')} message={error.message} />
    );
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div role="alert" className="error-box">
      {title ? <strong>{title} </strong> : null}
      {error instanceof ApiError ? <code className="error-code">{error.code}</code> : null} {message}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="muted empty">{children}</p>;
}

export function StatusBadge({ status }: { status: RunStatus | string }) {
  return <span className={`badge status-${status.toLowerCase()}`}>{status}</span>;
}
