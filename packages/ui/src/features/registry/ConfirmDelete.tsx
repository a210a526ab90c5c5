import { useMutation } from '@tanstack/react-query';
import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { ErrorBox } from '../../components/status.tsx';
import { useCurrentUser } from '../../components/UserField.tsx';
import './registry.css';

/**
 * A delete button that asks first, in a modal dialog; with `typeToConfirm` the user must type that
 * text (a model's name) before the delete button enables.
 */
export function ConfirmDelete({
  label,
  title,
  children,
  typeToConfirm,
  onDelete,
}: {
  /** The button that opens the dialog, and the dialog's confirm button: "Delete model". */
  label: string;
  title: string;
  children: ReactNode;
  typeToConfirm?: string;
  onDelete: () => Promise<unknown>;
}) {
  const user = useCurrentUser();
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const titleId = useId();
  const inputId = useId();
  const remove = useMutation({ mutationFn: onDelete, onSuccess: () => setOpen(false) });
  useEffect(() => {
    if (open) dialog.current?.showModal();
    else dialog.current?.close();
  }, [open]);
  const confirmed = typeToConfirm === undefined || typed === typeToConfirm;
  return (
    <>
      <button type="button" className="danger" onClick={() => setOpen(true)} disabled={!user}>
        {label}
      </button>
      <dialog ref={dialog} aria-labelledby={titleId} className="confirm-dialog" onClose={() => setOpen(false)}>
        {open ? (
          <form
            method="dialog"
            onSubmit={(e) => {
              e.preventDefault();
              if (confirmed) remove.mutate();
            }}
          >
            <h2 id={titleId}>{title}</h2>
            {children}
            {typeToConfirm !== undefined ? (
              <div className="field">
                <label htmlFor={inputId}>Type “{typeToConfirm}” to confirm</label>
                <input id={inputId} value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" />
              </div>
            ) : null}
            <ErrorBox error={remove.error} title="Could not delete." />
            <div className="button-row">
              <button type="submit" className="danger" disabled={!confirmed || remove.isPending}>
                {label}
              </button>
              <button
                type="button"
                onClick={() => {
                  setTyped('');
                  setOpen(false);
                }}
              >
                Cancel
              </button>
            </div>
          </form>
        ) : null}
      </dialog>
    </>
  );
}
