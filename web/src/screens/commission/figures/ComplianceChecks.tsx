import type { ReactNode } from 'react';
import { DataTable } from '../../../components/DataTable';
import { StatusBadge, type StatusTone } from '../../../components/StatusBadge';
import { formatCount, formatEuros, formatPercent } from '../../../lib/format';
import { ADMISSION_TYPE_LABELS, type ComplianceCheck } from '../labels';

type CheckStatus = ComplianceCheck['status'];

const STATUS: Readonly<Record<CheckStatus, { label: string; tone: StatusTone }>> = {
  pass: { label: 'Pass', tone: 'success' },
  info: { label: 'For information', tone: 'info' },
  warn: { label: 'Warning', tone: 'warning' },
  fail: { label: 'Fail', tone: 'danger' },
};

const TITLES: Readonly<Record<ComplianceCheck['id'], string>> = {
  resettlement_share: 'Resettlement share (Art. 8(3)(a))',
  priority_host_countries: 'Places outside the priority host countries (Art. 8(3)(c))',
  totals_reconcile: 'The totals reconcile',
  pending_revisions: 'Revisions waiting for an amendment',
  proposal_to_adoption: 'From proposal to adoption',
  indications_respected: 'Adopted contributions respect the indications (Art. 8(3)(b))',
  amif_lump_sums: 'AMIF lump sums: forecast',
};

const signed = (value: number) => (value > 0 ? `+${formatCount(value)}` : formatCount(value));
const percentOrNone = (value: number | null) =>
  value === null ? 'none (no places)' : formatPercent(value);
const countOrNone = (value: number | null) =>
  value === null ? 'not recorded' : formatCount(value);

