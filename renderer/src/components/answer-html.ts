// Answer Markdown -> safe HTML: marked renders, DOMPurify sanitises, then [n] citations become buttons.
// Citations are added after sanitising, from digits only, so the model's text can never inject markup.
import DOMPurify from 'dompurify';
import { marked } from 'marked';
import type { Citation } from '../../../core/contract/api.js';

export function renderAnswerHtml(markdown: string, citations: Citation[] | null, invalidLabel: (n: number) => string): string {
  const raw = marked.parse(markdown, { async: false, gfm: true, breaks: false }) as string;
  const safe = DOMPurify.sanitize(raw, { USE_PROFILES: { html: true }, FORBID_TAGS: ['style', 'img', 'form', 'input'] });
  const byN = new Map((citations ?? []).map((c) => [c.n, c]));
  // Split into tags and text so a [n] inside an attribute is left alone.
  return safe.replace(/(<[^>]*>)|\[(\d{1,3})\]/g, (match, tag: string | undefined, digits: string | undefined) => {
    if (tag || !digits) return match;
    const n = Number(digits);
    const c = byN.get(n);
    if (citations && (!c || !c.valid)) {
      const label = escapeAttr(invalidLabel(n));
      return `<span class="cite cite-invalid" data-testid="citation-invalid" title="${label}" aria-label="${label}">[${n}]</span>`;
    }
    const pending = citations ? '' : ' cite-pending';
    return `<button type="button" class="cite${pending}" data-cite="${n}" data-testid="citation">[${n}]</button>`;
  });
}

function escapeAttr(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Sanitises an evaluation chart for inline display: SVG only, no scripts, no external references. */
export function sanitiseSvg(svg: string): string {
  return DOMPurify.sanitize(svg, { USE_PROFILES: { svg: true, svgFilters: true }, FORBID_TAGS: ['script', 'foreignObject', 'use', 'image'] });
}
