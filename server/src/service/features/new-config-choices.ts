// What the "New LLaMA-Factory Config" command offers: the methods and a few
// common models (ids the model catalog knows) with their chat template. Kept
// free of imports so the VS Code client can bundle it.

export type NewConfigMethod = 'lora' | 'qlora' | 'full' | 'freeze';
export const NEW_CONFIG_METHODS: readonly NewConfigMethod[] = ['lora', 'qlora', 'full', 'freeze'];

export const SUGGESTED_MODELS: readonly { id: string; template: string }[] = [
  { id: 'meta-llama/Meta-Llama-3-8B-Instruct', template: 'llama3' },
  { id: 'meta-llama/Llama-3.1-8B-Instruct', template: 'llama3' },
  { id: 'meta-llama/Llama-3.2-3B-Instruct', template: 'llama3' },
  { id: 'Qwen/Qwen2.5-1.5B-Instruct', template: 'qwen' },
  { id: 'Qwen/Qwen2.5-7B-Instruct', template: 'qwen' },
  { id: 'Qwen/Qwen3-4B-Instruct-2507', template: 'qwen3_nothink' },
  { id: 'Qwen/Qwen3-8B', template: 'qwen3' },
  { id: 'google/gemma-2-9b-it', template: 'gemma2' },
  { id: 'mistralai/Mistral-7B-Instruct-v0.3', template: 'mistral' },
  { id: 'microsoft/phi-4', template: 'phi4' },
];
