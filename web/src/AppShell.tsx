import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Link, NavLink, Outlet, useLocation } from 'react-router';
import { ApiError, type Problem } from './api/problems';
import { AsOfControl, PastBanner, useAsOf } from './asOf';
import { LazyDetails } from './components/LazyDetails';
import { APP_NAME } from './components/PageHeader';
import { ProblemAlert } from './components/ProblemAlert';
import { ROLE_LABELS } from './session/RequireRole';
import { useSession } from './session/SessionProvider';
import type { Role } from './session/sessionApi';

interface NavItem {
  readonly to: string;
  readonly label: string;
  /** Only this exact path marks the item current (when a sibling item lives under it). */
  readonly end?: boolean;
}

const NAVIGATION: Readonly<Record<Role, readonly NavItem[]>> = {
  member_state: [{ to: '/ministry', label: 'Our pledges' }],
  // The access policy lets the Commission read the audit feed and run the replay check too.
  commission: [
    { to: '/commission', label: 'Plans' },
    { to: '/audit', label: 'Audit log', end: true },
    { to: '/audit/replay', label: 'Replay check' },
    { to: '/audit/integrity', label: 'Log integrity' },
  ],
  auditor: [
    { to: '/audit', label: 'Audit log', end: true },
    { to: '/audit/compare', label: 'Compare' },
    { to: '/audit/replay', label: 'Replay check' },
    { to: '/audit/integrity', label: 'Log integrity' },
  ],
  operator: [{ to: '/operator', label: 'Operator', end: true }],
};

/** Skip link, header, banner and footer around a page; `<main id="main">` holds its one h1. */
export function PageFrame({
  header,
  banner,
  children,
}: {
  readonly header?: ReactNode;
  /** Full-width notices under the header (the past banner), inside the banner landmark. */
  readonly banner?: ReactNode;
  readonly children: ReactNode;
}) {
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="app-header">
        <div className="app-header__inner">
          <p className="app-header__name">
            <Link to="/">{APP_NAME}</Link>
          </p>
          {header}
        </div>
        {banner}
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

/**
 * After a client-side navigation, focus moves to `<main>` so a screen reader starts reading the
 * new page, as it would after a full page load. The first render leaves focus alone.
 */
function useFocusMainOnNavigation(): void {
  const { pathname } = useLocation();
  const previous = useRef(pathname);
  useEffect(() => {
    if (previous.current === pathname) return;
    previous.current = pathname;
    document.getElementById('main')?.focus();
  }, [pathname]);
}

/** Time travel, folded away until wanted; open while looking at the past. */
function TimeTravelPanel() {
  const { isPast } = useAsOf();
  return (
    <aside className="page page--tools no-print" aria-label="Time travel">
      {/* Its date-time field is built when the panel first opens: the first date field a page
          makes costs it tens of milliseconds (the browser's date formats and the field's parts). */}
      <LazyDetails
        className="time-travel"
        open={isPast}
        summary="Time travel: view the log as it stood earlier"
      >
        <AsOfControl />
      </LazyDetails>
    </aside>
  );
}

/** The signed-in frame: who, what they can do, time travel, then the page. */
export function AppShell() {
  const { session, signOut } = useSession();
  const { withAsOf } = useAsOf();
  const [signOutProblem, setSignOutProblem] = useState<Problem | undefined>();
  useFocusMainOnNavigation();
  const { actor } = session;
  const requestSignOut = () => {
    setSignOutProblem(undefined);
    signOut().catch((error: unknown) => {
      if (error instanceof ApiError) setSignOutProblem(error.problem);
      else throw error;
    });
  };
  const who = [actor.name ?? actor.id, ROLE_LABELS[actor.role], actor.memberState]
    .filter(Boolean)
    .join(' · ');
  return (
    <PageFrame
      banner={<PastBanner />}
      header={
        <>
          <div className="app-header__session">
            <p className="app-header__who">
              <span className="visually-hidden">Signed in as </span>
              {who}
            </p>
            <button type="button" className="button button--on-dark" onClick={requestSignOut}>
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
      {actor.role !== 'operator' && <TimeTravelPanel />}
      <main id="main" className="page" tabIndex={-1}>
        <ProblemAlert problem={signOutProblem} title="You are still signed in" />
        <Outlet />
      </main>
    </PageFrame>
  );
}
