import {
  canonicalJson,
  canonicalJsonBytes,
  CanonicalJsonError,
} from '../../src/auditLog/canonicalJson';

/** The double whose IEEE-754 bits are `hex` (16 hex digits, big-endian). */
const fromIeeeHex = (hex: string): number => Buffer.from(hex, 'hex').readDoubleBE(0);

describe('RFC 8785 canonical JSON: the published test data', () => {
  // Inputs and expected outputs from the JCS reference test data, cyberphone/json-canonicalization
  // testdata/input/*.json and testdata/output/*.json (the RFC's author's repository). The inputs are
  // parsed with JSON.parse, as a consumer would, and must come out byte for byte as published.
  it.each([
    [
      'arrays',
      '[\n  56,\n  {\n    "d": true,\n    "10": null,\n    "1": [ ]\n  }\n]',
      '[56,{"1":[],"10":null,"d":true}]',
    ],
    [
      'french',
      '{\n  "peach": "This sorting order",\n  "péché": "is wrong according to French",\n  "pêche": "but canonicalization MUST",\n  "sin":   "ingnore locale"\n}\n',
      '{"peach":"This sorting order","péché":"is wrong according to French","pêche":"but canonicalization MUST","sin":"ingnore locale"}',
    ],
    [
      'structures',
      '{\n  "1": {"f": {"f": "hi","F": 5} ,"\\n": 56.0},\n  "10": { },\n  "": "empty",\n  "a": { },\n  "111": [ { } ],\n  "A": { }\n}',
      '{"":"empty","1":{"\\n":56,"f":{"F":5,"f":"hi"}},"10":{},"111":[{}],"A":{},"a":{}}',
    ],
    [
      'unicode',
      '{\n  "Unnormalized Unicode":"\\u1e0d\\u0307"\n}\n',
      '{"Unnormalized Unicode":"\u1e0d\u0307"}',
    ],
    [
      'values',
      '{\n  "numbers": [1E30, 4.50, 333333333.33333329, 2e-3, 0.000000000000000000000000001],\n  "escaping": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",\n  "literals": [null, true, false]\n}',
      '{"escaping":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/","literals":[null,true,false],"numbers":[1e+30,4.5,333333333.3333333,0.002,1e-27]}',
    ],
    [
      'weird',
      '{\n  "\\u20ac": "Euro Sign",\n  "1": "One",\n  "\\u0080": "Control\\u007f",\n  "\\ud83d\\ude02": "Smiley",\n  "\\u00f6": "Latin Small Letter O With Diaeresis",\n  "\\ufb33": "Hebrew Letter Dalet With Dagesh",\n  "</script>": "Browser Challenge"\n}\n',
      '{"1":"One","</script>":"Browser Challenge","\u0080":"Control\u007f","ö":"Latin Small Letter O With Diaeresis","€":"Euro Sign","\ud83d\ude02":"Smiley","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    ],
  ])('%s', (_name, input, expected) => {
    expect(canonicalJson(JSON.parse(input))).toBe(expected);
  });

  it('encodes as UTF-8 exactly as the published hex of the README sample (RFC 8785 §3.2.4)', () => {
    // cyberphone/json-canonicalization README: sample input, expected output and its UTF-8 bytes.
    const input = {
      numbers: [1e30, 4.5, 6, 2e-3, 0.000000000000000000000000001],
      escaping: '\u20ac$\u000F\u000aA\'\u0042\u0022\u005c\\"/',
      other: [null, true, false],
    };
    const hex =
      '7b 22 65 73 63 61 70 69 6e 67 22 3a 22 e2 82 ac 24 5c 75 30 30 30 66 5c 6e 41 27 42 5c 22 5c 5c' +
      ' 5c 5c 5c 22 2f 22 2c 22 6e 75 6d 62 65 72 73 22 3a 5b 31 65 2b 33 30 2c 34 2e 35 2c 36 2c 30 2e' +
      ' 30 30 32 2c 31 65 2d 32 37 5d 2c 22 6f 74 68 65 72 22 3a 5b 6e 75 6c 6c 2c 74 72 75 65 2c 66 61' +
      ' 6c 73 65 5d 7d';
    expect(Buffer.from(canonicalJsonBytes(input)).toString('hex')).toBe(hex.replace(/ /g, ''));
  });

  // RFC 8785 Appendix B ("Number Serialization Samples"): IEEE-754 bits and the expected text.
  it.each([
    ['0000000000000000', '0'],
    ['8000000000000000', '0'], // minus zero
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ])('number %s serializes as %s', (hex, expected) => {
    expect(canonicalJson(fromIeeeHex(hex))).toBe(expected);
  });

  it.each([['7fffffffffffffff'], ['7ff0000000000000'], ['fff0000000000000']])(
    'non-finite %s is refused (RFC 8785 Appendix B: NaN and Infinity are errors)',
    (hex) => {
      expect(() => canonicalJson(fromIeeeHex(hex))).toThrow(CanonicalJsonError);
    },
  );
});

describe('RFC 8785 canonical JSON: edge cases', () => {
  it('sorts keys by UTF-16 code units, so a surrogate pair sorts before U+E000..U+FFFF', () => {
    // U+1F602 is D83D DE02 in UTF-16, below U+FB33; by code point it would come after.
    const value = { '\ufb33': 1, '\ud83d\ude02': 2, z: 3, Z: 4, é: 5, '': 6 };
    expect(canonicalJson(value)).toBe('{"":6,"Z":4,"z":3,"é":5,"\ud83d\ude02":2,"\ufb33":1}');
  });

  it('keeps array order and canonicalizes nested arrays and objects', () => {
    expect(canonicalJson([[3, [2, { b: [1, { d: 0, c: [] }], a: null }]], [], {}])).toBe(
      '[[3,[2,{"a":null,"b":[1,{"c":[],"d":0}]}]],[],{}]',
    );
  });

  it('writes -0 as 0 and switches to exponent form at 1e21 like ECMAScript', () => {
    expect(canonicalJson([-0, 1e20, 1e21, 1e-6, 1e-7, 0.1 + 0.2, -1.5])).toBe(
      '[0,100000000000000000000,1e+21,0.000001,1e-7,0.30000000000000004,-1.5]',
    );
  });

  it('escapes the C0 controls with short forms where JSON has them, lowercase hex otherwise', () => {
    expect(canonicalJson('\b\t\n\f\r\u0000\u001f\u007f"\\/\u2028')).toBe(
      '"\\b\\t\\n\\f\\r\\u0000\\u001f\u007f\\"\\\\/\u2028"',
    );
  });

  it('serializes the scalars', () => {
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson(true)).toBe('true');
    expect(canonicalJson(false)).toBe('false');
    expect(canonicalJson('')).toBe('""');
    expect(canonicalJson(42)).toBe('42');
  });

  it('agrees with JSON.stringify on plain data once keys are sorted', () => {
    const value = { b: 'x\u0001y', a: [1.25, 'é', { y: null, x: true }] };
    expect(canonicalJson(value)).toBe('{"a":[1.25,"é",{"x":true,"y":null}],"b":"x\\u0001y"}');
    expect(JSON.parse(canonicalJson(value))).toEqual(value);
  });

  it.each([
    ['NaN', { a: [1, Number.NaN] }, /non-finite number NaN .*at \$\.a\[1\]/],
    ['Infinity', { a: Infinity }, /non-finite number Infinity .*at \$\.a/],
    ['undefined property', { a: { b: undefined } }, /undefined has no JSON form at \$\.a\.b/],
    ['undefined element', [1, undefined], /undefined .*at \$\[1\]/],
    // eslint-disable-next-line no-sparse-arrays
    ['hole in a sparse array', [1, , 3], /undefined .*at \$\[1\]/],
    ['top-level undefined', undefined, /undefined .*at \$/],
    ['bigint', { n: 1n }, /bigint .*at \$\.n/],
    ['function', { f: () => 1 }, /function .*at \$\.f/],
    ['symbol', Symbol('s'), /symbol/],
    ['Date', { at: new Date(0) }, /Date is not a plain JSON object at \$\.at/],
    ['Map', new Map(), /Map is not a plain JSON object/],
    ['lone high surrogate', { 'odd key': 'a\ud800' }, /lone high surrogate .*at \$\["odd key"\]/],
    ['lone low surrogate', '\udc00', /lone low surrogate/],
  ])('refuses %s with a clear error', (_name, value, message) => {
    expect(() => canonicalJson(value)).toThrow(CanonicalJsonError);
    expect(() => canonicalJson(value)).toThrow(message);
  });

  it('writes keys in code-unit order whatever order they were built or parsed in', () => {
    // JavaScript puts integer-like keys first, in numeric order; JCS sorts them as strings.
    const canonical = '{"1":[],"10":{"a":1,"b":[{"x":"é","y":-0.5}]},"9":null,"A":true,"a":"\\n"}';
    expect(canonicalJson(JSON.parse(canonical))).toBe(canonical);
    expect(
      canonicalJson({ a: '\n', A: true, 9: null, 10: { b: [{ y: -0.5, x: 'é' }], a: 1 }, 1: [] }),
    ).toBe(canonical);
    expect(canonicalJson({ b: 1, a: { d: 1, c: 2 } })).toBe('{"a":{"c":2,"d":1},"b":1}');
  });

  it('accepts objects without a prototype', () => {
    const value = Object.create(null) as Record<string, unknown>;
    value.b = 1;
    value.a = 2;
    expect(canonicalJson(value)).toBe('{"a":2,"b":1}');
  });
});

