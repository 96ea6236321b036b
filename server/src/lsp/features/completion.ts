import type { CompletionItem, CompletionList, CompletionParams, Position } from 'vscode-languageserver/node';
import { knowledgeOf, type SigmaKnowledge } from '../../analysis/validate/knowledge';
import { parseFieldKey } from '../../sigma/modifiers';
import type { SigmaLogsource } from '../../sigma/rule';
import { guarded, type ServerContext } from '../context';
import * as items from './completionItems';
import { placeAt, type Place } from './yamlPlace';

/** Keys directly under a top-level key, read from the lines so a half-typed document still completes. */
function childLines(text: string, parent: string): [string, string][] {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => l.startsWith(`${parent}:`));
  if (start < 0) return [];
  const out: [string, string][] = [];
  let indent = -1;
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line) && !line.startsWith('#')) break;
    const m = /^(\s+)([^\s#:][^:]*):(.*)$/.exec(line);
    if (!m) continue;
    if (indent < 0) indent = m[1]!.length;
    if (m[1]!.length === indent) out.push([m[2]!.trim(), m[3]!.trim().replace(/^['"]|['"]$/g, '')]);
  }
  return out;
}

function logsourceOf(text: string): SigmaLogsource {
  const ls: SigmaLogsource = {};
  for (const [key, value] of childLines(text, 'logsource')) {
    if ((key === 'product' || key === 'category' || key === 'service') && value) ls[key] = value.toLowerCase();
  }
  return ls;
}

function selectionsOf(text: string): string[] {
  return childLines(text, 'detection').map(([k]) => k).filter((k) => k !== 'condition' && k !== 'timeframe');
}

function topKeys(text: string): Set<string> {
  return new Set(text.split(/\r?\n/).map((l) => /^([A-Za-z_][\w-]*):/.exec(l)?.[1]).filter((k): k is string => !!k));
}

interface Request {
  text: string;
  place: Place;
  position: Position;
  knowledge: SigmaKnowledge;
}

/** Items and the text they replace (from `replaceFrom` to the cursor on the cursor's line). */
function itemsFor(r: Request): { list: CompletionItem[]; replaceFrom: number; incomplete?: boolean } {
  const { place, text, knowledge } = r;
  const [top, selection, valueKey] = place.path;
  const from = place.typedStart;
  if (!top) {
    if (!place.inValue && !place.listItem) return { list: items.topLevelKeyItems(topKeys(text)), replaceFrom: from };
    return { list: place.key ? items.enumItems(place.key) : [], replaceFrom: from };
  }
  if (top === 'related' && place.key === 'type') return { list: items.enumItems('type'), replaceFrom: from };
  if (top === 'tags' && place.listItem && !place.inValue && place.path.length === 1) {
    const { items: list, byName } = items.tagItems(place.typed);
    return { list, replaceFrom: from, incomplete: byName };
  }
  if (top === 'logsource' && place.path.length === 1) {
    if (!place.inValue) return { list: items.logsourceKeyItems(new Set(childLines(text, 'logsource').map(([k]) => k))), replaceFrom: from };
    const part = place.key;
    if (part === 'product' || part === 'category' || part === 'service') return { list: items.logsourceValueItems(part, logsourceOf(text), knowledge), replaceFrom: from };
  }
  if (top !== 'detection') return { list: [], replaceFrom: from };
  return detectionItems(r, selection, valueKey);
}

function detectionItems(r: Request, selection: string | undefined, valueKey: string | undefined): { list: CompletionItem[]; replaceFrom: number } {
  const { place, text, knowledge } = r;
  if (!selection) {
    if (place.key === 'condition') {
      const word = /[^\s()]*$/.exec(place.typed)?.[0] ?? '';
      return { list: items.conditionItems(selectionsOf(text)), replaceFrom: place.typedStart + place.typed.length - word.length };
    }
    return { list: [], replaceFrom: place.typedStart };
  }
  const ls = logsourceOf(text);
  const fieldKey = valueKey ?? (place.inValue ? place.key : undefined);
  if (fieldKey !== undefined) {
    const { field, modifiers } = parseFieldKey(fieldKey);
    return { list: field ? items.valueItems(ls, field, modifiers, knowledge) : [], replaceFrom: place.typedStart };
  }
  const bar = place.typed.lastIndexOf('|');
  if (bar >= 0) {
    const existing = place.typed.slice(0, bar).split('|').slice(1);
    return { list: items.modifierItems(existing), replaceFrom: place.typedStart + bar + 1 };
  }
  return { list: items.fieldItems(ls, knowledge), replaceFrom: place.typedStart };
}

/** Completion in a Sigma rule: keys, log source values, fields, modifiers, values, tags and condition names. */
export function onCompletion(ctx: ServerContext, params: CompletionParams): Promise<CompletionList | null> {
  return guarded(ctx, 'completion', null, () => {
    const document = ctx.documents.get(params.textDocument.uri);
    if (!document) return null;
    const text = document.getText();
    const keys = topKeys(text);
    if (!(keys.has('detection') || keys.has('logsource'))) return null;
    const place = placeAt(text, params.position.line, params.position.character);
    const result = itemsFor({ text, place, position: params.position, knowledge: knowledgeOf(ctx.catalog.catalog) });
    const range = { start: { line: params.position.line, character: result.replaceFrom }, end: params.position };
    const list = result.list.map((item) => ({ ...item, textEdit: { range, newText: item.insertText ?? item.label }, insertText: undefined }));
    return { isIncomplete: result.incomplete ?? false, items: list.map(({ insertText: _i, ...item }) => item) };
  });
}
