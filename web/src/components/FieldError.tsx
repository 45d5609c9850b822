import { fieldErrorId, type FieldErrors } from '../api/problems';

/**
 * The messages for one request path, under its input. Pair with `fieldProps(path, errors)` on the
 * input so it is `aria-invalid` and described by these messages.
 */
export function FieldError({
  path,
  errors,
}: {
  readonly path: string;
  readonly errors: FieldErrors;
}) {
  const messages = errors[path] ?? [];
  if (messages.length === 0) return null;
  return (
    <p className="field-error" id={fieldErrorId(path)}>
      <span className="visually-hidden">Error: </span>
      {messages.join(' ')}
    </p>
  );
}
