import type { ReactNode } from 'react';
import { NavLink, Outlet } from 'react-router';
import { AsOfControl, PastBanner, useAsOf } from './asOf';
import { APP_NAME } from './components/PageHeader';
import { ROLE_LABELS } from './session/RequireRole';
import { useSession } from './session/SessionProvider';
import type { Role } from './session/sessionApi';

interface NavItem {
  readonly to: string;
  readonly label: string;
  /** Only this exact path marks the item current (a role's start page). */
  readonly end?: boolean;
}

const NAVIGATION: Readonly<Record<Role, readonly NavItem[]>> = {
  member_state: [{ to: '/ministry', label: 'Our pledges', end: true }],
  commission: [{ to: '/commission', label: 'Plans', end: true }],
  auditor: [
    { to: '/audit', label: 'Audit log', end: true },
    { to: '/audit/compare', label: 'Compare' },
    { to: '/audit/replay', label: 'Replay check' },
  ],
  operator: [{ to: '/operator', label: 'Operator', end: true }],
};

/** Skip link, header, banner and footer around a page; `<main id="main">` holds its one h1. */
export function PageFrame({
  header,
  children,
}: {
  readonly header?: ReactNode;
  readonly children: ReactNode;
}) {
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="app-header">
        <div className="app-header__inner">
          <p className="app-header__name">{APP_NAME}</p>
          {header}
        </div>
      </header>
      {children}
      <footer className="app-footer no-print">
        <div className="app-footer__inner">
          <p>
            Union Resettlement and Humanitarian Admission Plan, Regulation (EU) 2024/1350.{' '}
            <a href="/docs">API documentation</a>
          </p>
        </div>
      </footer>
    </>
  );
}

/** The signed-in frame: who, what they can do, time travel, then the page. */
export function AppShell() {
  const { session, signOut } = useSession();
  const { withAsOf } = useAsOf();
  const { actor } = session;
  const who = [actor.name ?? actor.id, ROLE_LABELS[actor.role], actor.memberState]
    .filter(Boolean)
    .join(' · ');
  return (
    <PageFrame
      header={
        <>
          <div className="app-header__session">
            <p className="app-header__who">
              <span className="visually-hidden">Signed in as </span>
              {who}
            </p>
            <button type="button" className="button button--on-dark" onClick={() => void signOut()}>
              Sign out
            </button>
          </div>
          <nav className="app-nav no-print" aria-label="Main">
            <ul>
              {NAVIGATION[actor.role].map((item) => (
                <li key={item.to}>
                  <NavLink to={withAsOf(item.to)} end={item.end}>
                    {item.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
        </>
      }
    >
      <PastBanner />
      <main id="main" className="page" tabIndex={-1}>
        <Outlet />
      </main>
      {actor.role !== 'operator' && (
        <aside className="page page--aside no-print" aria-label="Time travel">
          <AsOfControl />
        </aside>
      )}
    </PageFrame>
  );
}
