/**
 * What the tracker tells the EventStoreDB adapter, kept apart from it so that a thread that never
 * talks to EventStoreDB need not load the gRPC client to know it.
 */
import type { Config } from '../config/config';

/**
 * The categories (stream name up to the first `-`) of the tracker's streams: pledges, the union
 * plan, implementation reports. On a database shared with other writers, events of any other
 * category are theirs: reads of the log skip and count them.
 */
export const TRACKER_STREAM_CATEGORIES: readonly string[] = [
  'pledge',
  'unionPlan',
  'implementation',
];

/**
 * The connection string with the user of EVENTSTORE_USERNAME / EVENTSTORE_PASSWORD, if set,
 * percent-encoded into it (the client decodes them): a password with `: @ % / ? # &` cannot be
 * written into a URL as it is, and an environment or compose file cannot encode it.
 */
export function eventStoreDbConnectionString(
  config: Pick<
    Config,
    'EVENTSTORE_CONNECTION_STRING' | 'EVENTSTORE_USERNAME' | 'EVENTSTORE_PASSWORD'
  >,
): string {
  const connectionString = config.EVENTSTORE_CONNECTION_STRING ?? '';
  const { EVENTSTORE_USERNAME: username, EVENTSTORE_PASSWORD: password } = config;
  if (username === undefined || password === undefined) return connectionString;
  const credentials = `${encodeURIComponent(username)}:${encodeURIComponent(password)}@`;
  return connectionString.replace(/^(esdb(?:\+discover)?:\/\/)/, `$1${credentials}`);
}