describe('RFC 8785 canonical JSON: every UTF-16 code unit', () => {
  /** RFC 8785 §3.2.2.2 written out for one code unit, independently of the serializer. */
  const jcsEscaped = (c: number): string => {
    const short: Record<number, string> = {
      0x08: '\\b',
      0x09: '\\t',
      0x0a: '\\n',
      0x0c: '\\f',
      0x0d: '\\r',
      0x22: '\\"',
      0x5c: '\\\\',
    };
    if (short[c] !== undefined) return short[c];
    if (c < 0x20) return `\\u${c.toString(16).padStart(4, '0')}`;
    return String.fromCharCode(c);
  };

  it('escapes every code unit outside the surrogates as the RFC says, in strings and keys', () => {
    const units: number[] = [];
    for (let c = 0; c <= 0xffff; c++) if (c < 0xd800 || c > 0xdfff) units.push(c);
    const all = String.fromCharCode(...units);
    const quoted = `"${units.map(jcsEscaped).join('')}"`;
    expect(canonicalJson(all)).toBe(quoted);
    expect(canonicalJson({ [all]: [all] })).toBe(`{${quoted}:[${quoted}]}`);
    const each = units.map((c) => String.fromCharCode(c));
    expect(canonicalJson(each)).toBe(`[${units.map((c) => `"${jcsEscaped(c)}"`).join(',')}]`);
  });

  it('keeps every surrogate pair and refuses every lone surrogate', () => {
    for (let high = 0xd800; high <= 0xdbff; high += 0x3f) {
      for (let low = 0xdc00; low <= 0xdfff; low += 0x3f) {
        const pair = String.fromCharCode(high, low);
        expect(canonicalJson({ k: pair })).toBe(`{"k":"${pair}"}`);
      }
      expect(() => canonicalJson({ k: [String.fromCharCode(high)] })).toThrow(
        /lone high surrogate .*at \$\.k\[0\]/,
      );
    }
    expect(() => canonicalJson({ [String.fromCharCode(0xdc00)]: 1 })).toThrow(/lone low surrogate/);
  });
});
