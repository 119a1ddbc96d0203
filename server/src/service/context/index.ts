// The analysis context: what every step after parsing reads about one config.
// It sits below the rules, the memory estimate and the features (all of which
// take it) and above the document, the files and the GPU facts it is made of;
// the readers of files a config names (config-files/) cache their results per context.
import type { ConfigDocument } from '../document';
import type { DataScanner } from './data/scan';
import type { ResolvedRelease } from './release/resolve';
import type { TargetGpu } from '../hardware/types';
import type { LaunchContext } from './launch';
import type { ServiceHost, ServiceSettings } from '../types';

/**
 * What every analysis step reads about one config: the parsed document, where
 * it lives, how to reach the files it names, the settings and the target GPU.
 * Rules, the memory estimate and the editor features all take this one object,
 * and per-config caches (DeepSpeed file, estimate) are keyed by it.
 */
export interface AnalysisContext {
  doc: ConfigDocument;
  /** File-system path of the config (for resolving the paths it references). */
  configPath: string;
  host: ServiceHost;
  settings: ServiceSettings;
  /** The GPU the user targets; undefined when none is known (hardware checks stay silent). */
  target: TargetGpu | undefined;
  /** How the run is launched, when a launch command is given or found (launch/); undefined otherwise. */
  launch?: LaunchContext;
  /** Background scans of the dataset files the config names; absent where nothing is read in the background. */
  data?: DataScanner;
  /** The LLaMA-Factory release the config is checked against (release/); undefined means main's facts. */
  release?: ResolvedRelease;
}
