#!/usr/bin/env node
// Compiles the training kernel (src/worker/kernel/assembly/*.ts, AssemblyScript)
// to src/worker/kernel/kernel.wasm: WebAssembly with SIMD, -O3, no runtime or GC
// (`--runtime stub`: the kernel never allocates), memory imported from the host
// (which sizes it once per run). The .wasm is a build output (git-ignored);
// npm install, dev, build, test:unit, test and bench run this first.
//
//   node scripts/buildKernel.mjs             always compile
//   node scripts/buildKernel.mjs --if-stale  only when the .wasm is missing, older than a source, or built with other flags
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const KERNEL_SOURCE_DIR = join(root, 'src/worker/kernel/assembly');
export const KERNEL_WASM = join(root, 'src/worker/kernel/kernel.wasm');
const STAMP = `${KERNEL_WASM}.stamp`;

/** The compiler's flags; a change rebuilds. */
export const ASC_FLAGS = ['-O3', '--runtime', 'stub', '--importMemory', '--enable', 'simd', '--use', 'abort=', '--noAssert'];

function sources() {
  return readdirSync(KERNEL_SOURCE_DIR)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(KERNEL_SOURCE_DIR, f));
}

async function compilerVersion() {
  const pkg = JSON.parse(readFileSync(join(root, 'node_modules/assemblyscript/package.json'), 'utf8'));
  return pkg.version;
}

/** True when kernel.wasm exists, is newer than every source, and was built with these flags and this compiler. */
export async function kernelIsCurrent() {
  if (!existsSync(KERNEL_WASM) || !existsSync(STAMP)) return false;
  const built = statSync(KERNEL_WASM).mtimeMs;
  if (sources().some((f) => statSync(f).mtimeMs > built)) return false;
  return readFileSync(STAMP, 'utf8') === JSON.stringify({ flags: ASC_FLAGS, asc: await compilerVersion() });
}

/** Compiles the kernel; throws with the compiler's messages on failure. Returns the .wasm's size in bytes. */
export async function buildKernel() {
  const { default: asc } = await import('assemblyscript/asc');
  mkdirSync(dirname(KERNEL_WASM), { recursive: true });
  let stderr = '';
  const { error } = await asc.main([join(KERNEL_SOURCE_DIR, 'index.ts'), ...ASC_FLAGS, '--outFile', KERNEL_WASM], {
    stdout: { write: () => true },
    stderr: {
      write: (s) => {
        stderr += s;
        return true;
      },
    },
  });
  if (error) throw new Error(`AssemblyScript could not compile the kernel: ${error.message}\n${stderr}`);
  writeFileSync(STAMP, JSON.stringify({ flags: ASC_FLAGS, asc: await compilerVersion() }));
  return statSync(KERNEL_WASM).size;
}

/** Builds when stale (or always with `force`); returns whether it built. */
export async function ensureKernel(force = false) {
  if (!force && (await kernelIsCurrent())) return false;
  await buildKernel();
  return true;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t0 = performance.now();
  ensureKernel(!process.argv.includes('--if-stale')).then(
    (built) => {
      if (built)
        console.log(
          `kernel: built ${KERNEL_WASM.slice(root.length + 1)} (${statSync(KERNEL_WASM).size} bytes) in ${Math.round(performance.now() - t0)} ms`,
        );
    },
    (e) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    },
  );
}
