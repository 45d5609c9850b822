import { useParams } from 'react-router';
import { useFulfilment, type Fulfilment } from '../../../api/implementation';
import { usePlan } from '../../../api/plans';
import { AsOfLink } from '../../../asOf';
import { DataTable, type DataTableColumn } from '../../../components/DataTable';
import { Loading } from '../../../components/Loading';
import { PageHeader } from '../../../components/PageHeader';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { StatusBadge, type StatusTone } from '../../../components/StatusBadge';
import {
  formatCount,
  formatDateTime,
  formatEuros,
  formatMonth,
  formatPercent,
} from '../../../lib/format';
import {
  ADMISSION_TYPES,
  ADMISSION_TYPE_LABELS,
  PROCEDURE_COUNT_FIELDS,
  PROCEDURE_COUNT_LABELS,
  type ProcedureCountField,
} from '../../../lib/labels';
import { PledgeTabs } from '../PledgePage';
import { useMemberState } from '../useMemberState';
import { ownFulfilment, paceState, type AmifRow, type FulfilmentCheck } from './fulfilmentModel';
import { implementationPath } from './shared';

type Progress = Fulfilment['total'];
type AdmissionType = (typeof ADMISSION_TYPES)[number];

const percentText = (percent: number | null) =>
  percent === null ? 'no contribution' : formatPercent(percent);

const CHECK_TONES: Readonly<Record<FulfilmentCheck['status'], StatusTone>> = {
  pass: 'success',
  info: 'info',
  warn: 'warning',
  fail: 'danger',
};

const CHECK_STATUS_LABELS: Readonly<Record<FulfilmentCheck['status'], string>> = {
  pass: 'Passed',
  info: 'For information',
  warn: 'Warning',
  fail: 'Failed',
};

const PACE_TEXT = {
  ahead: 'Ahead of the pace of the period',
  on_pace: 'On the pace of the period',
  behind: 'Behind the pace of the period (below 80 % of what the time elapsed would give)',
} as const;

/**
 * Admitted against a figure, as a bar with the pace marked: for the eye only, the same figures
 * are in words beside it.
 */
function ProgressBar({ progress }: { readonly progress: Progress }) {
  const scale = Math.max(progress.adopted, progress.admitted, 1);
  const share = (value: number) => `${Math.min(100, (value / scale) * 100)}%`;
  return (
    <>
      <div className="fulfilment-bar" aria-hidden="true">
        <div className="fulfilment-bar__admitted" style={{ width: share(progress.admitted) }} />
        <div className="fulfilment-bar__expected" style={{ left: share(progress.expectedByNow) }} />
      </div>
      <p className="fulfilment-bar__key" aria-hidden="true">
        The bar fills with the persons admitted, out of the contribution; the mark shows those
        expected by now.
      </p>
    </>
  );
}

