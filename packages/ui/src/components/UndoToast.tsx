import { useMutation } from '@tanstack/react-query';
import { ErrorBox } from './status.tsx';
import './dialogs.css';

export interface UndoToastProps {
  /** What was done, e.g. "Deleted 3 runs". */
  message: string;
  /** Puts it back (MLflow's restore calls). */
  undo: () => Promise<unknown>;
  /** The toast is done: undone, or dismissed. */
  onClose: () => void;
}

/**
 * "Deleted N runs — Undo" at the bottom of the window. It stays until Undo or Dismiss (or the
 * next deletion replaces it): a toast that vanishes on a timer takes the undo away from slow readers.
 */
export function UndoToast({ message, undo, onClose }: UndoToastProps) {
  const restore = useMutation({ mutationFn: undo, onSuccess: onClose });
  return (
    <div className="undo-toast" role="status" aria-live="polite">
      <span>{message}</span>
      <button type="button" onClick={() => restore.mutate()} disabled={restore.isPending}>
        {restore.isPending ? 'Restoring…' : 'Undo'}
      </button>
      <button type="button" className="undo-toast-dismiss" onClick={onClose} aria-label="Dismiss">
        ×
      </button>
      <ErrorBox error={restore.error} title="Could not undo:" />
    </div>
  );
}
