import { useId, useRef, useState } from 'react';
import type { SavedView, ViewState } from '../../api/views.ts';
import { ErrorBox } from '../../components/status.tsx';
import { useCurrentUser } from '../../components/UserField.tsx';
import { latestError } from '../../lib/latest-error.ts';
import { useViewMutations, useViews } from './views-queries.ts';

export interface ViewsMenuProps {
  experimentId: string;
  /** The page's state as a view would store it. */
  current: ViewState;
  /** The view last applied (URL `view=`), if any. */
  activeId: string;
  /** Whether the page still shows exactly what the active view stores. */
  isUnchanged: (view: SavedView) => boolean;
  onApply: (view: SavedView) => void;
  /** A shareable link that opens the page with the view applied. */
  linkFor: (view: SavedView) => string;
  onSaved: (view: SavedView) => void;
}

/** Saved views of the experiment: save the current state under a name, apply, update, rename, delete. */
export function ViewsMenu({ experimentId, current, activeId, isUnchanged, onApply, linkFor, onSaved }: ViewsMenuProps) {
  const views = useViews(experimentId);
  const { create, update, remove } = useViewMutations(experimentId);
  const user = useCurrentUser();
  const nameId = useId();
  const menuRef = useRef<HTMLDetailsElement>(null);
  const [name, setName] = useState('');
  const list = views.data ?? [];
  const active = list.find((v) => v.view_id === activeId);
  const error = latestError(create, update, remove) ?? views.error;
  const label = active ? `View: ${active.name}${isUnchanged(active) ? '' : ' (modified)'}` : `Views (${list.length})`;

  return (
    <details className="columns-menu views-menu" ref={menuRef}>
      <summary className="button" aria-label={label}>
        {label}
      </summary>
      <section className="columns-panel" aria-label="Saved views">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const trimmed = name.trim();
            if (trimmed === '') return;
            create.mutate(
              { name: trimmed, state: current },
              {
                onSuccess: (r) => {
                  setName('');
                  onSaved(r.view);
                },
              },
            );
          }}
        >
          <div className="field">
            <label htmlFor={nameId}>Save the current view as</label>
            <div style={{ display: 'flex', gap: 6 }}>
              <input
                id={nameId}
                value={name}
                onChange={(e) => setName(e.target.value)}
                autoComplete="off"
                maxLength={256}
                style={{ flex: 1 }}
              />
              <button type="submit" className="primary" disabled={!user || name.trim() === '' || create.isPending}>
                Save
              </button>
            </div>
          </div>
        </form>
        {user ? null : <p className="muted">Set “Acting as” in the top bar to save views.</p>}
        <ErrorBox error={error} title="The views request failed:" />
        {list.length === 0 && views.isSuccess ? <p className="muted">No saved views yet.</p> : null}
        <ul className="views-list">
          {list.map((v) => (
            <ViewItem
              key={v.view_id}
              view={v}
              active={v.view_id === activeId}
              mine={v.owner === user}
              href={linkFor(v)}
              onApply={() => {
                onApply(v);
                // The table is what the user wants to see next.
                if (menuRef.current) menuRef.current.open = false;
              }}
              onUpdate={() => update.mutate({ id: v.view_id, state: current }, { onSuccess: (r) => onSaved(r.view) })}
              onRename={(newName) => update.mutate({ id: v.view_id, name: newName })}
              onDelete={() => remove.mutate(v.view_id)}
            />
          ))}
        </ul>
      </section>
    </details>
  );
}

interface ViewItemProps {
  view: SavedView;
  active: boolean;
  mine: boolean;
  href: string;
  onApply: () => void;
  onUpdate: () => void;
  onRename: (name: string) => void;
  onDelete: () => void;
}

function ViewItem({ view, active, mine, href, onApply, onUpdate, onRename, onDelete }: ViewItemProps) {
  const [renaming, setRenaming] = useState(false);
  const [draft, setDraft] = useState(view.name);
  const [confirming, setConfirming] = useState(false);
  const renameId = useId();
  return (
    <li data-view={view.name} aria-current={active ? 'true' : undefined}>
      {renaming ? (
        <form
          className="view-rename"
          onSubmit={(e) => {
            e.preventDefault();
            if (draft.trim() !== '' && draft !== view.name) onRename(draft.trim());
            setRenaming(false);
          }}
        >
          <label htmlFor={renameId} className="visually-hidden">
            New name for view {view.name}
          </label>
          <input id={renameId} value={draft} onChange={(e) => setDraft(e.target.value)} maxLength={256} />
          <button type="submit">OK</button>
          <button type="button" onClick={() => setRenaming(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <div className="view-line">
          <button type="button" className="link" onClick={onApply} aria-label={`Apply view ${view.name}`}>
            {view.name}
          </button>
          <span className="muted">by {view.owner}</span>
          <a href={href} aria-label={`Link to view ${view.name}`}>
            share link
          </a>
        </div>
      )}
      {mine && !renaming ? (
        <div className="view-actions">
          <button type="button" onClick={onUpdate} aria-label={`Update view ${view.name} with the current state`}>
            Update
          </button>
          <button
            type="button"
            onClick={() => {
              setDraft(view.name);
              setRenaming(true);
            }}
            aria-label={`Rename view ${view.name}`}
          >
            Rename
          </button>
          {confirming ? (
            <button
              type="button"
              className="danger"
              onClick={onDelete}
              aria-label={`Confirm deleting view ${view.name}`}
            >
              Confirm delete
            </button>
          ) : (
            <button type="button" onClick={() => setConfirming(true)} aria-label={`Delete view ${view.name}`}>
              Delete
            </button>
          )}
        </div>
      ) : null}
    </li>
  );
}
