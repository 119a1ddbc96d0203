// Prints how many field-style problems the checks find (recall) and how many of
// the error-level ones get a real quick-fix that clears them (fix rate), per kind,
// for the field fixtures and for LLaMA-Factory's examples with one mistake written
// into each (test/field-corpus.ts). Run: npm run build && node out/tools/fix-rate.js [--misses]
import { allFixtureFiles, errorFixRate, fieldFixtures, measure, total, upstreamDerived } from '../test/field-corpus';
import type { Tally } from '../test/field-corpus';

const pct = (n: number, d: number) => (d === 0 ? '—' : `${((100 * n) / d).toFixed(1)} %`);

function table(title: string, tallies: Map<string, Tally>): string[] {
  const rows = [...tallies.entries()].sort(([a], [b]) => a.localeCompare(b));
  const all = total(tallies.values());
  const line = (kind: string, t: Tally) => `| ${kind} | ${t.problems} | ${t.found} | ${pct(t.found, t.problems)} | ${t.errors} | ${t.fixed} | ${pct(t.fixed, t.errors)} |`;
  return [
    `### ${title}`,
    '',
    '| kind | problems | found | recall | error-level | real fix | fix rate |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(([kind, t]) => line(kind, t)),
    line('**all**', all),
    '',
  ];
}

if (require.main === module) {
  const fixtures = measure(fieldFixtures());
  const derived = measure(upstreamDerived());
  const both = total([total(fixtures.values()), total(derived.values())]);
  const out = [
    ...table('Field fixtures (test/fixtures/field)', fixtures),
    ...table('Upstream-derived broken configs (vendor/llamafactory/examples, one mistake each)', derived),
    `Together: recall ${pct(both.found, both.problems)} (${both.found}/${both.problems}); error-level problems with a real fix ${pct(both.fixed, both.errors)} (${both.fixed}/${both.errors}).`,
  ];
  const rows = [...errorFixRate(allFixtureFiles()).entries()].sort(([a], [b]) => a.localeCompare(b));
  const errors = rows.reduce((n, [, r]) => n + r.errors, 0);
  const fixed = rows.reduce((n, [, r]) => n + r.fixed, 0);
  out.push('', '### Every error-level diagnostic on every YAML under test/fixtures', '', `${fixed}/${errors} have a real fix (${pct(fixed, errors)}). Codes without one:`, '',
    ...rows.filter(([, r]) => r.fixed < r.errors).map(([code, r]) => `- \`${code}\`: ${r.errors - r.fixed} of ${r.errors}`));
  if (process.argv.includes('--misses')) out.push('', ...both.misses);
  process.stdout.write(`${out.join('\n')}\n`);
}
