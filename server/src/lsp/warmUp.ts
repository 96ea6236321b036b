import { diagnose } from '../analysis/diagnose';
import { fieldHover, valueHover } from '../analysis/hoverContent';
import { predicatesAt } from '../analysis/predicateAt';
import { Catalog } from '../catalog/catalog';
import { parseSigmaDocument, siteAt } from '../sigma/document';

/** A small rule that walks the parse, diagnose and hover code once. */
const SAMPLE = `title: Warm-up
id: 00000000-0000-4000-8000-000000000000
status: test
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        Image|endswith: '\\\\cmd.exe'
        CommandLine|contains:
            - ' /c '
    filter:
        ParentImage: 'C:\\\\Windows\\\\explorer.exe'
    condition: selection and not filter
tags:
    - attack.t1059.003
level: low
`;

/**
 * Runs the request code paths once on the main thread while the server is idle at start-up. The parse
 * threads have warmed their own copies; without this the first hover pays for compiling the YAML
 * parser, the rule model and the hover text (tens of milliseconds), in the middle of a cold index.
 */
export function warmUp(): void {
  const doc = parseSigmaDocument(SAMPLE);
  const catalog = Catalog.fromOutcomes([]);
  diagnose(doc, { corpus: catalog.corpus, threshold: 2 });
  const rule = doc.rule;
  if (!rule) return;
  const hover = { overview: (t: string) => catalog.overview(t), totalRules: 0, reach: { corpus: catalog.corpus, threshold: 2 } };
  for (const needle of ['Image|endswith', 'cmd.exe']) {
    const hit = siteAt(doc, SAMPLE.indexOf(needle) + 1);
    if (!hit) continue;
    const predicate = predicatesAt(rule, hit.site, hit.value?.value)[0];
    if (predicate && hit.value) valueHover(predicate, predicate.values[0] ?? '', rule.techniques, hover);
    else if (predicate) fieldHover(predicate, rule.techniques, hover);
  }
}
