// "Select Target GPU": a QuickPick of the GPU catalog grouped by vendor, with
// memory, that writes the `llamafactory.gpu` setting for the current folder
// (the same QuickPick also serves "New LLaMA-Factory Config").
import * as vscode from 'vscode';
import { gpuChoices, t } from '../../server/src/service/presentation';

interface GpuItem extends vscode.QuickPickItem {
  id?: string;
}

/** Asks for a GPU of the catalog; resolves to its id ('' for "None" when `allowNone`), or undefined when dismissed. */
export async function chooseGpu(title: string, current: string, allowNone: boolean): Promise<string | undefined> {
  const items: GpuItem[] = allowNone ? [{ label: t('None'), description: t('hardware checks off'), id: '' }] : [];
  let vendor = '';
  for (const g of gpuChoices()) {
    if (g.vendor !== vendor) {
      vendor = g.vendor;
      items.push({ label: vendor, kind: vscode.QuickPickItemKind.Separator });
    }
    items.push({ label: g.name, description: `${g.memoryGiB} GiB · ${g.architecture}`, detail: g.id === current ? t('current') : undefined, id: g.id });
  }
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: current || t('Type to filter (e.g. 4090, A100, H100)'), matchOnDescription: true });
  return picked?.id;
}

export async function pickGpu(resource: vscode.Uri | undefined): Promise<void> {
  const config = vscode.workspace.getConfiguration('llamafactory', resource);
  const id = await chooseGpu(t('Target GPU for LLaMA-Factory configs'), config.get<string>('gpu', ''), true);
  if (id === undefined) return;
  const folder = resource && vscode.workspace.getWorkspaceFolder(resource);
  const target = folder ? vscode.ConfigurationTarget.WorkspaceFolder : vscode.workspace.workspaceFolders ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config.update('gpu', id, target);
}
