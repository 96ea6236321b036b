import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { TechniqueListRequest } from '../../../server/src/lsp/protocol';
import type { TechniqueEntry } from '../../../server/src/panel/techniques';

interface TechniqueItem extends vscode.QuickPickItem {
  id?: string;
}

function item(t: TechniqueEntry): TechniqueItem {
  const equivalents = t.equivalents.map((e) => `${e.id} ${e.name}`).join(', ');
  return {
    id: t.id,
    label: `${t.id} ${t.name}`,
    description: `${t.tactics.join(', ') || 'no tactic'} · ${t.rules} rule${t.rules === 1 ? '' : 's'}`,
    // The other ATT&CK version's ids and names are searchable through the detail line.
    ...(equivalents ? { detail: `Other ATT&CK version: ${equivalents}` } : {}),
  };
}

/** Picks a technique by id or name (either ATT&CK version); techniques with rules come first. */
export async function pickTechnique(client: LanguageClient): Promise<string | undefined> {
  const list = client.sendRequest<TechniqueEntry[]>(TechniqueListRequest.method).then((entries) => {
    const withRules = entries.filter((t) => t.rules > 0).map(item);
    const others = entries.filter((t) => t.rules === 0).map(item);
    return [
      { label: 'Techniques with rules in the catalog', kind: vscode.QuickPickItemKind.Separator },
      ...withRules,
      { label: 'Other ATT&CK techniques', kind: vscode.QuickPickItemKind.Separator },
      ...others,
    ] as TechniqueItem[];
  });
  const picked = await vscode.window.showQuickPick(list, {
    title: 'Detection Lens: Open Technique Overview',
    placeHolder: 'Technique id or name, e.g. T1562 or Impair Defenses (ATT&CK v18 or v19)',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return picked?.id;
}
