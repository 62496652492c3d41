/**
 * Fuzzing the page's URL (fast-check): every reader of `location.search` — the hyperparameters
 * (configFromQuery for the experiments view, rawFromQuery + parseConfig for the form: the table's
 * names, `backend` and `trainSize` among them), a shared run's result (`run=`), the language
 * (`lang=`) — meets random query strings: the real names and random ones, repeated, in other cases
 * or percent-encoded; values huge, negative, fractional, NaN, Infinity, hex, unicode, 10,000
 * characters long, half-encoded. Each gives a configuration within the table's bounds (a field the
 * URL got wrong keeps its default and gets a reason), a result within range or a reason, and a
 * language the page speaks; never a throw, never a hang. (`debug` is only ever tested for presence.)
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mutatedBytes, quick } from '../../scripts/fuzz';
import { LANG_PARAM, LANGUAGES, chooseLanguage, withLanguage } from '../i18n/language';
import {
  ACTIVATIONS,
  BACKENDS,
  configErrorText,
  configFromQuery,
  configToQuery,
  DEFAULT_CONFIG,
  NORMALIZATIONS,
  OPTIMIZERS,
  parseConfig,
  PARAMS,
  type ParamSpec,
  type TrainConfig,
} from '../shared/trainConfig';
import { englishText } from './localMessage';
import { encodeSummary, RUN_PARAM, runLink, sharedRunFromQuery, type SharedRunSummary } from './runHistoryLink';
import { rawFromQuery } from './useConfigForm';

/** Is `value` what the table allows for `spec`? Written from the table, not from the parser. */
function allowed(spec: ParamSpec, value: unknown): boolean {
  switch (spec.kind) {
    case 'int':
      return Number.isInteger(value) && (value as number) >= spec.min && (value as number) <= spec.max;
    case 'float': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return false;
      return (spec.minExclusive ? value > spec.min : value >= spec.min) && (spec.maxExclusive ? value < spec.max : value <= spec.max);
    }
    case 'enum':
      return (spec.options as readonly unknown[]).includes(value);
    case 'intList':
      return (
        Array.isArray(value) &&
        value.length <= spec.maxLength &&
        value.every((u) => Number.isInteger(u) && (u as number) >= spec.min && (u as number) <= spec.max)
      );
  }
}

/** Fails the property with `what` unless `ok` (vitest's expect costs ~40 µs a call: 40 checks x 10,000 inputs would take 15 s). */
function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(what);
}
const same = (a: unknown, b: unknown, what: string) =>
  check(isDeepStrictEqual(a, b), `${what}: ${JSON.stringify(a)} is not ${JSON.stringify(b)}`);

/** What every reader makes of `search`; fails on a throw, a hang, or anything out of bounds. */
function readsOrRefuses(search: string): void {
  const params = new URLSearchParams(search);
  const { config, errors } = quick(() => configFromQuery(search));
  for (const spec of PARAMS) {
    const asked = params.get(spec.key);
    check(allowed(spec, config[spec.key]), `${spec.key} = ${JSON.stringify(config[spec.key])} is outside the table`);
    const error = errors[spec.key];
    if (asked === null || error) {
      // Not in the URL, or refused: the recipe's value, and a reason only for what the URL asked.
      same(config[spec.key], DEFAULT_CONFIG[spec.key], `${spec.key} not taken from the URL`);
      if (asked === null) check(error === undefined, `${spec.key}: a reason for a value the URL did not give`);
      else check(new RegExp(`^${spec.label}\\b.{10,}`).test(configErrorText(spec.key, error!)), `${spec.key}: no reason`);
    }
  }
  check(
    Object.keys(errors).every((k) => params.has(k)),
    'a reason for a name the URL did not give',
  );
  // What was taken reads back from the link the page writes, and the form sees the same URL.
  same(configFromQuery(configToQuery(config, search)), { config, errors: {} }, 'the link written back');
  same(
    quick(() => parseConfig(rawFromQuery(search))),
    { config, errors },
    'the form',
  );

  const shared = quick(() => sharedRunFromQuery(search));
  if (!params.has(RUN_PARAM)) check(shared === null, 'a result without run=');
  else if (shared && 'summary' in shared) {
    const s = shared.summary;
    check(s.testAccuracy >= 0 && s.testAccuracy <= 1, 'accuracy out of range');
    check(s.testLoss >= 0 && s.testLoss <= 100, 'loss out of range');
    check(s.epochsRun > 0 && s.epochsRun <= 10_000, 'epochs out of range');
    check(s.seconds >= 0 && s.seconds <= 1e6, 'time out of range');
    check(['done', 'early-stopped', 'stopped'].includes(s.state), 'unknown state');
  } else {
    check(shared?.error.key === 'experiments.link.ignored', 'no reason for a bad run=');
    // The value is quoted, cut to 40 characters: a 10,000-character one does not fill the page.
    const text = englishText(shared!.error);
    check(text.length > 10 && text.length < 200, `reason ${JSON.stringify(text)}`);
  }

  const lang = quick(() => chooseLanguage(search, null, ['en-GB']));
  check((LANGUAGES as readonly string[]).includes(lang.lang), `language ${lang.lang}`);
  const askedLang = params.get(LANG_PARAM);
  if (askedLang === null) same(lang, { lang: 'en', source: 'browser', refused: null }, 'language without lang=');
  else if (lang.refused === null) same(lang, { lang: askedLang, source: 'url', refused: null }, 'language from lang=');
  else same(lang.refused, askedLang.slice(0, 40), 'refused language');
  for (const l of LANGUAGES) {
    const next = quick(() => withLanguage(search, l));
    same(new URLSearchParams(next).get(LANG_PARAM), askedLang === null ? null : l, 'lang= after the switch');
  }
}

