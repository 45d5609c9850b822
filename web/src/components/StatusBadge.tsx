export type StatusTone = 'neutral' | 'info' | 'success' | 'warning' | 'danger';

/** A short state in words with a calm colour; the words carry the meaning, never the colour. */
export function StatusBadge({
  label,
  tone = 'neutral',
}: {
  readonly label: string;
  readonly tone?: StatusTone;
}) {
  return <span className={`badge badge--${tone}`}>{label}</span>;
}
