import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** One ```ts block of a README. */
export interface Snippet {
  /** README path relative to the repository root, e.g. `packages/cli/README.md`. */
  readonly readme: string;
  /** 1-based index of the block in its README. */
  readonly index: number;
  /** 1-based README line of the block's first code line. */
  readonly line: number;
  readonly code: string;
  /** The block says `// no-run` in its first lines: type-checked, not run (it would touch the cloud). */
  readonly noRun: boolean;
  /** A file name for the extracted block, e.g. `packages-cli-1.ts`. */
  readonly file: string;
}

/** Every README of the repository: the root one, then packages/*, examples/*, tools/* (sorted). */
export function findReadmes(repoRoot: string): string[] {
  const readmes = ['README.md'];
  for (const group of ['packages', 'examples', 'tools']) {
    const dir = path.join(repoRoot, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      const rel = `${group}/${name}/README.md`;
      if (existsSync(path.join(repoRoot, rel))) readmes.push(rel);
    }
  }
  return readmes;
}

const OPEN = /^(\s*)```(?:ts|typescript)\s*$/;
const CLOSE = /^\s*```\s*$/;

/** The ```ts (or ```typescript) blocks of one README; an indented block (in a list) loses its indent. */
export function extractSnippets(readme: string, text: string): Snippet[] {
  const lines = text.split('\n');
  const out: Snippet[] = [];
  const slug = readme === 'README.md' ? 'root' : readme.replace(/\/README\.md$/, '').replace(/[^a-z0-9]+/gi, '-');
  for (let i = 0; i < lines.length; i++) {
    const open = OPEN.exec(lines[i]!);
    if (!open) continue;
    const indent = open[1]!.length;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !CLOSE.test(lines[j]!); j++) body.push(lines[j]!.slice(Math.min(indent, /^\s*/.exec(lines[j]!)![0].length)));
    if (j === lines.length) throw new Error(`${readme}:${i + 1}: a \`\`\`ts block is never closed`);
    const index = out.length + 1;
    const code = `${body.join('\n')}\n`;
    const head = body.filter((l) => l.trim() !== '').slice(0, 3);
    out.push({ readme, index, line: i + 2, code, noRun: head.some((l) => /^\s*\/\/\s*no-run\b/.test(l)), file: `${slug}-${index}.ts` });
    i = j;
  }
  return out;
}

/** Whether a block awaits at the top level (an `await` or `for await` outside every function), which needs ESM. */
export function usesTopLevelAwait(code: string): boolean {
  const source = ts.createSourceFile('snippet.ts', code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const visit = (node: ts.Node): boolean => {
    if (ts.isFunctionLike(node) || ts.isClassStaticBlockDeclaration(node)) return false;
    if (ts.isAwaitExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier !== undefined)) return true;
    return ts.forEachChild(node, visit) ?? false;
  };
  return visit(source);
}

/** The lowest Node.js version a semver range admits, as [major, minor, patch] (`>=20.19`, `^20.19.0 || >=22.12.0`, `>= 20.9.0`). */
export function lowestNode(range: string): [number, number, number] {
  const bounds = range.split('||').map((part) => {
    const m = /(?:>=|\^|~)?\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(part.trim());
    if (!m) throw new Error(`cannot read the Node.js range "${range}"`);
    return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)] as [number, number, number];
  });
  return bounds.sort(compareVersions)[0]!;
}

/** Compare [major, minor, patch] versions. */
export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}
