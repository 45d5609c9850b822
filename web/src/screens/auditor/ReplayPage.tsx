import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { api } from '../../api/client';
import { unwrap } from '../../api/hooks';
import type { ApiError } from '../../api/problems';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { StatusBadge } from '../../components/StatusBadge';
import { formatCount, formatOneDecimal } from '../../lib/format';
import type { ReplayCheck } from './auditApi';

function formatDuration(milliseconds: number): string {
  return milliseconds < 1000
    ? `${formatOneDecimal(milliseconds)} ms`
    : `${formatOneDecimal(milliseconds / 1000)} s`;
}

/**
 * `/audit/replay`: rebuild every read model from the first event and compare it with the live one.
 * A POST because it is work on the server, but it changes nothing, so it stays available while
 * looking at the past (it always checks the log as it stands now).
 */
export function ReplayPage() {
  const check = useMutation<ReplayCheck, ApiError>({
    mutationFn: () => unwrap(api.POST('/api/v1/audit/replay')),
  });
  return (
    <>
      <PageHeader
        title="Replay check"
        lead="Rebuilds every view the tracker shows (plans, pledges, figures) from the first event of the log, with nothing kept from before, and compares each with the live one by a SHA-256 digest of its whole content. Equal digests prove the figures on every screen follow from the recorded events alone. Each stored snapshot is also checked: intact, and equal to the state rebuilt from the log at its position."
      />
      <p>
        The check reads the log as it stands now, whatever time travel is set to. It changes
        nothing.
      </p>
      <p className="no-print">
        <button
          type="button"
          className="button button--large"
          onClick={() => check.mutate()}
          disabled={check.isPending}
          aria-busy={check.isPending || undefined}
        >
          {check.isPending
            ? 'Checking…'
            : check.data
              ? 'Run the replay check again'
              : 'Run the replay check'}
        </button>
      </p>
      {check.isPending && <Loading label="Replaying the whole log; a large log takes a while" />}
      {check.error && (
        <ProblemAlert problem={check.error.problem} title="The replay check could not run" />
      )}
      {check.data && !check.isPending && <ReplayResult result={check.data} />}
    </>
  );
}

export function ReplayResult({ result }: { readonly result: ReplayCheck }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  // The result replaces the busy line: move there so a screen reader reads the verdict.
  useEffect(() => headingRef.current?.focus(), [result]);
  const unequal = result.projections.filter((projection) => !projection.equal).length;
  const badSnapshots = result.snapshots.filter(
    (snapshot) => !snapshot.payloadIntact || !snapshot.matchesLog,
  ).length;
  return (
    <section className="replay-result" aria-labelledby="replay-result-title">
      <h2 id="replay-result-title" tabIndex={-1} ref={headingRef}>
        Result:{' '}
        {result.ok ? (
          <StatusBadge tone="success" label="Passed" />
        ) : (
          <StatusBadge tone="danger" label="Failed" />
        )}
      </h2>
      <p role="status">
        {result.ok
          ? `Every view rebuilt from the log equals the live one${result.snapshots.length > 0 ? ', and every snapshot is intact and matches the log' : ''}.`
          : `${unequal} ${unequal === 1 ? 'view differs' : 'views differ'} from the log and ${badSnapshots} ${badSnapshots === 1 ? 'snapshot fails' : 'snapshots fail'} its checks: the live figures cannot be trusted until this is explained.`}
      </p>
      <dl className="facts">
        <div>
          <dt>Log position checked</dt>
          <dd>{formatCount(result.position)}</dd>
        </div>
        <div>
          <dt>Events replayed</dt>
          <dd>{formatCount(result.eventCount)}</dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>{formatDuration(result.durationMs)}</dd>
        </div>
      </dl>
      <div className="data-table">
        <div
          className="data-table__scroll"
          tabIndex={0}
          role="region"
          aria-labelledby="replay-projections-caption"
        >
          <table>
            <caption id="replay-projections-caption">
              Views: live digest against rebuilt digest
            </caption>
            <thead>
              <tr>
                <th scope="col">View</th>
                <th scope="col">Equal</th>
                <th scope="col">Live digest (SHA-256)</th>
                <th scope="col">Rebuilt digest (SHA-256)</th>
              </tr>
            </thead>
            <tbody>
              {result.projections.map((projection) => (
                <tr key={projection.name}>
                  <th scope="row">{projection.name}</th>
                  <td>
                    {projection.equal ? (
                      <StatusBadge tone="success" label="Yes, equal" />
                    ) : (
                      <StatusBadge tone="danger" label="No, different" />
                    )}
                  </td>
                  <td>
                    <code className="digest">{projection.liveDigest}</code>
                  </td>
                  <td>
                    <code className="digest">{projection.rebuiltDigest}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      <div className="data-table">
        <div
          className="data-table__scroll"
          tabIndex={0}
          role="region"
          aria-labelledby="replay-snapshots-caption"
        >
          <table>
            <caption id="replay-snapshots-caption">
              Snapshots of the views stored by the tracker
            </caption>
            <thead>
              <tr>
                <th scope="col" className="numeric">
                  Position
                </th>
                <th scope="col" className="numeric">
                  Events folded
                </th>
                <th scope="col">Content intact</th>
                <th scope="col">Matches the log</th>
              </tr>
            </thead>
            <tbody>
              {result.snapshots.length === 0 ? (
                <tr>
                  <td colSpan={4} className="data-table__empty">
                    No snapshot is stored yet (one is written every so many events and at a graceful
                    stop).
                  </td>
                </tr>
              ) : (
                result.snapshots.map((snapshot) => (
                  <tr key={snapshot.position}>
                    <th scope="row" className="numeric">
                      {formatCount(snapshot.position)}
                    </th>
                    <td className="numeric">{formatCount(snapshot.eventCount)}</td>
                    <td>{yesNo(snapshot.payloadIntact)}</td>
                    <td>{yesNo(snapshot.matchesLog)}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  );
}

function yesNo(value: boolean) {
  return value ? (
    <StatusBadge tone="success" label="Yes" />
  ) : (
    <StatusBadge tone="danger" label="No" />
  );
}
