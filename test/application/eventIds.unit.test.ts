import { newEventId } from '../../src/application/eventIds';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newEventId', () => {
  it('draws version 7 UUIDs in the order they are drawn, so new ids sort after older ones', () => {
    const ids = Array.from({ length: 500 }, () => newEventId());

    for (const id of ids) expect(id).toMatch(UUID);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
