// Regenerates every committed fact file from vendor/facts (the single source
// of LLaMA-Factory, GPU and model facts; vendor/README.md says how to refresh it). Each generator in scripts/generators
// is pure: it reads the facts folder and returns { path: content }.
// `--check` writes nothing and exits 1 when a committed file has drifted.
import { readdirSync, readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const factsDir = resolve(root, 'vendor/facts');
const check = process.argv.includes('--check');

/** Runs all generators and returns the files they produce. */
export async function generateAll(facts = factsDir) {
  const out = {};
  const dir = join(root, 'scripts/generators');
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.mjs')).sort()) {
    const mod = await import(pathToFileURL(join(dir, name)).href);
    Object.assign(out, mod.generate(facts));
  }
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (!existsSync(factsDir)) {
    console.error(`facts folder not found: ${factsDir}`);
    process.exit(2);
  }
  const files = await generateAll();
  const drifted = [];
  for (const [rel, content] of Object.entries(files)) {
    const path = join(root, rel);
    const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    if (current === content) continue;
    drifted.push(rel);
    if (!check) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
    }
  }
  if (check && drifted.length) {
    console.error(`generated files out of date (run npm run generate): ${drifted.join(', ')}`);
    process.exit(1);
  }
  console.log(check ? 'generated files are up to date' : `wrote ${drifted.length} of ${Object.keys(files).length} generated files`);
}
