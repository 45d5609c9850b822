import type { Schema } from '../../api/client';
import { DataTable, type DataTableColumn } from '../../components/DataTable';
import { StatusBadge } from '../../components/StatusBadge';
import { formatCount, formatDateTime } from '../../lib/format';
import { ADMISSION_TYPE_LABELS, ADMISSION_TYPES } from './labels';

type PledgeView = Schema<'PledgeView'>;

const COLUMNS: readonly DataTableColumn<PledgeView>[] = [
  {
    key: 'memberState',
    header: 'Participant',
    rowHeader: true,
    value: (pledge) => pledge.memberState,
  },
  {
    key: 'status',
    header: 'Status',
    value: (pledge) =>
      pledge.status === 'withdrawn'
        ? 'Withdrawn'
        : pledge.pendingAmendment
          ? 'Revised after adoption: waits for an amendment'
          : 'Active',
    cell: (pledge) =>
      pledge.status === 'withdrawn' ? (
        <StatusBadge label="Withdrawn" tone="neutral" />
      ) : pledge.pendingAmendment ? (
        <StatusBadge label="Pending amendment" tone="warning" />
      ) : (
        <StatusBadge label="Active" tone="success" />
      ),
  },
  ...ADMISSION_TYPES.map((type): DataTableColumn<PledgeView> => ({
    key: type,
    header: ADMISSION_TYPE_LABELS[type],
    numeric: true,
    value: (pledge) => pledge.byAdmissionType[type],
  })),
  { key: 'total', header: 'Total', numeric: true, value: (pledge) => pledge.total },
  { key: 'version', header: 'Version', numeric: true, value: (pledge) => pledge.version },
  {
    key: 'updatedAt',
    header: 'Last change',
    value: (pledge) => pledge.updatedAt,
    cell: (pledge) => <time dateTime={pledge.updatedAt}>{formatDateTime(pledge.updatedAt)}</time>,
  },
];

/** The pledges in a table; the footer sums the active ones (a withdrawn pledge counts for none). */
function PledgeTable({
  caption,
  pledges,
  csvFileName,
  emptyMessage,
}: {
  readonly caption: string;
  readonly pledges: readonly PledgeView[];
  readonly csvFileName: string;
  readonly emptyMessage: string;
}) {
  const active = pledges.filter((pledge) => pledge.status === 'active');
  const sum = (pick: (pledge: PledgeView) => number) =>
    formatCount(active.reduce((total, pledge) => total + pick(pledge), 0));
  return (
    <DataTable<PledgeView>
      caption={caption}
      columns={COLUMNS}
      rows={pledges}
      rowKey={(pledge) => pledge.memberState}
      csvFileName={csvFileName}
      emptyMessage={emptyMessage}
      footer={
        pledges.length > 0 ? (
          <tr>
            <th scope="row">Active pledges</th>
            <td>{active.length}</td>
            {ADMISSION_TYPES.map((type) => (
              <td key={type} className="numeric">
                {sum((pledge) => pledge.byAdmissionType[type])}
              </td>
            ))}
            <td className="numeric">{sum((pledge) => pledge.total)}</td>
            <td />
            <td />
          </tr>
        ) : undefined
      }
    />
  );
}

/** What the Member States indicated, and apart from them what associated states indicated. */
export function PledgesReceived({
  planId,
  pledges,
}: {
  readonly planId: string;
  readonly pledges: Schema<'PledgeList'>;
}) {
  return (
    <section aria-labelledby="pledges-received">
      <h2 id="pledges-received">Pledges received</h2>
      <PledgeTable
        caption="Member States' pledges"
        pledges={pledges.pledges}
        csvFileName={`pledges ${planId}`}
        emptyMessage="No Member State has pledged yet."
      />
      <h3>Associated states (Art. 12)</h3>
      <p className="note">
        Associated states&apos; indications are outside the plan&apos;s total and its resettlement
        share.
      </p>
      <PledgeTable
        caption="Associated states' indications"
        pledges={pledges.associatedStates}
        csvFileName={`associated states ${planId}`}
        emptyMessage="No associated state has indicated participation."
      />
    </section>
  );
}
