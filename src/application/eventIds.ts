import { v7 as uuidv7 } from 'uuid';

/**
 * A new event's id: a UUID v7, time-ordered, so the events of a commit (and of the commits after
 * it) land side by side in the store's unique index of event ids, rather than each on a random
 * page of it that the commit must then write out. Ids stored earlier (v4) stay as they are: the
 * index orders them all the same.
 */
export function newEventId(): string {
  return uuidv7();
}
