// The summary suite/index.ts writes for the runner: one row per scenario.
export interface ScenarioResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  error?: string;
  skipReason?: string;
}
