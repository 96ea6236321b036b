import type { TextDocument } from 'vscode-languageserver-textdocument';
import { parseSigmaDocument, type SigmaDocument } from '../sigma/document';

/** Parsed Sigma documents keyed by URI and version; dropped when the document closes. */
export class DocumentCache {
  private readonly entries = new Map<string, { version: number; doc: SigmaDocument }>();

  get(document: TextDocument): SigmaDocument {
    const cached = this.entries.get(document.uri);
    if (cached && cached.version === document.version) return cached.doc;
    const doc = parseSigmaDocument(document.getText());
    this.entries.set(document.uri, { version: document.version, doc });
    return doc;
  }

  drop(uri: string): void {
    this.entries.delete(uri);
  }
}
