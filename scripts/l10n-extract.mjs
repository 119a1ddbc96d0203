// Collects the English message keys: every `t('...')` call in server/src and
// client/src. The first argument must be a plain string (quotes or a backtick
// string without `${}`), so the key is known without running the code; anything
// else is reported as an error. Writes l10n/bundle.l10n.json (sorted keys,
// English text as value) unless `--check` is given, which only compares.
// A t() call outside any function is an error too: it would be translated once,
// at import time, before the server or CLI has chosen the locale.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ts = require('typescript');
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const BUNDLE = 'l10n/bundle.l10n.json';

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

function insideFunction(node) {
  for (let p = node.parent; p; p = p.parent) if (ts.isFunctionLike(p)) return true;
  return false;
}

/** Keys and errors (`file:line: ...`) found in one TypeScript source text. */
export function keysOf(file, text) {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const keys = [];
  const errors = [];
  const visit = (node) => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 't') {
      const arg = node.arguments[0];
      const where = `${file}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
      if (arg && (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg))) keys.push(arg.text);
      else errors.push(`${where}: t() needs a plain string as its first argument`);
      // At module level it would run once, at import, before any locale is set.
      if (!insideFunction(node)) errors.push(`${where}: t() outside a function runs before the locale is set; make the text lazy`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { keys, errors };
}

/** The English bundle's content for the repository at `repo`, plus extraction errors. */
export function extract(repo = root) {
  const all = new Set();
  const errors = [];
  for (const dir of ['server/src', 'client/src']) {
    for (const file of sources(join(repo, dir))) {
      const r = keysOf(relative(repo, file), readFileSync(file, 'utf8'));
      r.keys.forEach((k) => all.add(k));
      errors.push(...r.errors);
    }
  }
  const sorted = [...all].sort();
  const content = JSON.stringify(Object.fromEntries(sorted.map((k) => [k, k])), null, 2) + '\n';
  return { keys: sorted, content, errors };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { keys, content, errors } = extract();
  if (errors.length) {
    console.error(errors.join('\n'));
    process.exit(1);
  }
  const path = join(root, BUNDLE);
  if (process.argv.includes('--check')) {
    if (readFileSync(path, 'utf8') !== content) {
      console.error(`${BUNDLE} is out of date: run node scripts/l10n-extract.mjs`);
      process.exit(1);
    }
  } else {
    writeFileSync(path, content);
  }
  console.log(`${keys.length} messages`);
}