function ProgressFigures({
  progress,
  months,
}: {
  readonly progress: Progress;
  readonly months?: { readonly planId: string; readonly missing: readonly string[] };
}) {
  return (
    <dl className="ministry-summary">
      <dt>Adopted contribution (as amended)</dt>
      <dd>{formatCount(progress.adopted)} persons</dd>
      <dt>Admitted so far</dt>
      <dd>
        {formatCount(progress.admitted)} persons ({percentText(progress.percent)})
      </dd>
      <dt>Remaining</dt>
      <dd>{formatCount(progress.remaining)} persons</dd>
      <dt>Expected by now</dt>
      <dd>{formatCount(progress.expectedByNow)} persons, at an even pace over the period</dd>
      <dt>Projected at the end of the period</dt>
      <dd>
        {progress.projectedAtEnd === null
          ? 'Not yet: the period has not begun'
          : `${formatCount(progress.projectedAtEnd)} persons, at the pace so far`}
      </dd>
      {progress.adopted > 0 && (
        <>
          <dt>Pace</dt>
          <dd>{PACE_TEXT[paceState(progress)]}</dd>
        </>
      )}
      {months !== undefined && (
        <>
          <dt>Months ended without a report</dt>
          <dd>
            {months.missing.length === 0 ? (
              'None'
            ) : (
              <ul className="inline-list">
                {months.missing.map((month) => (
                  <li key={month}>
                    <AsOfLink to={implementationPath(months.planId, month)}>
                      {formatMonth(month)}
                    </AsOfLink>
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </>
      )}
    </dl>
  );
}

interface TypeRow {
  readonly type: AdmissionType;
  readonly progress: Fulfilment['byAdmissionType'][AdmissionType];
}

const TYPE_COLUMNS: DataTableColumn<TypeRow>[] = [
  {
    key: 'type',
    header: 'Admission type',
    rowHeader: true,
    value: (row) => ADMISSION_TYPE_LABELS[row.type],
  },
  { key: 'adopted', header: 'Adopted', numeric: true, value: (row) => row.progress.adopted },
  { key: 'admitted', header: 'Admitted', numeric: true, value: (row) => row.progress.admitted },
  {
    key: 'percent',
    header: 'Percent',
    numeric: true,
    value: (row) => row.progress.percent,
    cell: (row) => percentText(row.progress.percent),
  },
  { key: 'remaining', header: 'Remaining', numeric: true, value: (row) => row.progress.remaining },
];

const AMIF_COLUMNS: DataTableColumn<AmifRow>[] = [
  { key: 'year', header: 'Year', rowHeader: true, value: (row) => String(row.year) },
  { key: 'resettled', header: 'Resettled', numeric: true, value: (row) => row.resettled },
  {
    key: 'humanitarian',
    header: 'Admitted on humanitarian grounds',
    numeric: true,
    value: (row) => row.humanitarian,
  },
  {
    key: 'groups',
    header: 'Of whom at the Art. 19(3) rate',
    numeric: true,
    value: (row) => row.humanitarianAtGroupRate,
  },
  {
    key: 'eur',
    header: 'Lump sums earned (EUR)',
    numeric: true,
    value: (row) => row.eur,
    cell: (row) => formatEuros(row.eur),
  },
];

interface ProcedureRow {
  readonly field: ProcedureCountField;
  readonly value: number | undefined;
}

const PROCEDURE_COLUMNS: DataTableColumn<ProcedureRow>[] = [
  {
    key: 'count',
    header: 'Count',
    rowHeader: true,
    value: (row) => PROCEDURE_COUNT_LABELS[row.field],
  },
  {
    key: 'value',
    header: 'Cases or persons',
    numeric: true,
    value: (row) => row.value,
    cell: (row) => (row.value === undefined ? 'Not reported' : formatCount(row.value)),
  },
];

/**
 * `/ministry/plans/:planId/fulfilment`: what we admitted against our adopted contribution, by
 * admission type and against the pace of the period, the months still to report, the AMIF lump
 * sums the reported admissions earn, and the plan's total for comparison.
 */
export function FulfilmentPage() {
  const { planId = '' } = useParams();
  const memberState = useMemberState();
  const plan = usePlan(planId);
  const adopted = plan.data?.status === 'adopted';
  const fulfilment = useFulfilment(planId);
  const notAvailable = fulfilment.error?.code === 'view_not_available';
  const problem = plan.error ?? (notAvailable ? null : fulfilment.error);
  const data = fulfilment.data;
  const own = data === undefined ? undefined : ownFulfilment(data, memberState);

  return (
    <>
      <PageHeader
        title={`Our fulfilment of plan ${planId}`}
        lead={`What ${memberState} has admitted against its contribution in the adopted plan, as the monthly reports say.`}
      />
      <PledgeTabs planId={planId} adopted={adopted} />
      {problem && (
        <ProblemAlert problem={problem.problem} title="The fulfilment could not be loaded" />
      )}
      {!problem && !notAvailable && fulfilment.isPending && (
        <Loading label="Loading the fulfilment" />
      )}
      {notAvailable && (
        <p className="ministry-notice">
          Plan {planId} is not adopted yet: its fulfilment is measured once the Council has adopted
          it.
        </p>
      )}
      {data && (
        <>
          <p>
            Measured at{' '}
            <time dateTime={data.referenceInstant}>{formatDateTime(data.referenceInstant)}</time>:{' '}
            {formatPercent(data.period.elapsedFraction * 100)} of the plan period has elapsed (
            {data.period.monthsEnded} of {data.period.months} months ended).
          </p>
          {own === undefined ? (
            <p className="ministry-notice">
              The adopted plan holds no contribution from {memberState}, and {memberState} has
              reported no admissions.
            </p>
          ) : (
            <>
              <section aria-labelledby="own-progress">
                <h2 id="own-progress">Our contribution</h2>
                {own.kind === 'associated_state' && (
                  <p className="ministry-notice">
                    {memberState} takes part as an associated state (Art. 12): its figures are in
                    their own section, in no plan total, check or AMIF figure.
                  </p>
                )}
                <ProgressBar progress={own.row} />
                <ProgressFigures
                  progress={own.row}
                  months={{ planId, missing: own.row.monthsMissing }}
                />
                <p>
                  Of the persons admitted, {formatCount(own.row.vulnerablePersons)} belong to the
                  Art. 19(3) groups and {formatCount(own.row.familyMembers)} were admitted as their
                  family members (Art. 19(5)).
                </p>
              </section>

              <DataTable
                caption={`By admission type: the contribution of ${memberState} and its admissions`}
                columns={TYPE_COLUMNS}
                rows={ADMISSION_TYPES.map((type) => ({
                  type,
                  progress: own.row.byAdmissionType[type],
                }))}
                rowKey={(row) => row.type}
                csvFileName={`fulfilment-${planId}-${memberState}-by-type`}
              />

              {own.checks.length > 0 && (
                <section aria-labelledby="own-checks">
                  <h2 id="own-checks">Checks that name {memberState}</h2>
                  <p>Reported for information: the tracker enforces none of them.</p>
                  <ul className="fulfilment-checks">
                    {own.checks.map((check) => (
                      <li key={check.id}>
                        <StatusBadge
                          label={CHECK_STATUS_LABELS[check.status]}
                          tone={CHECK_TONES[check.status]}
                        />{' '}
                        {check.message}
                      </li>
                    ))}
                  </ul>
                </section>
              )}

              {own.kind === 'member_state' && (
                <section aria-labelledby="own-amif">
                  <h2 id="own-amif">AMIF lump sums earned</h2>
                  <p>
                    Earned by the admissions reported, once per person (AMIF Art. 19):{' '}
                    {formatEuros(data.amif.rates.resettlementEur)} per person resettled,{' '}
                    {formatEuros(data.amif.rates.humanitarianAdmissionEur)} per person admitted on
                    humanitarian grounds,{' '}
                    {formatEuros(data.amif.rates.humanitarianAdmissionArticle19GroupsEur)} for those
                    in the Art. 19(3) groups and their family members. In all:{' '}
                    <strong>{formatEuros(own.row.amifEarnedEur)}</strong>.
                  </p>
                  <DataTable
                    caption={`AMIF lump sums earned by ${memberState}, by year`}
                    columns={AMIF_COLUMNS}
                    rows={own.amif}
                    rowKey={(row) => String(row.year)}
                    csvFileName={`amif-lump-sums-${planId}-${memberState}`}
                    emptyMessage="No admissions reported yet."
                  />
                </section>
              )}

              <section aria-labelledby="own-procedure">
                <h2 id="own-procedure">The admission procedure (Art. 9)</h2>
                <p>
                  Counts over every month reported; the cases still open are those of the latest
                  month that counted them.
                </p>
                <DataTable
                  caption={`The admission procedure of ${memberState}: counts reported`}
                  columns={PROCEDURE_COLUMNS}
                  rows={PROCEDURE_COUNT_FIELDS.map((field) => ({
                    field,
                    value: own.row.procedure[field],
                  }))}
                  rowKey={(row) => row.field}
                  csvFileName={`procedure-${planId}-${memberState}`}
                />
              </section>
            </>
          )}

          <section aria-labelledby="plan-total">
            <h2 id="plan-total">The whole plan</h2>
            <p>
              Every Member State’s contribution and admissions together (associated states apart).
            </p>
            <ProgressBar progress={data.total} />
            <ProgressFigures progress={data.total} />
          </section>
        </>
      )}
    </>
  );
}
