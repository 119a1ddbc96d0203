// The summary suite/index.ts writes for the runner: one row per scenario.
export interface ScenarioResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
  skipReason?: string;
}
