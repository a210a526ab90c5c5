import { useState } from 'react';
import type { ModelVersion } from '../../api/types.ts';
import { Link } from '../../app/router.tsx';
import { formatTime } from '../../lib/format.ts';
import { versionHref } from './queries.ts';
import './registry.css';

export const compareHref = (name: string, versions: readonly string[]) =>
  `/models/${encodeURIComponent(name)}/compare?${versions.map((v) => `v=${encodeURIComponent(v)}`).join('&')}`;

/** A model's versions with stage, aliases and tags; ticking two or more offers to compare them. */
export function VersionsTable({ name, versions }: { name: string; versions: readonly ModelVersion[] }) {
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const toggle = (v: string) =>
    setPicked((prev) => {
      const next = new Set(prev);
      if (next.has(v)) next.delete(v);
      else next.add(v);
      return next;
    });
  const chosen = versions.map((v) => v.version).filter((v) => picked.has(v));
  return (
    <div>
      <div className="toolbar">
        {chosen.length >= 2 ? (
          <Link className="button primary" to={compareHref(name, [...chosen].reverse())}>
            Compare {chosen.length} versions
          </Link>
        ) : (
          <span className="muted">Tick two or more versions to compare them.</span>
        )}
      </div>
      <table className="data" aria-label="Model versions">
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Stage</th>
            <th scope="col">Aliases</th>
            <th scope="col">Registered</th>
            <th scope="col">Source run</th>
            <th scope="col">Status</th>
            <th scope="col">Description</th>
            <th scope="col">Tags</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.version} data-version={v.version}>
              <td>
                <input
                  type="checkbox"
                  aria-label={`Select version ${v.version} to compare`}
                  checked={picked.has(v.version)}
                  onChange={() => toggle(v.version)}
                />{' '}
                <Link to={versionHref(name, v.version)} aria-label={`Version ${v.version}`}>
                  v{v.version}
                </Link>
              </td>
              <td>{v.current_stage ?? 'None'}</td>
              <td>
                {(v.aliases ?? []).map((a) => (
                  <span key={a} className="chip">
                    @{a}
                  </span>
                ))}
              </td>
              <td>{formatTime(v.creation_timestamp)}</td>
              <td>
                {v.run_id ? (
                  <Link to={`/runs/${v.run_id}`}>{v.run_id.slice(0, 8)}</Link>
                ) : (
                  <span className="muted mono">{v.source}</span>
                )}
              </td>
              <td>{v.status ?? ''}</td>
              <td className="muted">{v.description ?? ''}</td>
              <td>
                {(v.tags ?? [])
                  .filter((t) => !t.key.startsWith('mlflow.'))
                  .map((t) => (
                    <span key={t.key} className="chip" data-tag={t.key}>
                      {t.key}: {t.value}
                    </span>
                  ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
