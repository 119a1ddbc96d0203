// Helpers shared by the generators.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function readFacts(factsDir, name) {
  return JSON.parse(readFileSync(join(factsDir, name), 'utf8'));
}

/** Stable JSON text for committed files. */
export function jsonText(value) {
  return `${JSON.stringify(value, null, 2)}\n`;
}
