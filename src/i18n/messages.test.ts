import { describe, expect, it } from 'vitest';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';
import { englishWords } from './allowList';

type Tree = { [key: string]: string | Tree };

/** Every leaf as "a.b.c" → text. */
function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(path, v);
    else for (const [p, t] of leaves(v, path)) out.set(p, t);
  }
  return out;
}

const placeholders = (s: string) => [...s.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1] ?? '').sort();
/** i18next plural suffixes: a language may need fewer forms than another (Chinese has one). */
const PLURAL = /_(zero|one|two|few|many|other)$/;
const base = (key: string) => key.replace(PLURAL, '');

describe('message files', () => {
  const files = { en: leaves(en as Tree), 'zh-CN': leaves(zhCN as Tree) };

  it('have the same keys in every language (plural forms aside)', () => {
    const keys = (m: Map<string, string>) => new Set([...m.keys()].map(base));
    const a = keys(files.en);
    const b = keys(files['zh-CN']);
    expect(
      [...a].filter((k) => !b.has(k)),
      'in en, missing from zh-CN',
    ).toEqual([]);
    expect(
      [...b].filter((k) => !a.has(k)),
      'in zh-CN, missing from en',
    ).toEqual([]);
  });

  it('use the same placeholders in every language', () => {
    const byBase = (m: Map<string, string>) => {
      const out = new Map<string, string[]>();
      for (const [k, v] of m) out.set(base(k), [...new Set([...(out.get(base(k)) ?? []), ...placeholders(v)])].sort());
      return out;
    };
    const a = byBase(files.en);
    const b = byBase(files['zh-CN']);
    const differ = [...a].filter(([k, p]) => b.has(k) && JSON.stringify(p) !== JSON.stringify(b.get(k)));
    expect(differ.map(([k]) => k)).toEqual([]);
  });

  it('leave no message empty, and no Chinese message in English words', () => {
    expect([...files.en].filter(([, v]) => !v.trim()).map(([k]) => k)).toEqual([]);
    const english = [...files['zh-CN']]
      .map(([k, v]) => [k, englishWords(v.replace(/\{\{[^}]*\}\}|<\/?\w+>/g, ''))] as const)
      .filter(([, words]) => words.length > 0)
      .map(([k, words]) => `${k}: ${words.join(' ')}`);
    expect(english).toEqual([]);
  });
});
