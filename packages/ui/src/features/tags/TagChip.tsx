import { textColorOn } from '../../lib/tag-color.ts';
import { useTagColors } from './queries.ts';

/** A `key=value` chip, in the key's workspace colour when it has one. */
export function TagChip({ tagKey, value, color }: { tagKey: string; value?: string; color?: string }) {
  const text = value === undefined ? tagKey : `${tagKey}=${value}`;
  return (
    <span
      className="chip"
      title={text}
      data-tag-key={tagKey}
      style={color ? { background: color, color: textColorOn(color) } : undefined}
    >
      {text}
    </span>
  );
}

/** A run's user tags (not `mlflow.*`) as chips in their workspace colours. */
export function RunTagChips({ tags }: { tags: { key: string; value: string }[] | undefined }) {
  const colors = useTagColors();
  return (
    <>
      {(tags ?? [])
        .filter((t) => !t.key.startsWith('mlflow.'))
        .map((t) => (
          <TagChip key={t.key} tagKey={t.key} value={t.value} color={colors.get(t.key)} />
        ))}
    </>
  );
}
