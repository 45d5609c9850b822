import { useState, type ReactNode } from 'react';

/**
 * A `<details>` whose content is rendered the first time it opens, and kept from then on (so what
 * the person typed survives closing it). A closed section of a long form costs nothing on the
 * screen's first load: the Commission's amendment form holds every Member State's lines, hundreds
 * of inputs, behind one optional summary. `open` forces it open, for example when a field inside
 * has an error to show.
 */
export function LazyDetails({
  summary,
  open = false,
  className,
  children,
}: {
  readonly summary: ReactNode;
  readonly open?: boolean;
  readonly className?: string;
  readonly children: ReactNode;
}) {
  const [opened, setOpened] = useState(open);
  // Opened from outside (an error inside): render the content in this same pass.
  if (open && !opened) setOpened(true);
  return (
    <details
      className={className}
      open={open || undefined}
      onToggle={(event) => {
        if (event.currentTarget.open) setOpened(true);
      }}
    >
      <summary>{summary}</summary>
      {opened && children}
    </details>
  );
}
