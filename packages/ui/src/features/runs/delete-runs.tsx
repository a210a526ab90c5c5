/** How many names the delete confirmation lists before "and N more". */
const LISTED = 8;

/** The runs a delete will take, by name. */
export function DeleteRunsList({ names }: { names: string[] }) {
  const rest = names.length - LISTED;
  return (
    <>
      <ul aria-label="Runs to delete">
        {names.slice(0, LISTED).map((name, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: run names need not be unique
          <li key={i}>{name}</li>
        ))}
      </ul>
      {rest > 0 ? <p>and {rest} more.</p> : null}
      <p className="muted">Deleted runs stay restorable under “Show deleted runs”.</p>
    </>
  );
}

export const deletedRunsMessage = (n: number) => `Deleted ${n} run${n === 1 ? '' : 's'}`;
