/** The first capture of `pattern` in `pathname`, decoded; undefined when it does not match. */
export function pathCapture(pathname: string, pattern: RegExp): string | undefined {
  const capture = pattern.exec(pathname)?.[1];
  if (capture === undefined) return undefined;
  try {
    return decodeURIComponent(capture);
  } catch {
    // A malformed escape: no page of the app answers it.
    return undefined;
  }
}
