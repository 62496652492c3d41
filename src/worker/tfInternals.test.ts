/**
 * The worker relies on TensorFlow.js internals that no semver promise covers
 * (see the table below). package.json pins @tensorflow/* to one exact
 * version; this test fails loudly when that pin is loosened, when what is
 * installed differs, or when the internals read below have changed, so an
 * upgrade is a deliberate act: bump the pin, run this test, fix what it names.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const require = createRequire(join(root, 'package.json'));
/** Folder of an installed package. */
const pkgDir = (name: string) => dirname(require.resolve(`${name}/package.json`));
const read = (name: string, file: string) => readFileSync(join(pkgDir(name), file), 'utf8');

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
const tfDeps = Object.entries(manifest.dependencies).filter(([name]) => name.startsWith('@tensorflow/'));
/** The version the code was written against: the pin. */
const PINNED = '4.22.0';

describe('TensorFlow.js version', () => {
  it(`is pinned to exactly ${PINNED} in package.json`, () => {
    expect(tfDeps.length).toBeGreaterThan(0);
    for (const [name, range] of tfDeps)
      expect(range, `${name} must be pinned exactly (no ^ or ~): the worker uses TF.js internals`).toBe(PINNED);
  });

  it('is the installed version of every @tensorflow package, including the ones tfjs pulls in', () => {
    const names = [...tfDeps.map(([n]) => n), '@tensorflow/tfjs-core', '@tensorflow/tfjs-layers', '@tensorflow/tfjs-backend-cpu'];
    for (const name of names) {
      const version = (JSON.parse(read(name, 'package.json')) as { version: string }).version;
      expect(version, `${name} installed at ${version}; run npm install`).toBe(PINNED);
    }
  });
});

/** One internal we rely on: where TF.js has it, and the text that must still be there. */
interface Internal {
  what: string;
  /** Our file that depends on it. */
  usedBy: string;
  pkg: string;
  file: string;
  text: string | RegExp;
}

const WEBGL = '@tensorflow/tfjs-backend-webgl';
const WASM = '@tensorflow/tfjs-backend-wasm';
const glueText = readFileSync(join(root, 'src/worker/wasmThreads.ts'), 'utf8');
const gluePrefix = /const GLUE_PREFIX = '([^']+)'/.exec(glueText)?.[1];

