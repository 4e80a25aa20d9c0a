#!/usr/bin/env node
// Lint step of every publishable package: each name exported from the given entry files must carry TSDoc
// with an `@example`, and no entry may use `export *`. Usage (from a package folder):
//   node ../../scripts/check-tsdoc.cjs src/index.ts [src/other-entry.ts ...]
// Exits 1 with the list of offending names, so a new undocumented export fails `npm test`.
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const ts = require('typescript');

const entries = process.argv.slice(2).map((f) => path.resolve(f));
if (entries.length === 0) {
  console.error('usage: node ../../scripts/check-tsdoc.cjs <entry.ts> [...]');
  process.exit(2);
}
const program = ts.createProgram(entries, {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  skipLibCheck: true,
  noEmit: true,
});
const checker = program.getTypeChecker();
let problems = 0;
for (const entry of entries) {
  const rel = path.relative(process.cwd(), entry);
  const source = program.getSourceFile(entry);
  if (!source) {
    console.error(`${rel}: not found`);
    problems++;
    continue;
  }
  if (/^\s*export\s+\*/m.test(fs.readFileSync(entry, 'utf8'))) {
    console.error(`${rel}: uses \`export *\`; list the exports by name`);
    problems++;
  }
  const moduleSymbol = checker.getSymbolAtLocation(source);
  const exports = moduleSymbol ? checker.getExportsOfModule(moduleSymbol) : [];
  const missing = [];
  for (const exported of exports) {
    const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const decl = target.declarations?.[0];
    if (!decl) continue;
    const docs = ts.getJSDocCommentsAndTags(decl);
    const hasExample = ts.getJSDocTags(decl).some((t) => t.tagName.text === 'example');
    if (docs.length === 0) missing.push(`${exported.name} (no TSDoc)`);
    else if (!hasExample) missing.push(`${exported.name} (no @example)`);
  }
  if (missing.length > 0) {
    console.error(`${rel}: ${missing.length} of ${exports.length} exports need TSDoc with an @example: ${missing.join(', ')}`);
    problems += missing.length;
  } else {
    console.log(`${rel}: ${exports.length} exports, all documented with an @example`);
  }
}
process.exit(problems > 0 ? 1 : 0);
