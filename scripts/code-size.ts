/**
 * Function and file sizes in src/ (issue 14's limits: no function over 80 lines except declarative chart-spec
 * literals, no file over 500 lines). Used by test/package/code-size.test.ts; run alone to list the largest:
 *   npx tsx scripts/code-size.ts
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

export const MAX_FUNCTION_LINES = 80;
export const MAX_FILE_LINES = 500;

export interface SizedFunction {
  readonly file: string;
  readonly name: string;
  readonly line: number;
  readonly lines: number;
  /** a chart-spec builder whose body is one returned object literal: exempt by the rule */
  readonly declarativeSpec: boolean;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

function nameOf(node: ts.Node, source: ts.SourceFile): string {
  if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isGetAccessor(node)) && node.name) return node.name.getText(source);
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const parent = node.parent;
  if (parent !== undefined && ts.isVariableDeclaration(parent)) return parent.name.getText(source);
  if (parent !== undefined && ts.isPropertyAssignment(parent)) return parent.name.getText(source);
  return '(anonymous)';
}

/** The body is `return { … }` (or an arrow whose expression is an object literal), maybe after const bindings. */
function isDeclarativeSpec(node: ts.FunctionLikeDeclaration, file: string): boolean {
  if (!file.includes('/report/charts/')) return false;
  const body = node.body;
  if (body === undefined) return false;
  if (!ts.isBlock(body)) return ts.isObjectLiteralExpression(body) || ts.isParenthesizedExpression(body);
  const last = body.statements[body.statements.length - 1];
  return last !== undefined && ts.isReturnStatement(last) && last.expression !== undefined && ts.isObjectLiteralExpression(last.expression);
}

/** Every function-like node with a body in one source text, with its line count. */
export function measureSource(file: string, text: string): SizedFunction[] {
  const found: SizedFunction[] = [];
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
      const fn = node as ts.FunctionLikeDeclaration;
      const start = source.getLineAndCharacterOfPosition(fn.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(fn.getEnd()).line;
      found.push({ file, name: nameOf(fn, source), line: start + 1, lines: end - start + 1, declarativeSpec: isDeclarativeSpec(fn, file) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

export function measureFunctions(root: string): SizedFunction[] {
  return tsFiles(join(root, 'src')).flatMap((path) => measureSource(relative(root, path), readFileSync(path, 'utf8')));
}

export function measureFiles(root: string): { file: string; lines: number }[] {
  return tsFiles(join(root, 'src')).map((path) => ({ file: relative(root, path), lines: readFileSync(path, 'utf8').split('\n').length - 1 }));
}

if (process.argv[1]?.endsWith('code-size.ts') || process.argv[1]?.endsWith('code-size.js')) {
  const root = process.cwd();
  const long = measureFunctions(root).filter((f) => f.lines > MAX_FUNCTION_LINES).sort((a, b) => b.lines - a.lines);
  for (const f of long) console.log(`${String(f.lines).padStart(4)}  ${f.file}:${f.line} ${f.name}${f.declarativeSpec ? '  (chart spec, exempt)' : ''}`);
  const big = measureFiles(root).filter((f) => f.lines > MAX_FILE_LINES).sort((a, b) => b.lines - a.lines);
  for (const f of big) console.log(`${String(f.lines).padStart(4)}  ${f.file} (file)`);
}
