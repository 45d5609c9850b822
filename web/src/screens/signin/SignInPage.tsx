import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearchParams } from 'react-router';
import type { ApiError } from '../../api/problems';
import { PageFrame } from '../../AppShell';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { ROLE_LABELS } from '../../session/RequireRole';
import { SESSION_QUERY_KEY } from '../../session/SessionProvider';
import {
  AUTH_OPTIONS_QUERY_KEY,
  fetchAuthOptions,
  oidcLoginUrl,
  signInAsDevelopmentIdentity,
  type AuthOptions,
  type Session,
} from '../../session/sessionApi';

/** What the callback's `?error=` codes mean for the person who just tried to sign in. */
export const SIGN_IN_ERRORS: Readonly<Record<string, string>> = {
  oidc_failed:
    'Signing in with your organisation account did not work. Try again; if it keeps failing, contact your service desk.',
  no_role:
    'Your organisation account has no role in the pledge tracker. Ask your administrator to grant one.',
  no_member_state:
    'Your account has the Member State role but names no Member State. Ask your administrator to add it.',
  state_mismatch: 'The sign-in took too long or was started in another tab. Please sign in again.',
};

/** Only a same-origin path may be a return address; anything else goes home. */
export function safeReturnTo(raw: string | null): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/';
  return raw;
}

export function SignInPage() {
  const [searchParams] = useSearchParams();
  const returnTo = safeReturnTo(searchParams.get('returnTo'));
  const errorCode = searchParams.get('error');
  const options = useQuery<AuthOptions, ApiError>({
    queryKey: AUTH_OPTIONS_QUERY_KEY,
    queryFn: fetchAuthOptions,
  });

  return (
    <PageFrame>
      <main id="main" className="page page--narrow" tabIndex={-1}>
        <PageHeader title="Sign in" lead="Sign in to see and record resettlement pledges." />
        {errorCode !== null && (
          <div className="problem-alert" role="alert">
            <h2 className="problem-alert__title">You are not signed in</h2>
            <p>{SIGN_IN_ERRORS[errorCode] ?? 'Signing in did not work. Please try again.'}</p>
          </div>
        )}
        {options.isPending && <Loading label="Loading the ways to sign in" />}
        {options.error && <ProblemAlert problem={options.error.problem} />}
        {options.data && <SignInChoices options={options.data} returnTo={returnTo} />}
      </main>
    </PageFrame>
  );
}

function SignInChoices({
  options,
  returnTo,
}: {
  readonly options: AuthOptions;
  readonly returnTo: string;
}) {
  const { oidc, development } = options;
  if (!oidc.enabled && development === null) {
    return (
      <p>
        No way to sign in is configured on this server. Machine clients use bearer tokens; see the{' '}
        <a href="/docs">API documentation</a>.
      </p>
    );
  }
  return (
    <>
      {oidc.enabled && (
        <p>
          <a className="button button--large" href={oidcLoginUrl(returnTo)}>
            {oidc.label}
          </a>
        </p>
      )}
      {development !== null && <DevelopmentSignIn options={development} returnTo={returnTo} />}
    </>
  );
}

function DevelopmentSignIn({
  options,
  returnTo,
}: {
  readonly options: NonNullable<AuthOptions['development']>;
  readonly returnTo: string;
}) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const signIn = useMutation<Session, ApiError, string>({
    mutationFn: signInAsDevelopmentIdentity,
    onSuccess: (session) => {
      queryClient.clear();
      queryClient.setQueryData(SESSION_QUERY_KEY, session);
      void navigate(returnTo, { replace: true });
    },
  });
  return (
    <section className="development-sign-in" aria-labelledby="development-sign-in-title">
      <h2 id="development-sign-in-title">Development sign-in — not for real data</h2>
      <p>
        This server runs in development. Pick a demo identity; what you record is marked as made by
        a development identity (<code>dev:…</code>), never by a real person.
      </p>
      <ProblemAlert problem={signIn.error?.problem} />
      <ul className="development-sign-in__list">
        {options.identities.map((identity) => (
          <li key={identity.id}>
            <button
              type="button"
              className="button button--secondary"
              disabled={signIn.isPending}
              onClick={() => signIn.mutate(identity.id)}
            >
              {identity.name}
            </button>{' '}
            <span className="development-sign-in__role">
              {ROLE_LABELS[identity.role]}
              {identity.memberState ? `, ${identity.memberState}` : ''}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
