import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { addDigits, clearDigits, deleteDigit, listDigits } from './myDigitsStore';

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
});
