import { type ReactNode, useEffect, useId, useRef } from 'react';
import './dialogs.css';

export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  /** What goes, named: the list of runs or the experiment. */
  children: ReactNode;
  confirmLabel: string;
  /** While true the confirm button is disabled (a name still to type, a request in flight). */
  confirmDisabled?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * A modal question before something destructive. The native `<dialog>` keeps focus inside and
 * turns Escape into a cancel; Cancel has the focus first, so Enter alone never deletes.
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  confirmDisabled = false,
  onConfirm,
  onCancel,
}: ConfirmDialogProps) {
  const id = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={dialog}
      className="confirm-dialog"
      aria-labelledby={`${id}-title`}
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      <div className="confirm-dialog-body">{children}</div>
      <div className="confirm-dialog-actions">
        {/* biome-ignore lint/a11y/noAutofocus: a destructive dialog starts on its safe choice */}
        <button type="button" autoFocus onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="danger" onClick={onConfirm} disabled={confirmDisabled}>
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
