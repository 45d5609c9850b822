import { Fragment } from 'react';
import type { Schema } from '../../api/client';
import {
  ADMISSION_TYPES,
  ADMISSION_TYPE_LABELS,
  describeHost,
  totalsOf,
  type LineReference,
} from '../../components/lines';
import { formatCount, formatDate } from '../../lib/format';
import type { Plan, Pledge } from './pledgeApi';

type Contribution = Schema<'ContributionWithTotal'>;

/**
 * After adoption: what the Council adopted for this Member State, what amendments made of it, and
 * whether the pledge's latest change waits for an amendment (Art. 8(6)).
 */
export function AdoptedContribution({
  plan,
  memberState,
  pledge,
  reference,
}: {
  readonly plan: Plan;
  readonly memberState: string;
  readonly pledge: Pledge | null;
  readonly reference: LineReference;
}) {
  const adoption = plan.adoption;
  if (plan.status !== 'adopted' || adoption === undefined) return null;
  const own = (contributions: readonly Contribution[] | undefined) =>
    contributions?.find((contribution) => contribution.memberState === memberState);
  const asAdopted = own(adoption.contributions) ?? own(adoption.associatedStates);
  const current = own(plan.adoptedContributions) ?? own(plan.associatedStates);
  const amendments = plan.amendments.filter((amendment) =>
    amendment.memberStates.includes(memberState),
  );
  const contribution = current ?? asAdopted;
  const byType = totalsOf(contribution?.lines ?? []).byAdmissionType;

  return (
    <section aria-labelledby="adopted-contribution">
      <h2 id="adopted-contribution">Our contribution in the adopted plan</h2>
      <p>
        Adopted by the Council ({adoption.actReference}) on{' '}
        <time dateTime={adoption.adoptedOn}>{formatDate(adoption.adoptedOn)}</time>.
      </p>
      {contribution === undefined ? (
        <p>The adopted plan holds no contribution from {memberState}.</p>
      ) : (
        <>
          <dl className="ministry-summary">
            <dt>As adopted</dt>
            <dd>{formatCount(asAdopted?.total ?? 0)} persons</dd>
            {amendments.length > 0 && (
              <>
                <dt>After amendments</dt>
                <dd>{formatCount(contribution.total)} persons</dd>
              </>
            )}
            {ADMISSION_TYPES.map((type) => (
              <Fragment key={type}>
                <dt>{ADMISSION_TYPE_LABELS[type]}</dt>
                <dd>{formatCount(byType[type])} persons</dd>
              </Fragment>
            ))}
          </dl>
          <ul>
            {contribution.lines.map((line, index) => (
              <li key={index}>
                {ADMISSION_TYPE_LABELS[line.admissionType]}, {describeHost(line, reference)}
                {line.year !== undefined && `, ${line.year}`}: {formatCount(line.persons)} persons
              </li>
            ))}
          </ul>
        </>
      )}
      {amendments.length > 0 && (
        <>
          <h3>Amendments that changed our contribution</h3>
          <ul>
            {amendments.map((amendment) => (
              <li key={amendment.position}>
                {amendment.actReference}, adopted{' '}
                <time dateTime={amendment.adoptedOn}>{formatDate(amendment.adoptedOn)}</time>:{' '}
                {amendment.reason}
              </li>
            ))}
          </ul>
        </>
      )}
      {pledge?.pendingAmendment ? (
        <div className="ministry-notice ministry-notice--warning">
          <p>
            <strong>
              The latest change to our pledge (version {pledge.version}) awaits an amendment.
            </strong>
          </p>
          <p>
            Under Article 8(6) of Regulation (EU) 2024/1350, a change made after the plan was
            adopted takes effect only when the Council amends the plan. Until then, the contribution
            above is what the plan holds for {memberState}.
          </p>
        </div>
      ) : (
        <p>
          No change of our pledge is waiting for an amendment: the adopted plan reflects our pledge
          as it is recorded. A change made now would take effect only through an amendment (Art.
          8(6)).
        </p>
      )}
    </section>
  );
}
