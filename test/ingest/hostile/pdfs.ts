// Hostile PDFs written by hand in milliseconds (never shipped): a huge page count, and one page whose content
// stream takes long to read. Cross-reference tables are exact, so pdfjs reads them as it would a real file.

function pdfFromObjects(objects: string[]): Buffer {
  const chunks: string[] = ['%PDF-1.4\n'];
  const offsets: number[] = [];
  let at = Buffer.byteLength(chunks[0]);
  objects.forEach((body, i) => {
    const obj = `${i + 1} 0 obj\n${body}\nendobj\n`;
    offsets.push(at);
    chunks.push(obj);
    at += Buffer.byteLength(obj);
  });
  const xref = [`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`, ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)].join('');
  chunks.push(xref, `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${at}\n%%EOF\n`);
  return Buffer.from(chunks.join(''), 'latin1');
}

const stream = (content: string): string => `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`;

/** `pages` pages (distinct page objects sharing one content stream), each saying "Page text." */
export function buildManyPagePdf(pages: number): Buffer {
  // 1 catalog, 2 pages tree, 3 font, 4 content, then one object per page.
  const kids = Array.from({ length: pages }, (_, i) => `${i + 5} 0 R`).join(' ');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Count ${pages} /Kids [${kids}] >>`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    stream('BT /F1 12 Tf 72 720 Td (Page text.) Tj ET'),
    ...Array.from({ length: pages }, () => '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>'),
  ];
  return pdfFromObjects(objects);
}

/** `pages` pages sharing one content stream that draws `words` words one by one: slow to read per page. */
export function buildHeavyPagePdf(words: number, pages = 1): Buffer {
  const ops = Array.from({ length: words }, (_, i) => `${72 + (i % 50) * 10} ${700 - (Math.floor(i / 50) % 60) * 10} Td (w${i}) Tj`).join('\n');
  const kids = Array.from({ length: pages }, (_, i) => `${i + 5} 0 R`).join(' ');
  return pdfFromObjects([
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Count ${pages} /Kids [${kids}] >>`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    stream(`BT /F1 8 Tf\n${ops}\nET`),
    ...Array.from({ length: pages }, () => '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>'),
  ]);
}
