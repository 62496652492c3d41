/**
 * The worker's door, end to end through the `?debug=1` hook: whatever is sent to
 * the training worker (an unknown type, missing or ill-typed parameters, numbers
 * out of range, arrays of the wrong length, messages without an id, null) gets a
 * clear refusal or a notice, never a crash, and the worker goes on working.
 */
import { expect, test } from '@playwright/test';
import { AppPage } from './appPage';
import { drawDigit } from './drawing';

type Answer = { error?: { code: string; key?: string; message: string } };

test('every malformed message is refused in words; the worker never crashes and keeps working', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const app = new AppPage(page);
  await app.goto({ debug: 1, trainSize: 600, epochs: 1, backend: 'wasm' });
  await app.expectState('ready');
  await expect(app.modelDescription).toContainText('pre-trained');

  const refused = async (message: Record<string, unknown>, key: string, words: RegExp) => {
    const answer = (await app.send(message)) as Answer;
    expect(answer.error, JSON.stringify(message)).toMatchObject({ code: 'invalid', key, message: expect.stringMatching(words) });
  };
  await refused({ type: 'frobnicate' }, 'unknownRequest', /^The worker has no command "frobnicate"\.$/);
  await refused({ type: 'constructor' }, 'unknownRequest', /no command "constructor"/);
  await refused(
    { type: 'dream', steps: 1e9 },
    'invalidRequest',
    /dream request cannot be read: steps must be a whole number from 1 to 1000 \(got 1000000000\)/,
  );
  await refused({ type: 'dream', steps: -3 }, 'invalidRequest', /steps must be a whole number/);
  await refused(
    { type: 'testImages', label: 3, predicted: 5, limit: 1e12 },
    'invalidRequest',
    /limit must be a whole number from 0 to 10000/,
  );
  await refused(
    { type: 'testImages', label: 'three', predicted: 5, limit: 4 },
    'invalidRequest',
    /label must be a whole number from 0 to 9/,
  );
  await refused({ type: 'train' }, 'invalidRequest', /train request cannot be read: config must be an object/);
  await refused({ type: 'train', config: { epochs: 1 } }, 'invalidRequest', /config\.batchSize must be a number/);
  await refused({ type: 'saveModel', name: 'x'.repeat(5000) }, 'invalidRequest', /name must be a text of 1 to 200 characters/);
  await refused({ type: 'loadModel' }, 'invalidRequest', /modelId must be a text/);
  // Typed arrays are made in the page: a wrong length, and values outside 0..1.
  for (const [length, fill, words] of [
    [3, 0.5, /pixels must hold 784 values \(got 3\)/],
    [784, 7, /pixels values must be from 0 to 1 \(value 0 is 7\)/],
  ] as const) {
    const answer = (await page.evaluate(
      ([n, v]) =>
        (window as unknown as { __playground: { send(m: unknown): Promise<unknown> } }).__playground.send({
          type: 'predict',
          pixels: new Float32Array(n).fill(v),
        }),
      [length, fill] as const,
    )) as Answer;
    expect(answer.error).toMatchObject({ code: 'invalid', message: expect.stringMatching(words) });
  }
  const digits = (await page.evaluate(() =>
    (window as unknown as { __playground: { send(m: unknown): Promise<unknown> } }).__playground.send({
      type: 'evaluateMine',
      digits: { images: new Uint8Array(100), labels: new Uint8Array(2) },
    }),
  )) as Answer;
  expect(digits.error).toMatchObject({ code: 'invalid', message: expect.stringMatching(/2 digits need 1568 pixels, got 100/) });

  // Messages without an id cannot be answered: the page hears a fault and shows it as a notice.
  for (const raw of [null, 'predict', 42, [1, 2], { type: 'dream' }, { type: 'ping', id: 'x' }]) {
    await app.post(raw);
    await expect(app.notice).toContainText(/cannot (be )?read/);
    await app.notice.getByRole('button', { name: 'OK' }).click();
  }

  // No crash, no error state: the same worker answers, the pad reads, a bounded dream dreams.
  await expect(app.errorMessage).toHaveCount(0);
  expect(await app.status.getAttribute('data-state')).toBe('ready');
  await expect(app.modelDescription).toContainText('pre-trained');
  expect(((await app.send({ type: 'ping' })) as { phase: string }).phase).toBe('idle');
  await drawDigit(page, app.canvas, 7);
  await expect(app.predictedDigit).toHaveText(/^[0-9]$/);
  const dreams = (await app.send({ type: 'dream', steps: 5 })) as { confidences: number[] };
  expect(dreams.confidences).toHaveLength(10);
  expect(pageErrors).toEqual([]);
});
