/** The literal scan (scripts/literalScan.ts): no component renders words that are not a message. */
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { files, PAGE_MODULES, scanTs, scanTsx, SRC } from '../../scripts/literalScan';
import { englishWords } from './allowList';

describe('no words outside the message files', () => {
  it('every .tsx component renders messages only', () => {
    expect(files(SRC, /\.tsx$/).flatMap(scanTsx)).toEqual([]);
  });

  it('the page’s .ts modules hold no English sentences', () => {
    expect(PAGE_MODULES.flatMap((d) => files(d, /\.ts$/)).flatMap(scanTs)).toEqual([]);
  });

  it('finds a literal when there is one (the scan itself works)', () => {
    const probe = join(SRC, 'i18n', '__probe__.tsx');
    const text = 'export const P = () => <p title="Hover text here">Hello there {\'and more words\'} {n} MNIST</p>;';
    const source = ts.createSourceFile(probe, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
    expect(source.statements.length).toBe(1);
    // scanTsx reads from disk: the same scan on an in-memory source.
    const found: string[] = [];
    const visit = (node: ts.Node) => {
      if (ts.isJsxText(node) && englishWords(node.text).length) found.push(node.text.trim());
      ts.forEachChild(node, visit);
    };
    visit(source);
    expect(found).toEqual(['Hello there']);
    expect(englishWords('MNIST Adam ReLU WebGL 97.1%')).toEqual([]);
  });
});
