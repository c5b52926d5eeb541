// Turns "a heading starts here" marks into contiguous sections that tile the whole text.
import type { Section } from './types.js';

export interface HeadingMark {
  charStart: number;
  depth: number;
  title: string;
}

/** Sections for one text: text before the first heading gets [], each heading opens a new section. */
export function sectionsFromHeadings(textLength: number, marks: HeadingMark[], page: number | null = null): Section[] {
  const sections: Section[] = [];
  const stack: { depth: number; title: string }[] = [];
  let start = 0;
  let path: string[] = [];
  for (const mark of [...marks].sort((a, b) => a.charStart - b.charStart)) {
    const at = Math.min(Math.max(mark.charStart, start), textLength);
    if (at > start) sections.push({ charStart: start, charEnd: at, page, headingPath: path });
    start = at;
    while (stack.length > 0 && stack[stack.length - 1].depth >= mark.depth) stack.pop();
    stack.push({ depth: mark.depth, title: mark.title });
    path = stack.map((h) => h.title);
  }
  if (textLength > start || sections.length === 0) sections.push({ charStart: start, charEnd: textLength, page, headingPath: path });
  return sections;
}

/** Collapses inner whitespace of a heading so paths read cleanly in the UI. */
export function cleanTitle(raw: string): string {
  return raw.replace(/\s+/g, ' ').trim();
}
