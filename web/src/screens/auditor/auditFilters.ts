/**
 * The audit feed's filters live in the page's URL query, so a filtered view can be bookmarked and
 * shared; the same names as the API's query (`planId`, `memberState`, `actor`, `type`, `from`,
 * `to`, `after`, `limit`), so the URL reads like the request it makes. `asOf` belongs to time
 * travel and is left alone.
 */

/** What the form edits: each field as typed; the empty string means "any". */
export interface AuditFilterForm {
  readonly planId: string;
  readonly memberState: string;
  readonly actor: string;
  readonly type: string;
  /** `YYYY-MM-DD`: the first day (UTC) the period covers. */
  readonly fromDate: string;
  /** `HH:MM` (UTC), optional: the period starts at this minute of `fromDate`. */
  readonly fromTime: string;
  readonly toDate: string;
  /** `HH:MM` (UTC), optional: the period ends with this minute of `toDate`. */
  readonly toTime: string;
  readonly limit: string;
}

export const PAGE_SIZES = ['20', '50', '100', '200'] as const;
export const DEFAULT_PAGE_SIZE = '50';

export const EMPTY_FILTERS: AuditFilterForm = {
  planId: '',
  memberState: '',
  actor: '',
  type: '',
  fromDate: '',
  fromTime: '',
  toDate: '',
  toTime: '',
  limit: DEFAULT_PAGE_SIZE,
};

/** The query keys this page owns; `asOf` and anything else in the URL is kept as it is. */
export const FEED_PARAMS = [
  'planId',
  'memberState',
  'actor',
  'type',
  'from',
  'to',
  'after',
  'limit',
] as const;

export type FeedQuery = Partial<Record<(typeof FEED_PARAMS)[number], string>>;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}/;

/** Problems with the form, by field, before anything is sent. */
export type FilterErrors = Partial<Record<keyof AuditFilterForm, string>>;

export function validateFilters(form: AuditFilterForm): FilterErrors {
  const errors: { -readonly [Key in keyof FilterErrors]: FilterErrors[Key] } = {};
  if (form.fromTime && !form.fromDate) errors.fromDate = 'Enter the day the time belongs to.';
  if (form.toTime && !form.toDate) errors.toDate = 'Enter the day the time belongs to.';
  if (form.fromDate && !DATE.test(form.fromDate)) errors.fromDate = 'Enter a date like 2026-01-31.';
  if (form.toDate && !DATE.test(form.toDate)) errors.toDate = 'Enter a date like 2026-01-31.';
  const from = boundValue(form.fromDate, form.fromTime, 'from');
  const to = boundValue(form.toDate, form.toTime, 'to');
  if (
    from &&
    to &&
    !errors.fromDate &&
    !errors.toDate &&
    boundInstant(from, 'from') > boundInstant(to, 'to')
  ) {
    errors.toDate = 'The end of the period comes before its start.';
  }
  return errors;
}

/**
 * A day alone is the whole day (the API takes `from` as its start and `to` as its end, UTC); a day
 * and a minute is that minute, `to` including all of it.
 */
function boundValue(date: string, time: string, bound: 'from' | 'to'): string | undefined {
  if (!date) return undefined;
  const minute = time.match(TIME)?.[0];
  if (!minute) return date;
  return bound === 'from' ? `${date}T${minute}:00Z` : `${date}T${minute}:59.999Z`;
}

function boundInstant(value: string, bound: 'from' | 'to'): number {
  if (DATE.test(value)) {
    return Date.parse(`${value}${bound === 'from' ? 'T00:00:00.000Z' : 'T23:59:59.999Z'}`);
  }
  return Date.parse(value);
}

/** The form as the page's query (first page: no `after`). Empty fields are left out. */
export function formToQuery(form: AuditFilterForm): FeedQuery {
  const query: { -readonly [Key in keyof FeedQuery]: FeedQuery[Key] } = {};
  const set = (key: keyof FeedQuery, value: string | undefined) => {
    const trimmed = value?.trim();
    if (trimmed) query[key] = trimmed;
  };
  set('planId', form.planId);
  set('memberState', form.memberState);
  set('actor', form.actor);
  set('type', form.type);
  set('from', boundValue(form.fromDate, form.fromTime, 'from'));
  set('to', boundValue(form.toDate, form.toTime, 'to'));
  if (form.limit && form.limit !== DEFAULT_PAGE_SIZE) query.limit = form.limit;
  return query;
}

/** The page's query read back into the form, so the form shows what the table shows. */
export function queryToForm(params: URLSearchParams): AuditFilterForm {
  const [fromDate, fromTime] = splitBound(params.get('from'));
  const [toDate, toTime] = splitBound(params.get('to'));
  return {
    planId: params.get('planId') ?? '',
    memberState: params.get('memberState') ?? '',
    actor: params.get('actor') ?? '',
    type: params.get('type') ?? '',
    fromDate,
    fromTime,
    toDate,
    toTime,
    limit: params.get('limit') ?? DEFAULT_PAGE_SIZE,
  };
}

function splitBound(value: string | null): [date: string, time: string] {
  if (!value) return ['', ''];
  const [date = '', rest = ''] = value.split('T');
  return [date, rest.match(TIME)?.[0] ?? ''];
}

/** The feed query in the URL: what the API is asked. */
export function readFeedQuery(params: URLSearchParams): FeedQuery {
  const query: { -readonly [Key in keyof FeedQuery]: FeedQuery[Key] } = {};
  for (const key of FEED_PARAMS) {
    const value = params.get(key);
    if (value) query[key] = value;
  }
  return query;
}

/** `params` with the feed's own keys replaced by `query`, every other key (`asOf`) kept. */
export function withFeedQuery(params: URLSearchParams, query: FeedQuery): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const key of FEED_PARAMS) next.delete(key);
  for (const key of FEED_PARAMS) {
    const value = query[key];
    if (value !== undefined) next.set(key, value);
  }
  return next;
}

/** True when any filter (not the paging) narrows the feed. */
export function isFiltered(query: FeedQuery): boolean {
  return FEED_PARAMS.some((key) => key !== 'after' && key !== 'limit' && query[key] !== undefined);
}
