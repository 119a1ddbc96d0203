// Files a config names that shape the run (DeepSpeed JSON, JSON-valued keys):
// read here, below the rules and the memory estimate, which both use them.
export { loadDeepSpeed, readDeepSpeed, zero3 } from './deepspeed';
export type { DeepSpeedConfig, DeepSpeedLoad } from './deepspeed';
export { referencedJson } from './json-reference';
export type { ReferencedJson } from './json-reference';
