import { DataTable } from '../../../components/DataTable';
import { StatusBadge, type StatusTone } from '../../../components/StatusBadge';
import { formatCount } from '../../../lib/format';
import type { FulfilmentCheck } from './fulfilmentApi';
import { checkCellValue, checkColumnLabel, checkColumns } from './fulfilmentModel';

type CheckStatus = FulfilmentCheck['status'];
type CheckRow = FulfilmentCheck['rows'][number];

const STATUS: Readonly<Record<CheckStatus, { label: string; tone: StatusTone }>> = {
  pass: { label: 'Pass', tone: 'success' },
  info: { label: 'For information', tone: 'info' },
  warn: { label: 'Warning', tone: 'warning' },
  fail: { label: 'Fail', tone: 'danger' },
};

/** What each check asks, with the Article it reads; reported, never enforced. */
export const FULFILMENT_CHECK_TITLES: Readonly<Record<FulfilmentCheck['id'], string>> = {
  admissions_above_contribution:
    'Admissions above the contribution (a Member State may then stop, Art. 9(11)(a))',
  behind_pace: 'Behind the pace of the period',
  months_without_report: 'Months without a report',
  procedure_deadlines: 'Procedure deadlines passed (Art. 9(9), 9(10), 9(20))',
  admissions_outside_plan_regions:
    "Admissions from outside the plan's regions and third countries (Art. 8(3)(c), 8(5))",
  totals_reconcile: 'The totals reconcile',
};

function checkTitle(id: string): string {
  return (FULFILMENT_CHECK_TITLES as Readonly<Record<string, string>>)[id] ?? id;
}

/** A check with one row of many figures (the reconciliation) reads down, a figure a row. */
function CheckFiguresDown({
  check,
  planId,
}: {
  readonly check: FulfilmentCheck;
  readonly planId: string;
}) {
  const row = check.rows[0] ?? {};
  return (
    <DataTable
      caption={`Figures of the check: ${checkTitle(check.id)}`}
      rows={Object.keys(row)}
      rowKey={(key) => key}
      csvFileName={`check ${check.id} ${planId}`}
      columns={[
        {
          key: 'figure',
          header: 'Figure',
          rowHeader: true,
          value: (key) => checkColumnLabel(key, check.id),
        },
        {
          key: 'value',
          header: 'Value',
          numeric: true,
          value: (key) => checkCellValue(key, row[key]),
        },
      ]}
    />
  );
}

/** A check's rows as a table whose columns are the fields the rows carry. */
function CheckRows({
  check,
  planId,
}: {
  readonly check: FulfilmentCheck;
  readonly planId: string;
}) {
  const keys = checkColumns(check.rows);
  if (check.rows.length === 1 && keys.length > 5) {
    return <CheckFiguresDown check={check} planId={planId} />;
  }
  return (
    <DataTable<CheckRow>
      caption={`Figures of the check: ${checkTitle(check.id)}`}
      rows={check.rows}
      rowKey={(_, index) => String(index)}
      csvFileName={`check ${check.id} ${planId}`}
      columns={keys.map((key, index) => ({
        key,
        header: checkColumnLabel(key, check.id),
        rowHeader: index === 0,
        numeric: check.rows.some((row) => typeof row[key] === 'number'),
        value: (row) => checkCellValue(key, row[key]),
        cell: (row) => {
          const value = checkCellValue(key, row[key]);
          return typeof value === 'number' ? formatCount(value) : (value ?? '');
        },
      }))}
    />
  );
}

/** Every fulfilment check: its verdict in words, its message, the figures behind it. */
export function FulfilmentChecks({
  checks,
  planId,
}: {
  readonly checks: readonly FulfilmentCheck[];
  readonly planId: string;
}) {
  return (
    <ul className="checks">
      {checks.map((check) => (
        <li key={check.id} className={`check check--${check.status}`}>
          <h3 className="check__title">
            {checkTitle(check.id)}{' '}
            <StatusBadge label={STATUS[check.status].label} tone={STATUS[check.status].tone} />
          </h3>
          <p>{check.message}</p>
          {check.rows.length > 0 && <CheckRows check={check} planId={planId} />}
        </li>
      ))}
    </ul>
  );
}
