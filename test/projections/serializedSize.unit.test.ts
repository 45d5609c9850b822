/**
 * The storage quota weighs an event's data as `Buffer.byteLength(JSON.stringify(data), 'utf8')`;
 * the walk that counts it without building the string must give that figure for any value.
 */
import { serializedByteLength } from '../../src/projections/serializedSize';

const stringified = (value: unknown): number =>
  Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');

/** A small deterministic generator, so a failure names a case that can be replayed. */
function randomFrom(seed: number) {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  return {
    next,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
  };
}

const STRINGS = [
  '',
  'AT',
  'resettlement',
  'Corrected the split between the two years of the plan',
  'quote " and backslash \\',
  'tab\tnew line\ncarriage\rform\fback\b',
  '\u0000\u001f\u007f',
  'Οικογένειες',
  'Flüchtlinge',
  '😀 emoji',
  'lone \ud83d high',
  'lone \ude00 low',
  '\u2028\u2029',
  '<script>&amp;</script>',
];

const NUMBERS = [0, -0, 1, -1, 42, 1.5, 0.1, 1e21, 1e-7, 123456789012345, 2 ** 53, NaN, Infinity];

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

const ODD = [
  undefined,
  () => 1,
  Symbol('s'),
  new Date(Date.UTC(2026, 0, 2)),
  { toJSON: () => ({ replaced: true }) },
  new Point(1, 2),
  Object.assign(Object.create(null) as object, { bare: 'object' }),
  new Map([['a', 1]]),
  Object.assign(new Array<number>(3), { 0: 1, 2: 3 }),
  new Number(3),
  new String('boxed'),
];

function randomValue(random: ReturnType<typeof randomFrom>, depth: number): unknown {
  const roll = random.next();
  if (depth > 3 || roll < 0.3) {
    return random.pick([...STRINGS, ...NUMBERS, true, false, null]);
  }
  if (roll < 0.38) return random.pick(ODD);
  if (roll < 0.65) {
    return Array.from({ length: Math.floor(random.next() * 5) }, () =>
      randomValue(random, depth + 1),
    );
  }
  const object: Record<string, unknown> = {};
  const members = Math.floor(random.next() * 6);
  for (let member = 0; member < members; member++) {
    object[random.pick([...STRINGS, 'planId', 'lines', '2', '10'])] = randomValue(
      random,
      depth + 1,
    );
  }
  return object;
}

describe('serializedByteLength', () => {
  it.each([
    ['an event data object', { planId: '2026-2027', memberState: 'AT', lines: [{ persons: 10 }] }],
    ['an empty object', {}],
    ['an empty array', []],
    ['a string needing escapes', 'a "quoted"\nline'],
    ['multi-byte characters', 'Οικογένειες 😀'],
    ['a lone surrogate', '\ud800'],
    ['undefined members, skipped', { a: undefined, b: 1, c: () => 1 }],
    ['undefined items, written as null', [undefined, () => 1, Symbol('s')]],
    ['a date, through its toJSON', { at: new Date(Date.UTC(2026, 0, 2)) }],
    ['non-finite numbers, written as null', [NaN, Infinity, -Infinity]],
    ['integer-like keys, written first', { b: 1, 2: 2, a: 3, 1: 4 }],
  ])('gives what JSON.stringify gives for %s', (_what, value) => {
    expect(serializedByteLength(value)).toBe(stringified(value));
  });

  it('gives what JSON.stringify gives for thousands of random values', () => {
    const random = randomFrom(7);
    for (let round = 0; round < 5_000; round++) {
      const value = randomValue(random, 0);
      if (value === undefined || typeof value === 'function' || typeof value === 'symbol') {
        continue;
      }
      expect({ value, size: serializedByteLength(value) }).toEqual({
        value,
        size: stringified(value),
      });
    }
  });

  it('throws where JSON.stringify throws', () => {
    expect(() => serializedByteLength({ amount: BigInt(1) })).toThrow(TypeError);
  });
});