const names = [...PARAMS.map((p) => p.key), RUN_PARAM, LANG_PARAM, 'debug'];
const key = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...names) },
  fc.constantFrom(...names).map((n) => n.toUpperCase()),
  fc.constantFrom(...names).map((n) => [...n].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('')),
  fc.string({ maxLength: 12 }),
  fc.constantFrom('', '=', '&', '%', '__proto__', 'constructor', 'toString', 'hasOwnProperty'),
);
/** The table's own edges: each bound, just inside and just outside it. */
const edges = PARAMS.flatMap((p) =>
  p.kind === 'int' || p.kind === 'intList'
    ? [p.min - 1, p.min, p.min + 1, p.max - 1, p.max, p.max + 1]
    : p.kind === 'float'
      ? [p.min, p.max, (p.min + p.max) / 2, p.min - 1e-9, p.max + 1e-9, p.min + 1e-12, p.max - 1e-12]
      : [],
).map(String);
const numberText = fc.oneof(
  fc.constantFrom(...edges),
  fc.constantFrom(
    '0',
    '-0',
    '1',
    '-1',
    '100',
    '99',
    '200',
    '201',
    '4096',
    '48000',
    '48001',
    '2147483647',
    '2147483648',
    '1e9',
    '1e308',
    '1e400',
    '-1e400',
    '1e-320',
    '0.5',
    '.5',
    '5.',
    '1.0',
    '0x10',
    '0b1',
    '1_000',
    'NaN',
    'Infinity',
    '-Infinity',
    ' 5 ',
    '+5',
    '١٢',
    '１２',
    '9'.repeat(400),
  ),
  fc.double().map(String),
  fc.integer().map(String),
  fc.bigInt().map(String),
);
const value = fc.oneof(
  { weight: 3, arbitrary: numberText },
  fc.constantFrom(...OPTIMIZERS, ...ACTIVATIONS, ...NORMALIZATIONS, ...BACKENDS, ...LANGUAGES, 'ADAM', 'zh', 'en-US', 'klingon'),
  fc.array(numberText, { maxLength: 10 }).map((a) => a.join(',')),
  // Layer lists around the table's most layers, of widths within and just outside its bounds.
  fc.array(fc.integer({ min: 0, max: 1025 }), { minLength: 6, maxLength: 11 }).map((a) => a.join(',')),
  fc.constantFrom('64,64', '', ',', '64,', ',64', '1,'.repeat(5000), '64;64', '64 64', '[64,64]'),
  fc.constantFrom('96.69_0.1961_10_d_14.8', '100_0_1_e_0', '100.1_0_1_d_1', '1_1_0_s_1', '1_1_1_x_1', '1e2_0_1_d_1', '9'.repeat(10_000)),
  fc.tuple(numberText, numberText, numberText, fc.constantFrom('d', 'e', 's', 'x'), numberText).map((p) => p.join('_')),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom('%', '%zz', '%E0%A4%A', '%00', '%FF%FE', '+', '%2B', '&', '=', '#', '?', '\u0000', '\ud800', 'x'.repeat(10_000)),
);
/** Percent-encoded as a link would be (a lone surrogate, which encodeURIComponent refuses, is left as it is). */
function encoded(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A query string: pairs of a name and a value, each encoded or not, joined by `&`, with or without the `?`. */
const query = fc
  .tuple(fc.array(fc.tuple(key, value, fc.boolean()), { maxLength: 12 }), fc.boolean(), fc.constantFrom('&', '&', '&', ';', '&&'))
  .map(([pairs, mark, join]) => (mark ? '?' : '') + pairs.map(([k, v, encode]) => `${k}=${encode ? encoded(v) : v}`).join(join));

/** A configuration the table allows, drawn from the table. */
const validConfig: fc.Arbitrary<TrainConfig> = fc.record(
  Object.fromEntries(
    PARAMS.map((spec): [string, fc.Arbitrary<unknown>] => {
      switch (spec.kind) {
        case 'int':
          return [spec.key, fc.integer({ min: spec.min, max: spec.max })];
        case 'float':
          return [
            spec.key,
            fc
              .double({ min: spec.min, max: spec.max, noNaN: true })
              .filter((v) => (!spec.minExclusive || v > spec.min) && (!spec.maxExclusive || v < spec.max)),
          ];
        case 'enum':
          return [spec.key, fc.constantFrom(...spec.options)];
        case 'intList':
          return [spec.key, fc.array(fc.integer({ min: spec.min, max: spec.max }), { maxLength: spec.maxLength })];
      }
    }),
  ),
) as unknown as fc.Arbitrary<TrainConfig>;
const summary: fc.Arbitrary<SharedRunSummary> = fc.record({
  testAccuracy: fc.double({ min: 0, max: 1, noNaN: true }),
  testLoss: fc.double({ min: 0, max: 99, noNaN: true }),
  epochsRun: fc.integer({ min: 1, max: 10_000 }),
  state: fc.constantFrom('done', 'early-stopped', 'stopped'),
  seconds: fc.double({ min: 0, max: 999_999, noNaN: true }),
});

describe("the page's URL, fuzzed", () => {
  it('reads back every link the page writes: a configuration the table allows, and its result (1,000 links)', () => {
    fc.assert(
      fc.property(validConfig, fc.option(summary), (config, s) => {
        const search = new URL(runLink('http://h.test/app/?debug=1', config, s)).search;
        expect(configFromQuery(search)).toEqual({ config, errors: {} });
        const shared = sharedRunFromQuery(search);
        if (s) expect(shared && 'summary' in shared && encodeSummary(shared.summary)).toBe(encodeSummary(s));
        else expect(shared).toBeNull();
        readsOrRefuses(search);
      }),
      { numRuns: 1000 },
    );
  });

  it('reads or refuses random query strings: real and random names, hostile values (6,000 queries)', () => {
    let refused = 0;
    fc.assert(
      fc.property(query, (search) => {
        readsOrRefuses(search);
        if (Object.keys(configFromQuery(search).errors).length) refused++;
      }),
      { numRuns: 6000 },
    );
    expect(refused).toBeGreaterThan(1000);
  });

  it('reads or refuses a shared link whose characters are overwritten, inserted, deleted or cut (3,000 mutants)', () => {
    const link = new URL(
      runLink(
        'http://h.test/',
        { ...DEFAULT_CONFIG, epochs: 3, hiddenUnits: [128, 32], learningRate: 0.01, backend: 'wasm', trainSize: 600 },
        { testAccuracy: 0.9669, testLoss: 0.1961, epochsRun: 3, state: 'done', seconds: 14.8 },
      ),
    ).search;
    const bytes = new TextEncoder().encode(`${link}&lang=zh-CN`);
    fc.assert(
      fc.property(mutatedBytes(bytes), (b) => {
        readsOrRefuses(new TextDecoder().decode(b));
      }),
      { numRuns: 3000 },
    );
  });
});
