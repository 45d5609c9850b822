import { useEffect, type ReactNode } from 'react';

export const APP_NAME = 'Resettlement pledge tracker';

/** Sets `document.title` to "<title> — Resettlement pledge tracker" while the page shows. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} — ${APP_NAME}`;
  }, [title]);
}

/**
 * The page's one h1, its document title, and optional lead text and actions beside it.
 * `documentTitle` overrides the title of the tab when the h1 is long or holds markup.
 */
export function PageHeader({
  title,
  documentTitle,
  lead,
  actions,
}: {
  readonly title: ReactNode;
  readonly documentTitle?: string;
  readonly lead?: ReactNode;
  readonly actions?: ReactNode;
}) {
  usePageTitle(documentTitle ?? (typeof title === 'string' ? title : APP_NAME));
  return (
    <div className="page-header">
      <div>
        <h1>{title}</h1>
        {lead !== undefined && <p className="page-header__lead">{lead}</p>}
      </div>
      {actions !== undefined && <div className="page-header__actions no-print">{actions}</div>}
    </div>
  );
}
