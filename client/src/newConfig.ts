// "New LLaMA-Factory Config": asks for the model, the method, the GPU and the
// GPU count, lets the server compose a config that fits, and opens it as a new
// untitled YAML document.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { NewConfigRequest } from '../../server/src/protocol';
import type { NewConfigResult } from '../../server/src/protocol';
import { SUGGESTED_MODELS, t } from '../../server/src/service/presentation';
import type { NewConfigMethod } from '../../server/src/service/presentation';
import { chooseGpu } from './gpuPicker';

const methods = (): (vscode.QuickPickItem & { method: NewConfigMethod })[] => [
  { label: 'LoRA', description: t('low-rank adapters on a 16-bit model'), method: 'lora' },
  { label: 'QLoRA 4-bit', description: t('LoRA on a 4-bit quantized model: the least memory'), method: 'qlora' },
  { label: t('Full'), description: t('every weight trained (DeepSpeed ZeRO-3 across several GPUs)'), method: 'full' },
  { label: t('Freeze'), description: t('only the last layers trained'), method: 'freeze' },
];

async function chooseModel(): Promise<string | undefined> {
  const other = t('Other model…');
  const items: vscode.QuickPickItem[] = [...SUGGESTED_MODELS.map((m) => ({ label: m.id, description: t('template {0}', m.template) })), { label: other, description: t('a Hub id or a local folder') }];
  const picked = await vscode.window.showQuickPick(items, { title: t('New LLaMA-Factory Config: model'), placeHolder: t('The model to fine-tune') });
  if (picked?.label !== other) return picked?.label;
  const typed = await vscode.window.showInputBox({ title: t('New LLaMA-Factory Config: model'), prompt: t('Hugging Face / ModelScope id or local path'), placeHolder: 'Qwen/Qwen2.5-7B-Instruct' });
  return typed?.trim() || undefined;
}

async function chooseCount(): Promise<number | undefined> {
  const picked = await vscode.window.showQuickPick(['1', '2', '4', '8'], { title: t('New LLaMA-Factory Config: number of GPUs') });
  return picked ? Number(picked) : undefined;
}

function report(r: NewConfigResult): void {
  const applied = r.applied ? t(' Changed from the preset to fit: {0}.', r.applied) : '';
  const used = r.deviceGiB?.toFixed(1) ?? '?';
  if (r.fits === null) {
    void vscode.window.showInformationMessage(t("New config for {0}. The model's size is unknown, so it was not sized against the GPU.", r.gpuName));
  } else if (r.fits) {
    void vscode.window.showInformationMessage(t('New config for {0}: ≈ {1} GiB of {2} GiB usable.', r.gpuName, used, r.usableGiB.toFixed(1)) + applied);
  } else {
    void vscode.window.showWarningMessage(t('No setting found that fits {0}: ≈ {1} GiB of {2} GiB usable. Try QLoRA, more GPUs or a smaller model.', r.gpuName, used, r.usableGiB.toFixed(1)) + applied);
  }
}

/** Runs the command; resolves to the new document, or undefined when a question was dismissed. */
export async function newConfig(client: LanguageClient): Promise<vscode.TextDocument | undefined> {
  const model = await chooseModel();
  if (!model) return undefined;
  const method = (await vscode.window.showQuickPick(methods(), { title: t('New LLaMA-Factory Config: method') }))?.method;
  if (!method) return undefined;
  const current = vscode.workspace.getConfiguration('llamafactory').get<string>('gpu', '');
  const gpu = await chooseGpu(t('New LLaMA-Factory Config: GPU'), current, false);
  if (!gpu) return undefined;
  const gpus = await chooseCount();
  if (!gpus) return undefined;
  const result = await client.sendRequest(NewConfigRequest, { model, method, gpu, gpus });
  const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: result.text });
  await vscode.window.showTextDocument(doc);
  report(result);
  return doc;
}
