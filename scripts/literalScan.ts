/**
 * The literal scan: no component renders words that are not a message. It parses every .tsx file
 * under src/ with the TypeScript compiler and reports, with file and line:
 *  - JSX text with a word not on the allow-list (allowList.ts);
 *  - string literals and templates rendered as JSX children ({'…'}, {`…`}), or given to the
 *    attributes a person reads or hears (title, aria-label, placeholder, alt, label, …);
 * and, in the page's .ts modules (components, client, drawing), string literals that read as
 * English sentences (two words or more). A literal that is not user-facing (a CSS class, an id,
 * a log line) takes a trailing `// i18n-ignore` comment on its line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { englishWords } from '../src/i18n/allowList';

const root = join(import.meta.dirname, '..');
export const SRC = join(root, 'src');

export function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    if (d.isDirectory()) return d.name === 'assembly' ? [] : files(p, ext);
    return ext.test(d.name) && !/\.(test|fuzz\.test|d)\.tsx?$/.test(d.name) ? [p] : [];
  });
}

/** Attributes whose value a person reads or hears. */
const READ_ATTRIBUTES = new Set([
  'title',
  'aria-label',
  'aria-description',
  'aria-roledescription',
  'aria-valuetext',
  'placeholder',
  'alt',
  'label',
]);

const ignored = (source: ts.SourceFile, node: ts.Node) => {
  const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
  const text = source.text.split('\n')[line] ?? '';
  return text.includes('i18n-ignore');
};

function literalText(node: ts.Node): string | null {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ');
  if (ts.isConditionalExpression(node)) return [literalText(node.whenTrue), literalText(node.whenFalse)].filter(Boolean).join(' ') || null;
  if (
    ts.isBinaryExpression(node) &&
    (node.operatorToken.kind === ts.SyntaxKind.BarBarToken ||
      node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken ||
      node.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken)
  )
    return [literalText(node.left), literalText(node.right)].filter(Boolean).join(' ') || null;
  if (ts.isParenthesizedExpression(node)) return literalText(node.expression);
  return null;
}

/** Findings in one .tsx file: "path:line: words". */
export function scanTsx(path: string): string[] {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const out: string[] = [];
  const report = (node: ts.Node, text: string) => {
    const words = englishWords(text);
    if (words.length && !ignored(source, node))
      out.push(
        `${relative(root, path)}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}: ${words.slice(0, 6).join(' ')}`,
      );
  };
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node)) report(node, node.text);
    else if (ts.isJsxExpression(node) && node.expression && (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent))) {
      const text = literalText(node.expression);
      if (text !== null) report(node, text);
    } else if (ts.isJsxAttribute(node) && READ_ATTRIBUTES.has(node.name.getText(source)) && node.initializer) {
      const init = node.initializer;
      const text = ts.isStringLiteral(init) ? init.text : ts.isJsxExpression(init) && init.expression ? literalText(init.expression) : null;
      if (text !== null) report(node, text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** A string that reads as English words: two words of two letters or more, separated by a space. */
const SENTENCE = /[A-Za-z]{2,}[,.:;!?’']?\s+[A-Za-z]{2,}/;

/** Findings in one page module (.ts): string literals that read as English and are not a message key. */
export function scanTs(path: string): string[] {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: string[] = [];
  const visit = (node: ts.Node) => {
    const text =
      ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)
        ? node.text
        : ts.isTemplateExpression(node)
          ? [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ')
          : null;
    const inImport = !!node.parent && (ts.isImportDeclaration(node.parent) || ts.isExportDeclaration(node.parent));
    if (text !== null && !inImport && SENTENCE.test(text) && englishWords(text).length >= 2 && !ignored(source, node))
      out.push(`${relative(root, path)}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}: ${text.slice(0, 60)}`);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** Modules of the page whose strings a person reads (the worker's and the shared maths' are technical: the page translates by code). */
export const PAGE_MODULES = ['components', 'client', 'drawing', 'i18n'].map((d) => join(SRC, d));

/** Every finding, page-wide. */
export function scanAll(): string[] {
  return [...files(SRC, /\.tsx$/).flatMap(scanTsx), ...PAGE_MODULES.flatMap((d) => files(d, /\.ts$/)).flatMap(scanTs)];
}

// npx tsx scripts/literalScan.ts [path-prefix]: lists what is left to translate.
if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const prefix = process.argv[2] ?? '';
  const found = scanAll().filter((f) => f.startsWith(prefix));
  for (const f of found) console.log(f);
  console.log(`${found.length} literal(s)`);
}
