// Every diagnostic code the service can emit, and where each one is
// documented. Codes are a public contract: users write them in disable
// comments, the `rules` setting and .llamafactory-lint.yaml.
import manifest from '../../../package.json';
import { rules } from './rules';

/** Codes emitted outside the rule registry, by the part of the service that emits them. */
export const CORE_CODES = {
  /** document.ts: reading the file */
  document: ['file-too-large', 'binary-content', 'nesting-too-deep', 'invalid-utf8', 'yaml-syntax', 'multiple-documents', 'root-not-mapping', 'alias-limit'],
  /** schema/: keys, types and choices */
  schema: ['unknown-key', 'internal-key', 'requires-env', 'duplicate-key', 'plugin-missing-key', 'invalid-value', 'invalid-choice', 'type-mismatch', 'string-boolean', 'string-number', 'foreign-key', 'foreign-value'],
  /** v1/cross-format.ts */
  formats: ['v0-key-in-v1', 'v1-key-in-v0'],
  /** hardware/target.ts: the `# llamafactory-gpu:` comment */
  target: ['hw-directive-count', 'hw-unknown-gpu'],
  /** context/release/: the LLaMA-Factory release in use and how it reads YAML */
  release: ['unknown-release', 'v1-unavailable', 'yaml-number-as-text'],
  /** context/launch/: the command line that starts the run */
  launch: ['launch-unparsed', 'launch-unknown-variable', 'launch-other-config', 'launch-override-syntax', 'launch-accelerate-missing', 'launch-accelerate-invalid', 'launch-gpu-count-mismatch'],
  /** context/launch/accelerate-check.ts: an accelerate config file opened in the editor */
  accelerate: ['accelerate-unknown-key', 'accelerate-invalid-value', 'accelerate-num-processes'],
  /** analyze.ts: a check that threw */
  internal: ['internal-error'],
  /** project/: .llamafactory-lint.yaml and [tool.llamafactory-lint] */
  project: ['config-invalid'],
  /** context/data/registry-check.ts: dataset_info.json opened on its own */
  registry: ['dataset-info-invalid-json', 'dataset-info-type', 'dataset-info-duplicate', 'dataset-info-unknown-field', 'dataset-info-formatting', 'dataset-info-column', 'dataset-info-ranking-columns', 'dataset-info-no-source', 'dataset-info-file-missing', 'dataset-info-remote'],
} as const satisfies Record<string, readonly string[]>;

let sorted: readonly string[] | undefined;

/** Every code, sorted. */
export function allCodes(): readonly string[] {
  sorted ??= [...new Set([...Object.values(CORE_CODES).flat(), ...rules.flatMap((r) => r.codes)])].sort();
  return sorted;
}

/** The repository's web address, from the manifest (`git+https://...git` forms trimmed). */
const repositoryUrl = manifest.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');

/** The page that explains `code` (docs/rules/<code>.md in the repository). */
export function codeDocUrl(code: string): string {
  return `${repositoryUrl}/blob/main/docs/rules/${encodeURIComponent(code)}.md`;
}
