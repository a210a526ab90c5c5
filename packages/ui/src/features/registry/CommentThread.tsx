import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { addComment, type Comment, deleteComment, editComment } from '../../api/trove.ts';
import { Markdown } from '../../components/Markdown.tsx';
import { ErrorBox, Loading } from '../../components/status.tsx';
import { NeedsUser, useCurrentUser } from '../../components/UserField.tsx';
import { formatTime } from '../../lib/format.ts';
import { useComments } from './queries.ts';

/** A model version's comments, oldest first; the current user posts, and edits or deletes their own. */
export function CommentThread({ name, version }: { name: string; version: string }) {
  const user = useCurrentUser();
  const comments = useComments(name, version);
  const qc = useQueryClient();
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['comments', name, version] });
    void qc.invalidateQueries({ queryKey: ['model-activity', name] });
  };
  const [draft, setDraft] = useState('');
  const post = useMutation({
    mutationFn: (body: string) => addComment(name, version, body),
    onSuccess: () => {
      setDraft('');
      refresh();
    },
  });
  const list = comments.data ?? [];
  return (
    <div className="comments">
      <ErrorBox error={comments.error} title="Could not load comments." />
      {comments.isPending ? (
        <Loading />
      ) : list.length === 0 ? (
        <p className="muted">No comments yet.</p>
      ) : (
        <ul className="comment-list" aria-label="Comments">
          {list.map((c) => (
            <CommentItem key={c.comment_id} comment={c} mine={c.author === user} onChanged={refresh} />
          ))}
        </ul>
      )}
      <form
        className="comment-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (draft.trim()) post.mutate(draft.trim());
        }}
      >
        <NeedsUser user={user} />
        <label className="field">
          <span className="field-label">New comment (Markdown)</span>
          <textarea value={draft} onChange={(e) => setDraft(e.target.value)} rows={3} disabled={!user} />
        </label>
        <ErrorBox error={post.error} title="Could not post." />
        <button type="submit" className="primary" disabled={!user || !draft.trim() || post.isPending}>
          Post comment
        </button>
      </form>
    </div>
  );
}

function CommentItem({ comment: c, mine, onChanged }: { comment: Comment; mine: boolean; onChanged: () => void }) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(c.body);
  const save = useMutation({
    mutationFn: () => editComment(c.comment_id, draft.trim()),
    onSuccess: () => {
      setEditing(false);
      onChanged();
    },
  });
  const remove = useMutation({ mutationFn: () => deleteComment(c.comment_id), onSuccess: onChanged });
  return (
    <li className="comment" data-comment-id={c.comment_id} data-author={c.author}>
      <div className="comment-meta">
        <strong>{c.author}</strong>{' '}
        <span className="muted">
          {formatTime(c.creation_timestamp)}
          {c.last_updated_timestamp > c.creation_timestamp ? ' (edited)' : ''}
        </span>
      </div>
      {editing ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (draft.trim()) save.mutate();
          }}
        >
          <label className="field">
            <span className="field-label">Edit comment</span>
            <textarea value={draft} onChange={(e) => setDraft(e.target.value)} rows={3} />
          </label>
          <ErrorBox error={save.error} />
          <div className="button-row">
            <button type="submit" className="primary" disabled={save.isPending || !draft.trim()}>
              Save
            </button>
            <button
              type="button"
              onClick={() => {
                setEditing(false);
                setDraft(c.body);
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <div className="comment-body">
          <Markdown source={c.body} label={`Comment by ${c.author}`} />
        </div>
      )}
      {mine && !editing ? (
        <div className="button-row">
          <button type="button" onClick={() => setEditing(true)} aria-label={`Edit comment ${c.comment_id}`}>
            Edit
          </button>
          <button
            type="button"
            onClick={() => {
              if (window.confirm('Delete this comment?')) remove.mutate();
            }}
            disabled={remove.isPending}
            aria-label={`Delete comment ${c.comment_id}`}
          >
            Delete
          </button>
        </div>
      ) : null}
      <ErrorBox error={remove.error} />
    </li>
  );
}
