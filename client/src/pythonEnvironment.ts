// The Python interpreter the user selected in VS Code's Python extension, as
// the sys.prefix of its environment: the server looks for LLaMA-Factory there
// first. Read through the extension's public API (the shape
// @vscode/python-extension documents); nothing is run.
import * as vscode from 'vscode';

interface PythonEnvironmentsApi {
  getActiveEnvironmentPath(resource?: vscode.Uri): { path: string } | undefined;
  resolveEnvironment(env: { path: string }): Promise<{ executable?: { sysPrefix?: string } } | undefined>;
  onDidChangeActiveEnvironmentPath: vscode.Event<unknown>;
}

async function api(): Promise<PythonEnvironmentsApi | undefined> {
  const ext = vscode.extensions.getExtension<{ environments?: PythonEnvironmentsApi }>('ms-python.python');
  if (!ext) return undefined;
  try {
    return (ext.isActive ? ext.exports : await ext.activate())?.environments;
  } catch {
    return undefined;
  }
}

/** sys.prefix of the selected interpreter for a resource; undefined without the Python extension. */
export async function selectedPythonPrefix(resource?: vscode.Uri): Promise<string | undefined> {
  const environments = await api();
  try {
    const active = environments?.getActiveEnvironmentPath(resource);
    return active ? (await environments?.resolveEnvironment(active))?.executable?.sysPrefix : undefined;
  } catch {
    return undefined;
  }
}

/** Calls `listener` when the user selects another interpreter. */
export async function onPythonEnvironmentChange(listener: () => void): Promise<vscode.Disposable | undefined> {
  return (await api())?.onDidChangeActiveEnvironmentPath(listener);
}
