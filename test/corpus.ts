// The upstream example configs (vendor/llamafactory), grouped the way the tests use them.
import { readdirSync, statSync } from 'node:fs';
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
