// Custom LSP messages, typed once here and imported by both the client and the
// server (other editors can send the same method names).
import { RequestType } from 'vscode-languageserver-protocol';

export interface DocumentStatusParams {
  uri: string;
}

export interface DocumentStatus {
  kind: 'llamafactory-v0' | 'llamafactory-v1' | 'other';
  /** One line for the language-status item: the target GPU, or why hardware checks are off. */
  target: string;
}

/** What the server makes of one open document. */
export const DocumentStatusRequest = new RequestType<DocumentStatusParams, DocumentStatus, void>('llamafactory/documentStatus');

/** The section of the editor settings the server reads. */
export const SETTINGS_SECTION = 'llamafactory';
