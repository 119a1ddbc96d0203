// Public types of the pure language service. Positions and diagnostics use the
// LSP data types (plain objects, no connection) so the server passes them
// through unchanged and the CLI prints them.
import type { Diagnostic, DiagnosticSeverity, Range } from 'vscode-languageserver-types';

export type { Diagnostic, Range };

/** What a YAML file is, decided by `classify`. */
export type ConfigKind = 'llamafactory-v0' | 'llamafactory-v1' | 'other';

/** File access is injected so the service never touches the disk itself. */
export interface ServiceHost {
  /** Returns the file's text, or undefined when it cannot be read. */
  readFile(path: string): string | undefined;
  /** True when the path exists and is a directory. */
  isDirectory(path: string): boolean;
  /** Names in a directory, or [] when it cannot be listed. */
  listDir(path: string): string[];
  /** Folders to try after the config's own folder and its parents (workspace folders, cwd). */
  searchRoots(): string[];
  /** An environment variable (HF_HOME, HF_HUB_CACHE, ...), or undefined. */
  env(name: string): string | undefined;
  /** The user's home folder, for default cache locations. */
  homeDir(): string;
  /**
   * A model's config.json fetched from the Hugging Face Hub, when the user
   * allowed Hub lookups and it has already been fetched; undefined otherwise.
   * Must not block: a host that fetches does so in the background.
   */
  hubConfig?(modelId: string): string | undefined;
  /**
   * The Hugging Face Hub API's JSON about a dataset (`/api/datasets/<id>`), under the same
   * terms as hubConfig: only when Hub lookups are allowed, never blocking.
   */
  hubDataset?(datasetId: string): string | undefined;
  /**
   * The file's text read now, past any short-lived cache the host keeps for readFile; hosts without
   * such a cache leave it out. Used where a file is read because it changed.
   */
  readFileNow?(path: string): string | undefined;
  /** Size and modification time of a file, or undefined when it is not a readable file. */
  stat?(path: string): FileStat | undefined;
  /**
   * Bytes [start, end) of a file (fewer at its end). Dataset files are read in
   * pieces through this, so a large one is streamed rather than loaded whole.
   */
  readBytes?(path: string, start: number, end: number): Promise<Uint8Array>;
}

export interface FileStat {
  size: number;
  mtimeMs: number;
}

/** Severity override for one rule code. */
export type RuleSeverity = 'off' | 'information' | 'warning' | 'error';

export interface ParseLimits {
  /** Largest document analysed, in characters; larger ones are refused with one diagnostic. */
  maxChars: number;
  /** Alias expansions allowed while resolving values (guards against alias bombs). */
  maxAliasExpansions: number;
  /** Deepest nesting of mappings and lists analysed; deeper files are refused before the YAML parser recurses into them. */
  maxDepth: number;
}

/** What a project config may set; everything is optional. */
export interface ProjectSettings {
  /** Severity per code, as in the `llamafactory.rules` setting. */
  rules: Record<string, RuleSeverity>;
  gpu?: string;
  gpus?: number;
  /** Globs of YAML files that count as configs whatever their content. */
  files?: string[];
  /** Globs (relative to the project config's folder) of files never checked. */
  exclude?: string[];
  /** The LLaMA-Factory release the configs are written for, as written. */
  version?: string;
  /** How the configs are launched (a command line), as written. */
  launch?: string;
}

/** A project config file (read by project/config.ts) and what it sets. */
export interface ProjectConfig {
  /** The file the settings came from. */
  path: string;
  settings: ProjectSettings;
  /** Mistakes in that file, with ranges in it. */
  problems: Diagnostic[];
}

/** Everything here belongs to one document: two documents analysed by one service may have different settings. */
export interface ServiceSettings {
  /** Glob-free list of extra file patterns (minimatch syntax) that count as configs. */
  files: string[];
  /** Per-rule severity overrides keyed by diagnostic code. */
  rules: Record<string, RuleSeverity>;
  /** Target GPU as written by the user (id, loose form or nvidia-smi name); empty for none. */
  gpu: string;
  /** Number of GPUs the job runs on. */
  gpuCount: number;
  /** How the run is launched (`llamafactory.launch`): a command line, '' to look for one in the workspace. */
  launch?: string;
  /** Dataset files larger than this many MB are read this far and their sample counts estimated (`llamafactory.datasets.maxScanMB`). */
  datasetScanMB?: number;
  /** Percent of training samples cutoff_len may cut before `dataset-truncated` warns (`llamafactory.datasets.truncationWarningPercent`). */
  truncationWarnPercent?: number;
  /** Whether this document may use the host's `hubConfig` (off unless true). */
  hubLookup?: boolean;
  /** Bounds for parsing this document; the service's own limits fill in what is missing. */
  limits?: Partial<ParseLimits>;
  /** The LLaMA-Factory to check against (`llamafactory.version`): a release ("0.9.3", "main") or a folder; empty or absent to detect it. */
  version?: string;
  /** sys.prefix of the Python interpreter the editor has selected (VS Code's Python extension), searched first for LLaMA-Factory. */
  pythonEnvironment?: string;
  /** Fix all (and fix on save) also applies the preferred fixes that are not safe (`llamafactory.unsafeFixes`), as `--fix --unsafe` does. */
  unsafeFixes?: boolean;
  /** The project config these settings were merged with (`LanguageService.settingsFor`), if any. */
  project?: ProjectConfig;
}

export const defaultSettings: ServiceSettings = { files: [], rules: {}, gpu: '', gpuCount: 1, launch: '', version: '' };

/** The source name every diagnostic carries. */
export const DIAGNOSTIC_SOURCE = 'llamafactory';

export function makeDiagnostic(
  range: Range,
  severity: DiagnosticSeverity,
  code: string,
  message: string,
  data?: unknown,
): Diagnostic {
  const d: Diagnostic = { range, severity, code, source: DIAGNOSTIC_SOURCE, message };
  if (data !== undefined) d.data = data;
  return d;
}
