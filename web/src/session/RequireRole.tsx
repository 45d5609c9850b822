import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { PageHeader } from '../components/PageHeader';
import { useSession } from './SessionProvider';
import type { Role } from './sessionApi';

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  member_state: 'Member State ministry',
  commission: 'Commission',
  auditor: 'Auditor',
  operator: 'Operator',
};

/** The home of each role, where `/` sends it. */
export const ROLE_HOME: Readonly<Record<Role, string>> = {
  member_state: '/ministry',
  commission: '/commission',
  auditor: '/audit',
  operator: '/operator',
};

/** Renders `children` only for the roles given; anyone else reads why, with a way home. */
export function RequireRole({
  roles,
  children,
}: {
  readonly roles: readonly Role[];
  readonly children: ReactNode;
}) {
  const { session } = useSession();
  if (roles.includes(session.actor.role)) return <>{children}</>;
  return (
    <>
      <PageHeader title="Not available for your role" />
      <p>
        You are signed in as {ROLE_LABELS[session.actor.role]}. This part of the tracker is for{' '}
        {roles.map((role) => ROLE_LABELS[role]).join(' or ')}.
      </p>
      <p>
        <Link to={ROLE_HOME[session.actor.role]}>Go to your start page</Link>
      </p>
    </>
  );
}
