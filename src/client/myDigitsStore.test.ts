import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { onStoreChange, StorageError, type StoreChange } from '../shared/browserStorage';
import { addDigits, clearDigits, deleteDigit, listDigits } from './myDigitsStore';
import i18n from '../i18n';
import { errorMessage, messageText } from './localMessage';

const digit = (label: number) => ({ label, pixels: new Uint8Array(784).fill(label * 10), createdAt: '2025-01-01T00:00:00.000Z' });

describe('my digits in IndexedDB', () => {
  it('adds, lists oldest first, deletes and clears', async () => {
    await clearDigits();
    const added = await addDigits([digit(1), digit(2)]);
    expect(added.map((d) => d.label)).toEqual([1, 2]);
    const [more] = await addDigits([digit(7)]);
    let all = await listDigits();
    expect(all.map((d) => d.label)).toEqual([1, 2, 7]);
    expect(all[2]!.pixels).toEqual(new Uint8Array(784).fill(70));
    expect(all[2]!.pixels).toBeInstanceOf(Uint8Array);
    await deleteDigit(more!.id);
    expect((await listDigits()).map((d) => d.label)).toEqual([1, 2]);
    await addDigits([digit(5), digit(6)]);
    all = await listDigits();
    expect(all.map((d) => d.label)).toEqual([1, 2, 5, 6]);
    await clearDigits();
    expect(await listDigits()).toEqual([]);
  });

  it('tells every tab of each change, and two tabs labelling at once lose nothing', async () => {
    await clearDigits();
    const heard: StoreChange[] = [];
    const stop = onStoreChange('digits', (c) => heard.push(c));
    // Two tabs, 25 labels each, interleaved: each add is its own transaction, keys from the database's counter.
    const tabA = Array.from({ length: 25 }, (_, i) => addDigits([digit(i % 10)]));
    const tabB = Array.from({ length: 25 }, (_, i) => addDigits([digit((i + 5) % 10)]));
    const ids = (await Promise.all([...tabA, ...tabB])).flat().map((d) => d.id);
    expect(new Set(ids).size).toBe(50);
    expect(await listDigits()).toHaveLength(50);
    await vi.waitFor(() => expect(heard.filter((c) => c.change === 'saved')).toHaveLength(50));
    await deleteDigit(ids[0]!);
    await vi.waitFor(() => expect(heard.at(-1)).toEqual({ store: 'digits', change: 'deleted', key: ids[0] }));
    stop();
    await clearDigits();
  });

  it('a full disk keeps nothing of the failed write and loses nothing stored before, with a sentence saying what to delete', async () => {
    await clearDigits();
    await addDigits([digit(3), digit(4)]);
    const failure = await addDigits([digit(5), digit(6), digit(7)], { quota: true }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StorageError);
    expect(failure).toMatchObject({
      kind: 'full',
      message: expect.stringMatching(/^Storage is full: delete saved models or some of your digits/),
    });
    expect((failure as Error).message).toContain('The 3 digits were not kept; nothing stored before was lost.');
    // The sentence travels as a message, so the page writes it in the reader's language.
    expect(messageText(i18n.getFixedT('zh-CN'), errorMessage(failure))).toMatch(
      /^存储空间已满：.*这 3 个数字没有保存；之前保存的内容都没有丢失。$/,
    );
    expect((await listDigits()).map((d) => d.label)).toEqual([3, 4]);
    await clearDigits();
  });
});
