import { normalizeTechniqueId, techniqueInfo, translate, versionOf, equivalents } from '../../catalog/attack/attack';
import type { SigmaDocument, Span } from '../../sigma/document';
import { lineEnd, lineStart, topValueNode } from './nodes';
import { finding, type Fix, type ValidationFinding } from './types';
import { isSeq } from 'yaml';

/**
 * Tags by the rules specification ("Tags": lower case, digits, `_` and `-`, namespaced with dots; the
 * schema's pattern) and the tags appendix (sigma-appendix-tags.md: namespaces and their values).
 * ATT&CK ids are checked against both ATT&CK versions the catalog knows (v18 and v19).
 */
const TAG_PATTERN = /^[a-z0-9_-]+\.[a-z0-9._-]+$/;
/** The appendix's own d3fend artifact example (`d3fend.d3f-WindowsNtOpenFile`) is mixed case. */
const D3FEND_PATTERN = /^d3fend\.d3f?-[A-Za-z0-9._-]+$/;
const NAMESPACES = new Set(['attack', 'car', 'cve', 'd3fend', 'detection', 'stp', 'tlp']);
const DETECTION_VALUES = new Set(['dfir', 'emerging-threats', 'threat-hunting']);
const TLP_VALUES = new Set(['red', 'amber', 'amber-strict', 'green', 'clear', 'white']);
/** Tactic short names of both ATT&CK versions (v19 renamed defense-evasion to stealth and added defense-impairment). */
export const TACTIC_TAGS = [
  'reconnaissance', 'resource-development', 'initial-access', 'execution', 'persistence', 'privilege-escalation',
  'defense-evasion', 'stealth', 'defense-impairment', 'credential-access', 'discovery', 'lateral-movement',
  'collection', 'command-and-control', 'exfiltration', 'impact',
];
const TACTIC_ALIASES: Record<string, string[]> = { stealth: ['defense-evasion'], 'defense-evasion': ['stealth'] };
const ATTACK_OBJECT = /^(?:g|s|m|ds|a|ta)\d{4}$/;

interface Tag {
  value: string;
  span: Span;
}

/** False (and an error) when the tag breaks the syntax; further checks are skipped then. */
function checkFormat(tag: Tag, out: ValidationFinding[]): boolean {
  if (TAG_PATTERN.test(tag.value) || D3FEND_PATTERN.test(tag.value)) return true;
  const lower = tag.value.toLowerCase().replace(/\s+/g, '_');
  const fixes: Fix[] = lower !== tag.value && TAG_PATTERN.test(lower) ? [{ title: `Change to ${lower}`, edits: [{ ...tag.span, newText: lower }], preferred: true }] : [];
  out.push(finding(tag.span, 'error', 'invalid-tag', `Tag '${tag.value}' does not follow the tag syntax: namespace.value in lower-case letters, digits, '_', '-' and '.'`, fixes));
  return false;
}

function checkNamespace(tag: Tag, out: ValidationFinding[]): void {
  const [namespace = '', ...rest] = tag.value.split('.');
  const value = rest.join('.');
  if (!NAMESPACES.has(namespace)) {
    out.push(finding(tag.span, 'hint', 'unknown-tag-namespace', `'${namespace}' is not a namespace of the Sigma tags appendix (${[...NAMESPACES].join(', ')})`));
  } else if (namespace === 'detection' && !DETECTION_VALUES.has(value)) {
    out.push(finding(tag.span, 'warning', 'unknown-tag', `detection tags are ${[...DETECTION_VALUES].map((v) => `detection.${v}`).join(', ')}`));
  } else if (namespace === 'tlp' && !TLP_VALUES.has(value)) {
    out.push(finding(tag.span, 'warning', 'unknown-tag', `tlp tags are ${[...TLP_VALUES].map((v) => `tlp.${v}`).join(', ')}`));
  } else if (namespace === 'cve' && !/^\d{4}-\d{4,}$/.test(value)) {
    out.push(finding(tag.span, 'warning', 'unknown-tag', `cve tags are written cve.YYYY-NNNN (e.g. cve.2021-44228)`));
  }
}

/** Replaces the tag text inside its scalar (keeping quotes). */
function replaceTag(doc: SigmaDocument, tag: Tag, newText: string): Fix['edits'] {
  const inner = doc.text.indexOf(tag.value, tag.span.start);
  const start = inner >= 0 && inner < tag.span.end ? inner : tag.span.start;
  return [{ start, end: start + (inner >= 0 ? tag.value.length : tag.span.end - tag.span.start), newText }];
}

/** Deletes a block list item's whole line (used when the successor is already tagged). */
function deleteTagLine(doc: SigmaDocument, tag: Tag): Fix['edits'] {
  const start = lineStart(doc.text, tag.span.start);
  const end = Math.min(doc.text.length, lineEnd(doc.text, tag.span.end) + 1);
  return [{ start, end, newText: '' }];
}

