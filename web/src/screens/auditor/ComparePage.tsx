import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useId, useMemo, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { unwrap } from '../../api/hooks';
import type { ApiError } from '../../api/problems';
import { useAsOf } from '../../asOf';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { formatDateTime } from '../../lib/format';
import {
  roleLabel,
  useParticipants,
  usePlanIds,
  type PlanHistoryEntry,
  type PledgeHistoryEntry,
} from './auditApi';
import { ComparisonTable } from './ComparisonTable';
import { compareFacts, pledgeFacts, planFacts, type Fact } from './compareModel';
import { eventTypeLabel } from './eventTypes';

type Subject = 'pledge' | 'plan';

/** What is compared, from the URL: `?subject=pledge&planId=p1&memberState=DE&a=2&b=5`. */
interface CompareTarget {
  readonly subject: Subject;
  readonly planId: string;
  readonly memberState: string;
}

type HistoryEntry = PledgeHistoryEntry | PlanHistoryEntry;

function readTarget(params: URLSearchParams): CompareTarget {
  return {
    subject: params.get('subject') === 'plan' ? 'plan' : 'pledge',
    planId: params.get('planId') ?? '',
    memberState: params.get('memberState') ?? '',
  };
}

function isReady(target: CompareTarget): boolean {
  return target.planId !== '' && (target.subject === 'plan' || target.memberState !== '');
}

function versionParam(params: URLSearchParams, name: 'a' | 'b'): number | undefined {
  const value = params.get(name);
  return value && /^\d+$/.test(value) ? Number(value) : undefined;
}

function actorText(actor: HistoryEntry['actor']): string {
  return `${actor.name || actor.id} (${roleLabel(actor.role)})`;
}

function versionLabel(entry: HistoryEntry): string {
  return `Version ${entry.version}: ${eventTypeLabel(entry.type)}, ${formatDateTime(entry.recordedAt)}, log position ${entry.position}`;
}

/** `/audit/compare`: any two versions of a pledge or of a plan, side by side. */
export function ComparePage() {
  const [params, setParams] = useSearchParams();
  const target = readTarget(params);
  const targetKey = `${target.subject}|${target.planId}|${target.memberState}`;
  const choose = (next: CompareTarget) => {
    const updated = new URLSearchParams(params);
    updated.set('subject', next.subject);
    updated.set('planId', next.planId);
    if (next.subject === 'pledge') updated.set('memberState', next.memberState);
    else updated.delete('memberState');
    updated.delete('a');
    updated.delete('b');
    setParams(updated);
  };
  return (
    <>
      <PageHeader
        title="Compare versions"
        lead="Choose a pledge or a plan, then any two of its versions: each is read as the log stood right after it was recorded, and the two are shown side by side."
      />
      <TargetForm key={`form|${targetKey}`} initial={target} onChoose={choose} />
      {isReady(target) && <VersionComparison key={`versions|${targetKey}`} target={target} />}
    </>
  );
}

