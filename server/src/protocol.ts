// Custom LSP messages, typed once here and imported by both the client and the
// server (other editors can send the same method names).
import { RequestType } from 'vscode-languageserver-protocol';
import type { MemoryEstimateResult, NewConfigParams, NewConfigResult } from './service';

export interface DocumentStatusParams {
  uri: string;
}

export interface DocumentStatus {
  kind: 'llamafactory-v0' | 'llamafactory-v1' | 'other';
  /** One line for the language-status item: the target GPU, or why hardware checks are off. */
  target: string;
  /** The LLaMA-Factory the document is checked against ("LLaMA-Factory 0.9.3 · .venv"), its folder or problem, and whether that is a warning. */
  release?: { text: string; detail: string; warning: boolean };
}

/** What the server makes of one open document. */
export const DocumentStatusRequest = new RequestType<DocumentStatusParams, DocumentStatus, void>('llamafactory/documentStatus');

/** The section of the editor settings the server reads. */
export const SETTINGS_SECTION = 'llamafactory';

export interface EstimateMemoryParams {
  uri: string;
}

/** The report, its one-line summary, the breakdown as Markdown and the same config on common GPUs. */
export type EstimateMemoryResult = MemoryEstimateResult;

/** The memory estimate of one open document; null when it is not a training config the estimator can size. */
export const EstimateMemoryRequest = new RequestType<EstimateMemoryParams, EstimateMemoryResult | null, void>('llamafactory/estimateMemory');

export type { NewConfigParams, NewConfigResult };

/** A new training config for a model, method and GPU that fits that GPU (the "New LLaMA-Factory Config" command). */
export const NewConfigRequest = new RequestType<NewConfigParams, NewConfigResult, void>('llamafactory/newConfig');
