import { useMutation } from '@tanstack/react-query';
import { type ReactNode, useId, useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { ErrorBox } from '../../components/status.tsx';
import { useCurrentUser } from '../../components/UserField.tsx';
import './registry.css';

/**
 * A delete button that asks first (`ConfirmDialog`); with `typeToConfirm` the user must type that
 * text (a model's name) before the dialog's delete button enables.
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
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const inputId = useId();
  const close = () => {
    setTyped('');
    setOpen(false);
  };
  const remove = useMutation({ mutationFn: onDelete, onSuccess: close });
  const confirmed = typeToConfirm === undefined || typed === typeToConfirm;
  return (
    <>
      <button type="button" className="danger" onClick={() => setOpen(true)} disabled={!user}>
        {label}
      </button>
      <ConfirmDialog
        open={open}
        title={title}
        confirmLabel={label}
        confirmDisabled={!confirmed || remove.isPending}
        onConfirm={() => remove.mutate()}
        onCancel={close}
      >
        {children}
        {open && typeToConfirm !== undefined ? (
          <div className="field">
            <label htmlFor={inputId}>Type “{typeToConfirm}” to confirm</label>
            <input id={inputId} value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" />
          </div>
        ) : null}
        <ErrorBox error={remove.error} title="Could not delete." />
      </ConfirmDialog>
    </>
  );
}
