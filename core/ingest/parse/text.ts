// Plain text and source code: the text as is, one section.
import type { DocKind, ParsedDocument } from './types.js';

export function parsePlain(text: string, kind: Extract<DocKind, 'text' | 'code'>): ParsedDocument {
  return { kind, text, sections: [{ charStart: 0, charEnd: text.length, page: null, headingPath: [] }] };
}
