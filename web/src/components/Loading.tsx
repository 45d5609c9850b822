/** A polite live region: screen readers hear it once, sighted users see a quiet line. */
export function Loading({ label = 'Loading' }: { readonly label?: string }) {
  return (
    <p className="loading" role="status" aria-live="polite">
      <span className="loading__spinner" aria-hidden="true" />
      {label}…
    </p>
  );
}
