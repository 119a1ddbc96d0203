// The upstream example configs (vendor/llamafactory), grouped the way the tests use them.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { corpusDir } from './vendored';

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const examples = path.join(corpusDir, 'examples');
const yamls = () => walk(examples).filter((f) => f.endsWith('.yaml')).sort();

/** Files that are not training configs: Accelerate configs and the special-token side file. */
const isSideFile = (f: string) => f.includes(`${path.sep}accelerate${path.sep}`) || /fsdp_config|tokens_cfg/.test(path.basename(f));

export const v1Examples = (): string[] => yamls().filter((f) => f.includes(`${path.sep}v1${path.sep}`));
export const v0Examples = (): string[] => yamls().filter((f) => !f.includes(`${path.sep}v1${path.sep}`) && !isSideFile(f));
export const sideFiles = (): string[] => yamls().filter(isSideFile);

/**
 * How many upstream examples are v0 and v1 training configs by their content (a top-level
 * `model_name_or_path:` or, under v1/, `model:` line, as the corpus's source notes describe them),
 * independent of the path-based grouping above: the expected sizes of v0Examples and v1Examples.
 */
export function configCountsByContent(): { v0: number; v1: number } {
  const texts = yamls().map((f) => ({ v1: f.includes(`${path.sep}v1${path.sep}`), text: readFileSync(f, 'utf8') }));
  return {
    v0: texts.filter((f) => !f.v1 && /^model_name_or_path:/m.test(f.text)).length,
    v1: texts.filter((f) => f.v1 && /^model:/m.test(f.text)).length,
  };
}
