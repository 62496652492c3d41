/**
 * For tests: a Python 3 with numpy and scikit-learn, to check the exported `.npz` and script (which
 * uses scikit-learn, as the tutorial does). The first of `PYTHON` from the environment, Debian's
 * /usr/bin/python3, then `python3` on the PATH that can `import numpy, sklearn`; `bash .ci/run`
 * installs python3-numpy and python3-sklearn where none can.
 */
import { spawnSync } from 'node:child_process';

let found: string | null = null;

/** The interpreter's path; throws with what to install when there is none. */
export function pythonWithNumpy(): string {
  if (found) return found;
  const candidates = [process.env.PYTHON, '/usr/bin/python3', 'python3'].filter((c): c is string => !!c);
  for (const c of candidates) {
    const r = spawnSync(c, ['-c', 'import numpy, sklearn'], { encoding: 'utf8' });
    if (r.status === 0) return (found = c);
  }
  throw new Error(
    `No Python 3 with numpy and scikit-learn found (tried ${candidates.join(', ')}): install them (Debian: apt-get install -y python3-numpy python3-sklearn; elsewhere: pip install numpy scikit-learn), or set PYTHON.`,
  );
}

/** Runs a Python script; resolves its stdout, throws with its stderr when it fails. */
export function runPython(args: string[], env: Record<string, string> = {}): string {
  const r = spawnSync(pythonWithNumpy(), args, { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`python ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return r.stdout;
}
