import { type ReactNode, useState } from 'react';

/**
 * A `<details>` menu (a summary button, a panel below it) whose panel renders once the menu is
 * first opened, then stays: closed menus listing every key as a checkbox (70–80 on a wide
 * experiment) were built and styled in the same render as a page's first data, before anyone
 * opened them.
 */
export function MenuDetails({
  summary,
  summaryLabel,
  className = 'columns-menu',
  children,
}: {
  summary: ReactNode;
  /** The summary's accessible name, where its text alone does not say enough. */
  summaryLabel?: string;
  className?: string;
  children: ReactNode;
}) {
  const [opened, setOpened] = useState(false);
  return (
    <details
      className={className}
      onToggle={(e) => {
        if (e.currentTarget.open) setOpened(true);
      }}
    >
      <summary className="button" aria-label={summaryLabel}>
        {summary}
      </summary>
      {opened ? children : null}
    </details>
  );
}
