// .docx via mammoth's HTML conversion, so Word's Heading 1..6 styles become the heading path. The zip is checked
// against an unpack budget first (zip-budget.ts), and images are never read: only their alt text is kept.
import mammoth from 'mammoth';
import { problems } from '../file-problems.js';
import { parseHtml } from './html.js';
import { fail, type ParsedDocument, type ParseFailure } from './types.js';
import { checkZipBudget, type UnpackLimits } from './zip-budget.js';

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0];

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

/** mammoth inlines images as base64 by default (megabytes of HTML per photo); an empty src keeps the alt text only. */
const altTextOnly = mammoth.images.imgElement(async () => ({ src: '' }));

export async function parseDocx(bytes: Buffer, limits?: UnpackLimits): Promise<{ ok: true; doc: ParsedDocument } | ParseFailure> {
  // Password-protected .docx files are OLE containers, not zips; so are old .doc files renamed.
  if (startsWith(bytes, OLE_MAGIC)) return fail(problems.encryptedDocx());
  if (!startsWith(bytes, ZIP_MAGIC)) return fail(problems.notADocx());
  const refused = await checkZipBudget(bytes, limits);
  if (refused) return fail(refused);
  let html: string;
  try {
    html = (await mammoth.convertToHtml({ buffer: bytes }, { convertImage: altTextOnly })).value;
  } catch (err) {
    const detail = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return fail(problems.corruptDocx(`truncated or corrupt zip: ${detail}`));
  }
  return { ok: true, doc: parseHtml(html, 'docx') };
}
