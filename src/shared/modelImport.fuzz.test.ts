/**
 * Fuzzing the model-file check (fast-check): random text, random JSON, and the shipped model.json
 * with fields deleted, retyped or set to hostile values (huge layer widths, odd layer classes, bad
 * shapes and dtypes), beside weight files of random sizes. The check never throws: it answers ok
 * (then the weights are exactly what model.json describes, and the declared network stays within
 * MAX_MODEL_BYTES, so building it cannot allocate more) or refuses with a reason.
 * The worker's side (tf builds the model) is fuzzed in src/worker/modelImport.fuzz.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mutatedModelJson, quick, shippedModelJson as shippedJson, shippedModelWeights as shippedWeights } from '../../scripts/fuzz';
import { MAX_MODEL_BYTES, nonFiniteWeights, validateModelFiles, type ModelFilesCheck } from './modelImport';

/** Declared parameters of the Dense layers in model.json (784 inputs first), or null when it declares none. */
function declaredBytes(text: string): number {
  const json = JSON.parse(text) as { modelTopology: { model_config?: { config: unknown }; config: unknown } };
  const topo = json.modelTopology.model_config ?? json.modelTopology;
  const cfg = topo.config as { layers?: unknown[] } | unknown[];
  const layers = (Array.isArray(cfg) ? cfg : ((cfg as { layers?: unknown[] } | null)?.layers ?? [])) as ({
    class_name?: string;
    config?: { units?: number };
  } | null)[];
  let inputs = 784;
  let params = 0;
  for (const l of layers)
    if (l && l.class_name === 'Dense' && typeof l.config?.units === 'number') {
      params += (inputs + 1) * l.config.units;
      inputs = l.config.units;
    }
  return params * 4;
}

function checkOrRefuse(text: string, weights: { name: string; bytes: number }[]): ModelFilesCheck {
  let r: ModelFilesCheck;
  try {
    r = quick(() => validateModelFiles(text, weights));
  } catch (e) {
    throw new Error(`validateModelFiles threw: ${String(e)}`, { cause: e });
  }
  if (r.ok) {
    expect(r.weightBytes).toBeLessThanOrEqual(MAX_MODEL_BYTES);
    expect(weights.filter((w) => r.ok && r.weightFiles.includes(w.name)).reduce((a, w) => a + w.bytes, 0)).toBe(r.weightBytes);
    expect(declaredBytes(text)).toBeLessThanOrEqual(MAX_MODEL_BYTES);
  } else {
    expect(typeof r.reason).toBe('string');
    expect(r.reason.length).toBeGreaterThan(5);
  }
  return r;
}

const weightsFor: fc.Arbitrary<{ name: string; bytes: number }[]> = fc.oneof(
  fc.constant<{ name: string; bytes: number }[]>([{ name: 'model.weights.bin', bytes: shippedWeights.length }]),
  fc.array(fc.record({ name: fc.constantFrom('model.weights.bin', 'w.bin', 'x'), bytes: fc.nat({ max: 30_000_000 }) }), { maxLength: 3 }),
);

describe('the model-file check, fuzzed', () => {
  it('accepts the shipped model', () => {
    expect(checkOrRefuse(shippedJson, [{ name: 'model.weights.bin', bytes: shippedWeights.length }]).ok).toBe(true);
  });

  it('refuses random text and random JSON with a reason (5,000 inputs)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        weightsFor,
        (text, weights) => {
          checkOrRefuse(text, weights);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('accepts or refuses every mutation of the shipped model.json, never one that would build beyond the size limit (10,000 mutants)', () => {
    fc.assert(
      fc.property(mutatedModelJson, weightsFor, (text, weights) => {
        const r = checkOrRefuse(text, weights);
        // And once accepted, the NaN scan reads the weights without throwing.
        if (r.ok && r.weightFiles.length === 1)
          expect(() => nonFiniteWeights(text, shippedWeights.buffer.slice(0, r.weightBytes))).not.toThrow();
      }),
      { numRuns: 10000 },
    );
  });

  it('refuses a tiny model.json that declares a network too large to build, before tf allocates it', () => {
    const json = JSON.parse(shippedJson);
    json.modelTopology.config.layers[0].config.units = 100_000_000;
    const r = validateModelFiles(JSON.stringify(json), [{ name: 'model.weights.bin', bytes: shippedWeights.length }]);
    expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(/too large|units/) });
  });
});