/** A check's headline figures as name–value pairs. */
function Figures({ pairs }: { readonly pairs: readonly (readonly [string, ReactNode])[] }) {
  return (
    <dl className="facts facts--compact">
      {pairs.map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Each kind of check with the fields it carries, read out in words and tables. */
function CheckFigures({
  check,
  planId,
}: {
  readonly check: ComplianceCheck;
  readonly planId: string;
}) {
  switch (check.id) {
    case 'resettlement_share':
      return (
        <Figures
          pairs={[
            ['Resettlement places', formatCount(check.resettlement)],
            ['Total places', formatCount(check.total)],
            ['Share', percentOrNone(check.sharePercent)],
            [
              'Floor',
              `${formatPercent(check.floorPercent)}, ± ${formatCount(check.bandPercentagePoints)} percentage points for "approximately" (our reading, not the law's)`,
            ],
            [
              'Emergency places on a resettlement basis',
              formatCount(check.emergencyOnResettlementBasis),
            ],
            [
              'Share counting those too',
              percentOrNone(check.shareIncludingEmergencyOnResettlementBasisPercent),
            ],
          ]}
        />
      );
    case 'priority_host_countries':
      return (
        <>
          <Figures
            pairs={[
              ['Priority host countries', check.priorityCountries.join(', ') || 'None'],
              ['Priority UNHCR regions', check.priorityRegions.join(', ') || 'None'],
              ['Plan regions', check.planRegions.join(', ') || 'None'],
              ['Persons outside them', formatCount(check.outsidePersons)],
            ]}
          />
          {check.outside.length > 0 && (
            <DataTable
              caption="Lines outside the priorities"
              rows={check.outside}
              rowKey={(row, index) => `${row.memberState}-${row.host}-${index}`}
              csvFileName={`outside priorities ${planId}`}
              columns={[
                {
                  key: 'ms',
                  header: 'Member State',
                  rowHeader: true,
                  value: (row) => row.memberState,
                },
                { key: 'host', header: 'Host', value: (row) => row.host },
                {
                  key: 'outside',
                  header: 'Countries outside',
                  value: (row) => row.countriesOutside.join(', '),
                },
                {
                  key: 'type',
                  header: 'Admission type',
                  value: (row) => ADMISSION_TYPE_LABELS[row.admissionType],
                },
                { key: 'persons', header: 'Persons', numeric: true, value: (row) => row.persons },
              ]}
            />
          )}
        </>
      );
    case 'totals_reconcile':
      return (
        <Figures
          pairs={[
            ['Total', formatCount(check.total)],
            ['Sum of the lines', formatCount(check.linesSum)],
            ['Sum by Member State', formatCount(check.byMemberStateSum)],
            ['Sum by admission type', formatCount(check.byAdmissionTypeSum)],
            ['Sum by region', formatCount(check.byRegionSum)],
            ['Sum by country', formatCount(check.byCountrySum)],
          ]}
        />
      );
    case 'pending_revisions':
      return check.pending.length === 0 ? null : (
        <DataTable
          caption="Pledges revised after adoption"
          rows={check.pending}
          rowKey={(row) => row.memberState}
          csvFileName={`pending revisions ${planId}`}
          columns={[
            { key: 'ms', header: 'Member State', rowHeader: true, value: (row) => row.memberState },
            { key: 'adopted', header: 'Adopted', numeric: true, value: (row) => row.adopted },
            { key: 'pledged', header: 'Pledged now', numeric: true, value: (row) => row.pledged },
            {
              key: 'delta',
              header: 'Difference',
              numeric: true,
              value: (row) => row.delta,
              cell: (row) => signed(row.delta),
            },
          ]}
        />
      );
    case 'proposal_to_adoption':
      return (
        <>
          <Figures
            pairs={[
              ['Proposed', countOrNone(check.proposedTotal)],
              ['Adopted', countOrNone(check.adoptedTotal)],
              ['Difference', check.delta === null ? 'not known' : signed(check.delta)],
              ['After amendments', countOrNone(check.adoptedAfterAmendmentsTotal)],
              ['Adopted above the proposal', check.aboveProposal.join(', ') || 'None'],
            ]}
          />
          {check.byMemberState.length > 0 && (
            <DataTable
              caption="Proposal and adoption by Member State (check)"
              rows={check.byMemberState}
              rowKey={(row) => row.memberState}
              csvFileName={`proposal to adoption check ${planId}`}
              columns={[
                {
                  key: 'ms',
                  header: 'Member State',
                  rowHeader: true,
                  value: (row) => row.memberState,
                },
                {
                  key: 'proposed',
                  header: 'Proposed',
                  numeric: true,
                  value: (row) => row.proposed,
                },
                { key: 'adopted', header: 'Adopted', numeric: true, value: (row) => row.adopted },
                {
                  key: 'delta',
                  header: 'Difference',
                  numeric: true,
                  value: (row) => row.delta,
                  cell: (row) => signed(row.delta),
                },
              ]}
            />
          )}
        </>
      );
    case 'indications_respected':
      return check.rows.length === 0 ? null : (
        <DataTable
          caption="Contributions compared with the indications"
          rows={check.rows}
          rowKey={(row, index) => `${row.memberState}-${row.admissionType}-${index}`}
          csvFileName={`indications respected ${planId}`}
          columns={[
            { key: 'ms', header: 'Member State', rowHeader: true, value: (row) => row.memberState },
            {
              key: 'type',
              header: 'Admission type',
              value: (row) => ADMISSION_TYPE_LABELS[row.admissionType],
            },
            {
              key: 'contribution',
              header: 'Contribution',
              numeric: true,
              value: (row) => row.contribution,
            },
            {
              key: 'indication',
              header: 'Indication',
              numeric: true,
              value: (row) => row.indication,
            },
            {
              key: 'delta',
              header: 'Difference',
              numeric: true,
              value: (row) => row.delta,
              cell: (row) => signed(row.delta),
            },
            {
              key: 'status',
              header: 'Finding',
              value: (row) => (row.status === 'fail' ? 'Above the indication' : 'For information'),
            },
            { key: 'act', header: 'Act', value: (row) => row.actReference },
          ]}
        />
      );
    case 'amif_lump_sums':
      return (
        <>
          <Figures
            pairs={[
              ['Forecast', 'Paid only after actual admission (AMIF Art. 19)'],
              ['At least', formatEuros(check.minEur)],
              ['At most', formatEuros(check.maxEur)],
            ]}
          />
          {check.byMemberState.length > 0 && (
            <DataTable
              caption="AMIF forecast by Member State"
              rows={check.byMemberState}
              rowKey={(row) => row.memberState}
              csvFileName={`amif forecast ${planId}`}
              columns={[
                {
                  key: 'ms',
                  header: 'Member State',
                  rowHeader: true,
                  value: (row) => row.memberState,
                },
                { key: 'persons', header: 'Persons', numeric: true, value: (row) => row.persons },
                {
                  key: 'min',
                  header: 'At least (EUR)',
                  numeric: true,
                  value: (row) => row.minEur,
                },
                {
                  key: 'max',
                  header: 'At most (EUR)',
                  numeric: true,
                  value: (row) => row.maxEur,
                },
              ]}
            />
          )}
        </>
      );
  }
}

/** Every compliance check of the view: its verdict in words, its message, its figures. */
export function ComplianceChecks({
  checks,
  planId,
}: {
  readonly checks: readonly ComplianceCheck[];
  readonly planId: string;
}) {
  return (
    <ul className="checks">
      {checks.map((check) => (
        <li key={check.id} className={`check check--${check.status}`}>
          <h3 className="check__title">
            {TITLES[check.id]}{' '}
            <StatusBadge label={STATUS[check.status].label} tone={STATUS[check.status].tone} />
          </h3>
          <p>{check.message}</p>
          <CheckFigures check={check} planId={planId} />
        </li>
      ))}
    </ul>
  );
}