const internals: Internal[] = [
  {
    what: 'MathBackendWebGL.compileAndRun(program, inputs, outputDtype, customUniformValues)',
    usedBy: 'src/worker/mlp.ts (fused Adam shaders)',
    pkg: WEBGL,
    file: 'dist/backend_webgl.js',
    text: 'compileAndRun(program, inputs, outputDtype, customUniformValues',
  },
  {
    what: 'program.customUniforms declared in the shader',
    usedBy: 'src/worker/mlp.ts',
    pkg: WEBGL,
    file: 'dist/shader_compiler.js',
    text: /program\.customUniforms\.forEach/,
  },
  {
    what: 'customUniformValues uploaded per run',
    usedBy: 'src/worker/mlp.ts',
    pkg: WEBGL,
    file: 'dist/gpgpu_math.js',
    text: 'binary.program.customUniforms && customUniformValues',
  },
  {
    what: 'program.packedInputs / packedOutput',
    usedBy: 'src/worker/mlp.ts',
    pkg: WEBGL,
    file: 'dist/backend_webgl.js',
    text: /program\.packedOutput/,
  },
  {
    what: 'shader helpers get<Name>AtOutCoords',
    usedBy: 'src/worker/mlp.ts',
    pkg: WEBGL,
    file: 'dist/shader_compiler.js',
    text: "'AtOutCoords'",
  },
  {
    what: 'shader helpers setOutput / getOutputCoords',
    usedBy: 'src/worker/mlp.ts',
    pkg: WEBGL,
    file: 'dist/shader_compiler.js',
    text: /void setOutput\(vec4 val\)[\s\S]*getOutputCoords/,
  },
  {
    what: 'MathBackendWebGL.gpgpu.gl (the context, for context-loss watching)',
    usedBy: 'src/worker/backend.ts',
    pkg: WEBGL,
    file: 'dist/gpgpu_context.js',
    text: 'this.gl = gl;',
  },
  { what: 'MathBackendWebGL.gpgpu', usedBy: 'src/worker/backend.ts', pkg: WEBGL, file: 'dist/backend_webgl.js', text: 'this.gpgpu = ' },
  {
    what: 'engine().makeTensorFromTensorInfo',
    usedBy: 'src/worker/mlp.ts',
    pkg: '@tensorflow/tfjs-core',
    file: 'dist/engine.js',
    text: 'makeTensorFromTensorInfo(tensorInfo, backend)',
  },
  {
    what: 'the threaded WASM thread Blob text prefix (GLUE_PREFIX)',
    usedBy: 'src/worker/wasmThreads.ts threadSafeGlue',
    pkg: WASM,
    file: 'dist/backend_wasm.js',
    text: `new Blob([\`${gluePrefix}\` +`,
  },
  {
    what: 'the threaded WASM build only when no wasmPath prefix is set',
    usedBy: 'src/worker/backend.ts configureWasm (file map)',
    pkg: WASM,
    file: 'dist/backend_wasm.js',
    text: 'threadsSupported && simdSupported && wasmPath == null',
  },
  {
    what: 'the unminified threaded glue defines the factory',
    usedBy: 'src/worker/wasmThreads.ts threadSafeGlue',
    pkg: WASM,
    file: 'wasm-out/tfjs-backend-wasm-threaded-simd.js',
    text: `${gluePrefix}(() => {`,
  },
  {
    what: 'MathBackendCPU data.get(dataId).values and refCount(dataId)',
    usedBy: 'src/worker/hostMemory.ts',
    pkg: '@tensorflow/tfjs-backend-cpu',
    file: 'dist/backend_cpu.js',
    text: /refCount\(dataId\) \{[\s\S]*this\.data\.get\(dataId\)\.values/,
  },
  {
    what: "the 4.22 threaded build reads navigator.hardwareConcurrency for XNNPACK's thread cap",
    usedBy: 'src/worker/wasmThreads.ts reportCoresFor',
    pkg: WASM,
    file: 'wasm-out/tfjs-backend-wasm-threaded-simd.js',
    text: 'navigator["hardwareConcurrency"]',
  },
  {
    what: 'the setWasmPaths file-map names',
    usedBy: 'src/worker/backend.ts configureWasm',
    pkg: WASM,
    file: 'dist/backend_wasm.js',
    text: /wasmBinaryNames = \[\s*'tfjs-backend-wasm\.wasm', 'tfjs-backend-wasm-simd\.wasm',\s*'tfjs-backend-wasm-threaded-simd\.wasm'\s*\]/,
  },
];

describe('TensorFlow.js internals the worker relies on', () => {
  it('wasmThreads.ts still declares the WASM glue prefix', () => {
    expect(gluePrefix).toBe('var WasmBackendModuleThreadedSimd = ');
  });

  it.each(internals)('$what (used by $usedBy)', ({ pkg, file, text }) => {
    const source = read(pkg, file);
    if (typeof text === 'string') expect(source.includes(text), `${pkg}/${file} no longer contains ${JSON.stringify(text)}`).toBe(true);
    else expect(source).toMatch(text);
  });

  it('ships the WASM binaries backend.ts imports by path', () => {
    for (const f of [
      'dist/tfjs-backend-wasm.wasm',
      'dist/tfjs-backend-wasm-simd.wasm',
      'dist/tfjs-backend-wasm-threaded-simd.wasm',
      'wasm-out/tfjs-backend-wasm-threaded-simd.js',
    ]) {
      expect(existsSync(join(pkgDir(WASM), f)), `${WASM}/${f}`).toBe(true);
    }
  });
});