/** An edit that appends a tag to the tags list (block or flow). */
export function appendTagEdit(doc: SigmaDocument, newTag: string): Fix['edits'] {
  const node = topValueNode(doc, 'tags');
  const last = doc.tags[doc.tags.length - 1];
  if (!last || !isSeq(node)) return [];
  if (node.flow) return [{ start: last.span.end, end: last.span.end, newText: `, ${newTag}` }];
  const start = lineStart(doc.text, last.span.start);
  const prefix = doc.text.slice(start, last.span.start);
  const at = lineEnd(doc.text, last.span.end);
  return [{ start: at, end: at, newText: `\n${prefix}${newTag}` }];
}

function checkTechnique(doc: SigmaDocument, tag: Tag, tags: Set<string>, out: ValidationFinding[]): void {
  const id = normalizeTechniqueId(tag.value);
  if (!id) return;
  const info = techniqueInfo(id);
  if (!info) {
    out.push(finding(tag.span, 'warning', 'unknown-technique', `${id} is not a technique in ATT&CK v18 or v19`));
    return;
  }
  const successors = versionOf(id) === 'v18' ? translate(id, 'v19').filter((s) => s !== id) : [];
  if (successors.length > 0) {
    const fixes = successors.map((s, i): Fix => {
      const newTag = `attack.${s.toLowerCase()}`;
      return { title: tags.has(newTag) ? `Remove ${tag.value} (${newTag} is already tagged)` : `Replace with ${newTag} (${techniqueInfo(s)?.name ?? s})`, edits: tags.has(newTag) ? deleteTagLine(doc, tag) : replaceTag(doc, tag, newTag), preferred: i === 0 };
    });
    out.push(finding(tag.span, 'warning', 'revoked-technique', `${id} (${info.name}) was replaced in ATT&CK v19 by ${successors.join(', ')}`, fixes));
  } else if (info.revoked) {
    out.push(finding(tag.span, 'warning', 'revoked-technique', `${id} (${info.name}) is revoked in ATT&CK`));
  }
}

function tacticsOf(id: string): string[] {
  const ids = [id, ...equivalents(id)];
  return [...new Set(ids.flatMap((t) => techniqueInfo(t)?.tactics.map((x) => x.shortname) ?? []))];
}

/** A technique tag whose tactics none is tagged: a warning with one fix per tactic. */
function checkTactics(doc: SigmaDocument, techniqueTags: Tag[], tags: Set<string>, out: ValidationFinding[]): void {
  for (const tag of techniqueTags) {
    const id = normalizeTechniqueId(tag.value);
    if (!id || !techniqueInfo(id)) continue;
    const own = techniqueInfo(id)?.tactics.map((t) => t.shortname) ?? [];
    const accepted = tacticsOf(id).flatMap((t) => [t, ...(TACTIC_ALIASES[t] ?? [])]);
    if (accepted.length === 0 || accepted.some((t) => tags.has(`attack.${t}`))) continue;
    const preferred = own.length ? own : accepted;
    const fixes = preferred.map((t, i): Fix => ({ title: `Add tag attack.${t}`, edits: appendTagEdit(doc, `attack.${t}`), preferred: i === 0 }));
    out.push(finding(tag.span, 'warning', 'missing-tactic', `${id} belongs to tactic ${preferred.join(' / ')}, which the rule does not tag`, fixes.filter((f) => f.edits.length)));
  }
}

export function validateTags(doc: SigmaDocument, raw: Record<string, unknown>): ValidationFinding[] {
  const out: ValidationFinding[] = [];
  if ('tags' in raw && !Array.isArray(raw.tags)) {
    const span = doc.topKeys.get('tags') ?? { start: 0, end: 0 };
    return [finding(span, 'error', 'invalid-type', 'tags must be a list of strings')];
  }
  const tags = new Set(doc.tags.map((t) => t.value));
  const seen = new Set<string>();
  const techniqueTags: Tag[] = [];
  for (const tag of doc.tags) {
    if (seen.has(tag.value)) out.push(finding(tag.span, 'error', 'duplicate-item', `'${tag.value}' appears twice in tags; tags must be unique`, [{ title: 'Remove the duplicate', edits: deleteTagLine(doc, tag) }]));
    seen.add(tag.value);
    if (!checkFormat(tag, out)) continue;
    checkNamespace(tag, out);
    if (!tag.value.startsWith('attack.')) continue;
    const value = tag.value.slice('attack.'.length);
    if (/^t\d{4}(\.\d{3})?$/.test(value)) {
      techniqueTags.push(tag);
      checkTechnique(doc, tag, tags, out);
    } else if (!TACTIC_TAGS.includes(value) && !ATTACK_OBJECT.test(value)) {
      out.push(finding(tag.span, 'warning', 'unknown-tag', `'${tag.value}' is neither an ATT&CK tactic, technique (attack.tNNNN), group, software, mitigation, data source nor asset id`));
    }
  }
  checkTactics(doc, techniqueTags, tags, out);
  return out;
}
