/** A column header that sorts on click; `aria-sort` tells screen readers the current order. */
export function SortHeader({
  label,
  sort,
  onSort,
  className,
  title,
}: {
  label: string;
  sort: 'asc' | 'desc' | null;
  onSort?: () => void;
  className?: string;
  title?: string;
}) {
  const ariaSort = sort === 'asc' ? 'ascending' : sort === 'desc' ? 'descending' : 'none';
  if (!onSort) {
    return (
      <th scope="col" className={className} title={title}>
        {label}
      </th>
    );
  }
  return (
    <th scope="col" aria-sort={ariaSort} className={className} title={title}>
      <button type="button" className="sort" onClick={onSort} aria-label={`Sort by ${label}`}>
        {label}
        <span className="sort-mark" aria-hidden="true">
          {sort === 'asc' ? '▲' : sort === 'desc' ? '▼' : ''}
        </span>
      </button>
    </th>
  );
}