function TargetForm({
  initial,
  onChoose,
}: {
  readonly initial: CompareTarget;
  readonly onChoose: (target: CompareTarget) => void;
}) {
  const id = useId();
  const plans = usePlanIds();
  const participants = useParticipants();
  const [draft, setDraft] = useState(initial);
  const [error, setError] = useState<string | undefined>();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const message = !draft.planId
      ? 'Choose a plan.'
      : draft.subject === 'pledge' && !draft.memberState
        ? 'Choose the Member State whose pledge to compare.'
        : undefined;
    setError(message);
    if (message) {
      document.getElementById(`${id}-${draft.planId ? 'memberState' : 'planId'}`)?.focus();
      return;
    }
    onChoose(draft);
  };
  const planIds = plans.data ?? [];
  const planChoices =
    draft.planId && !planIds.includes(draft.planId) ? [draft.planId, ...planIds] : planIds;
  const errorField = error ? (draft.planId ? 'memberState' : 'planId') : undefined;
  const describe = (field: string) =>
    errorField === field
      ? { 'aria-invalid': true as const, 'aria-describedby': `${id}-error` }
      : {};
  return (
    <form
      className="compare-target no-print"
      onSubmit={submit}
      aria-labelledby={`${id}-title`}
      noValidate
    >
      <h2 id={`${id}-title`}>What to compare</h2>
      <fieldset>
        <legend>Versions of</legend>
        <label>
          <input
            type="radio"
            name={`${id}-subject`}
            value="pledge"
            checked={draft.subject === 'pledge'}
            onChange={() => setDraft({ ...draft, subject: 'pledge' })}
          />{' '}
          A Member State&apos;s pledge
        </label>{' '}
        <label>
          <input
            type="radio"
            name={`${id}-subject`}
            value="plan"
            checked={draft.subject === 'plan'}
            onChange={() => setDraft({ ...draft, subject: 'plan' })}
          />{' '}
          The plan
        </label>
      </fieldset>
      <div className="feed-filters__grid">
        <div className="field">
          <label htmlFor={`${id}-planId`}>Plan</label>
          <select
            id={`${id}-planId`}
            value={draft.planId}
            onChange={(event) => setDraft({ ...draft, planId: event.target.value })}
            {...describe('planId')}
          >
            <option value="">Choose a plan</option>
            {planChoices.map((planId) => (
              <option key={planId} value={planId}>
                {planId}
              </option>
            ))}
          </select>
        </div>
        {draft.subject === 'pledge' && (
          <div className="field">
            <label htmlFor={`${id}-memberState`}>Member State</label>
            <select
              id={`${id}-memberState`}
              value={draft.memberState}
              onChange={(event) => setDraft({ ...draft, memberState: event.target.value })}
              {...describe('memberState')}
            >
              <option value="">Choose a Member State</option>
              {(participants.data ?? []).map((participant) => (
                <option key={participant.code} value={participant.code}>
                  {participant.name} ({participant.code})
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
      {error && (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="button">
        Show the versions
      </button>
    </form>
  );
}

/** The history of the target, page by page, as of the global `asOf`. */
function useHistory(target: CompareTarget) {
  const { asOf } = useAsOf();
  return useInfiniteQuery<
    { versions: HistoryEntry[]; nextAfterVersion: number | null },
    ApiError,
    { pages: { versions: HistoryEntry[]; nextAfterVersion: number | null }[] },
    readonly unknown[],
    number | undefined
  >({
    queryKey: ['compare-history', target, { asOf: asOf ?? null }],
    initialPageParam: undefined,
    getNextPageParam: (page) => page.nextAfterVersion ?? undefined,
    queryFn: ({ pageParam }) => {
      const query = {
        ...(asOf !== undefined && { asOf }),
        ...(pageParam !== undefined && { after: String(pageParam) }),
      };
      return target.subject === 'pledge'
        ? unwrap(
            api.GET('/api/v1/plans/{planId}/pledges/{memberState}/history', {
              params: { path: { planId: target.planId, memberState: target.memberState }, query },
            }),
          )
        : unwrap(
            api.GET('/api/v1/plans/{planId}/history', {
              params: { path: { planId: target.planId }, query },
            }),
          );
    },
  });
}

/** The target's state right after `position`: the facts the comparison lines up. */
function useVersionFacts(target: CompareTarget, position: number | undefined) {
  return useQuery<Fact[], ApiError>({
    queryKey: ['compare-state', target, position],
    enabled: position !== undefined,
    queryFn: async () => {
      const query = { asOf: String(position) };
      if (target.subject === 'pledge') {
        const pledge = await unwrap(
          api.GET('/api/v1/plans/{planId}/pledges/{memberState}', {
            params: { path: { planId: target.planId, memberState: target.memberState }, query },
          }),
        );
        return pledgeFacts(pledge);
      }
      const plan = await unwrap(
        api.GET('/api/v1/plans/{planId}', { params: { path: { planId: target.planId }, query } }),
      );
      return planFacts(plan);
    },
  });
}

function VersionComparison({ target }: { readonly target: CompareTarget }) {
  const [params, setParams] = useSearchParams();
  const history = useHistory(target);
  const versions = useMemo(
    () => history.data?.pages.flatMap((page) => page.versions) ?? [],
    [history.data],
  );
  const last = versions.at(-1);
  const beforeLast = versions.at(-2) ?? last;
  const chosenA = versionParam(params, 'a') ?? beforeLast?.version;
  const chosenB = versionParam(params, 'b') ?? last?.version;
  const entryA = versions.find((entry) => entry.version === chosenA);
  const entryB = versions.find((entry) => entry.version === chosenB);
  const factsA = useVersionFacts(target, entryA?.position);
  const factsB = useVersionFacts(target, entryB?.position);

  const what =
    target.subject === 'pledge'
      ? `the pledge of ${target.memberState} to plan ${target.planId}`
      : `plan ${target.planId}`;
  if (history.isPending) return <Loading label={`Reading the versions of ${what}`} />;
  if (history.error)
    return (
      <ProblemAlert
        problem={history.error.problem}
        title={`The versions of ${what} could not be read`}
      />
    );
  if (versions.length === 0)
    return (
      <p>{`There is no version of ${what} in the log${params.get('asOf') ? ' at this point in time' : ''}.`}</p>
    );

  const compare = (a: number, b: number) => {
    const updated = new URLSearchParams(params);
    updated.set('a', String(a));
    updated.set('b', String(b));
    setParams(updated);
  };
  return (
    <section aria-labelledby="compare-versions-title">
      <h2 id="compare-versions-title">Versions of {what}</h2>
      <VersionPicker
        key={`${chosenA}|${chosenB}`}
        versions={versions}
        initialA={chosenA}
        initialB={chosenB}
        onCompare={compare}
        canLoadMore={history.hasNextPage}
        loadingMore={history.isFetchingNextPage}
        onLoadMore={() => void history.fetchNextPage()}
      />
      {(chosenA !== undefined && entryA === undefined) ||
      (chosenB !== undefined && entryB === undefined) ? (
        <p role="status">
          A chosen version is not among the versions read so far
          {history.hasNextPage ? ': load more versions.' : '.'}
        </p>
      ) : null}
      {entryA && entryB && (
        <>
          <div className="compare-columns">
            <VersionCard heading="Version A" entry={entryA} />
            <VersionCard heading="Version B" entry={entryB} />
          </div>
          {(factsA.isPending || factsB.isPending) && <Loading label="Reading both versions" />}
          {factsA.error && (
            <ProblemAlert problem={factsA.error.problem} title="Version A could not be read" />
          )}
          {factsB.error && (
            <ProblemAlert problem={factsB.error.problem} title="Version B could not be read" />
          )}
          {factsA.data && factsB.data && (
            <ComparisonTable
              caption={`Version ${entryA.version} (A) and version ${entryB.version} (B) of ${what}, side by side`}
              labelA={`Version ${entryA.version} (A)`}
              labelB={`Version ${entryB.version} (B)`}
              rows={compareFacts(factsA.data, factsB.data)}
            />
          )}
        </>
      )}
    </section>
  );
}

function VersionPicker({
  versions,
  initialA,
  initialB,
  onCompare,
  canLoadMore,
  loadingMore,
  onLoadMore,
}: {
  readonly versions: readonly HistoryEntry[];
  readonly initialA: number | undefined;
  readonly initialB: number | undefined;
  readonly onCompare: (a: number, b: number) => void;
  readonly canLoadMore: boolean;
  readonly loadingMore: boolean;
  readonly onLoadMore: () => void;
}) {
  const id = useId();
  const [a, setA] = useState(initialA === undefined ? '' : String(initialA));
  const [b, setB] = useState(initialB === undefined ? '' : String(initialB));
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (a && b) onCompare(Number(a), Number(b));
  };
  const options = versions.map((entry) => (
    <option key={entry.version} value={entry.version}>
      {versionLabel(entry)}
    </option>
  ));
  return (
    <form className="version-picker no-print" onSubmit={submit} aria-label="Choose two versions">
      <div className="version-picker__fields">
        <div className="field">
          <label htmlFor={`${id}-a`}>Version A</label>
          <select id={`${id}-a`} value={a} onChange={(event) => setA(event.target.value)}>
            {options}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-b`}>Version B</label>
          <select id={`${id}-b`} value={b} onChange={(event) => setB(event.target.value)}>
            {options}
          </select>
        </div>
      </div>
      <p className="hint">
        {versions.length} {versions.length === 1 ? 'version' : 'versions'} read
        {canLoadMore ? '; more are in the log' : ''}.
      </p>
      <div className="feed-filters__actions">
        <button type="submit" className="button">
          Compare
        </button>
        {canLoadMore && (
          <button
            type="button"
            className="button button--secondary"
            onClick={onLoadMore}
            disabled={loadingMore}
          >
            {loadingMore ? 'Loading more versions…' : 'Load more versions'}
          </button>
        )}
      </div>
    </form>
  );
}

function VersionCard({
  heading,
  entry,
}: {
  readonly heading: string;
  readonly entry: HistoryEntry;
}) {
  return (
    <section className="version-card" aria-label={`${heading}: version ${entry.version}`}>
      <h3>
        {heading}: version {entry.version}
      </h3>
      <dl className="facts facts--stacked">
        <div>
          <dt>Event</dt>
          <dd>{eventTypeLabel(entry.type)}</dd>
        </div>
        <div>
          <dt>Recorded</dt>
          <dd>
            <time dateTime={entry.recordedAt}>{formatDateTime(entry.recordedAt)}</time>
          </dd>
        </div>
        <div>
          <dt>Log position</dt>
          <dd>{entry.position}</dd>
        </div>
        <div>
          <dt>By</dt>
          <dd>{actorText(entry.actor)}</dd>
        </div>
        {entry.reason && (
          <div>
            <dt>Reason</dt>
            <dd>{entry.reason}</dd>
          </div>
        )}
      </dl>
    </section>
  );
}
