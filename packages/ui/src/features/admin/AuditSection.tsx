import { type AuditEntry, auditExportUrl } from '../../api/identity.ts';
import { useUrlState } from '../../app/router.tsx';
import { SearchInput } from '../../components/inputs.tsx';
import { Empty, ErrorBox, Loading } from '../../components/status.tsx';
import { formatTime } from '../../lib/format.ts';
import { str } from '../../lib/url-state.ts';
import { useAudit } from './queries.ts';

/** `?actor=&action=&resource=`: the audit page's filters (exact matches, as the API takes them). */
const auditSpec = { actor: str(), action: str(), resource: str() };

/** The audit log, newest first: filter by actor, action and resource type; load older entries; export. */
export function AuditSection() {
  const [state, setState] = useUrlState(auditSpec);
  const filter = {
    actor: state.actor || undefined,
    action: state.action || undefined,
    resource_type: state.resource || undefined,
  };
  const audit = useAudit(filter);
  const entries = audit.data?.pages.flatMap((p) => p.entries) ?? [];
  return (
    <>
      <div className="page-header">
        <h2>Audit log</h2>
        <a href={auditExportUrl(filter)} download="trove-audit.jsonl">
          Export JSON lines
        </a>
      </div>
      <div className="toolbar">
        <SearchInput
          label="Actor"
          value={state.actor}
          onCommit={(v) => setState({ actor: v.trim() }, { replace: true })}
        />
        <SearchInput
          label="Action"
          value={state.action}
          placeholder="trove-server POST /admin/users"
          className="grow"
          onCommit={(v) => setState({ action: v.trim() }, { replace: true })}
        />
        <SearchInput
          label="Resource type"
          value={state.resource}
          placeholder="experiment, model, user…"
          onCommit={(v) => setState({ resource: v.trim() }, { replace: true })}
        />
      </div>
      <ErrorBox error={audit.error} title="Could not load the audit log." />
      {audit.isPending ? (
        <Loading />
      ) : entries.length === 0 ? (
        <Empty>No audit entries match.</Empty>
      ) : (
        <table className="data" aria-label="Audit log">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Actor</th>
              <th scope="col">Action</th>
              <th scope="col">Resource</th>
              <th scope="col">Status</th>
              <th scope="col">Address</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <AuditRow key={e.id} entry={e} />
            ))}
          </tbody>
        </table>
      )}
      {audit.hasNextPage ? (
        <button type="button" disabled={audit.isFetchingNextPage} onClick={() => void audit.fetchNextPage()}>
          {audit.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      ) : null}
    </>
  );
}

function AuditRow({ entry: e }: { entry: AuditEntry }) {
  const details = e.after ?? e.before;
  return (
    <tr data-audit-id={e.id}>
      <td>{formatTime(e.time)}</td>
      <td>{e.actor ?? <span className="muted">anonymous</span>}</td>
      <td className="mono">{e.action}</td>
      <td>
        {e.resource_type}
        {e.resource_id ? <span className="mono"> {e.resource_id}</span> : null}
      </td>
      <td className={e.status !== null && e.status >= 400 ? 'audit-refused' : undefined}>{e.status ?? ''}</td>
      <td className="mono">{e.address ?? ''}</td>
      <td>
        {details === null || details === undefined ? null : (
          <details>
            <summary>input</summary>
            <pre className="mono">{JSON.stringify(details, null, 2)}</pre>
          </details>
        )}
        {e.request_id ? <span className="muted mono audit-request">{e.request_id}</span> : null}
      </td>
    </tr>
  );
}
