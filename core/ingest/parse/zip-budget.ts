// A .docx is a zip, and the Word reader loads its XML parts whole into memory: a 0.9 MB file that unpacks to 300 MB
// of XML once exhausted the V8 heap, and a 1 GiB zip bomb peaked at 2.4 GB. So before anything is handed to it:
// the sizes the zip declares are added up against a limit (nothing inflated yet), then the XML parts are inflated
// once as a stream, counted and thrown away, so a zip that lies about its sizes is caught with bounded memory too.
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { problems, type FileProblem } from '../file-problems.js';

export interface UnpackLimits {
  /** Most bytes of XML a document may unpack to, whatever its size (what the reader parses into memory). */
  maxXmlBytes: number;
  /** Most unpacked bytes per packed byte: real documents compress XML about 5-20x, bombs 1000x. */
  maxRatio: number;
  /** Small files may always unpack to this much (a 10 KB letter with 1 MB of styles is fine). */
  ratioFloorBytes: number;
}

export const DEFAULT_UNPACK_LIMITS: UnpackLimits = {
  maxXmlBytes: 64 * 1024 * 1024,
  maxRatio: 200,
  ratioFloorBytes: 8 * 1024 * 1024,
};

/** Parts the reader parses into memory. Images and other media are never read (see docx.ts). */
const isParsedPart = (name: string): boolean => /\.(xml|rels)$/i.test(name);

/** The XML budget of a file of `fileBytes`: the fixed cap, lowered for small files by the ratio. */
export function xmlBudget(fileBytes: number, limits: UnpackLimits = DEFAULT_UNPACK_LIMITS): number {
  return Math.min(limits.maxXmlBytes, Math.max(limits.ratioFloorBytes, fileBytes * limits.maxRatio));
}

function detailOf(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0] : String(err);
}

/** Inflates one entry as a stream, discarding it; yauzl fails as soon as it yields more than the declared size. */
async function inflatedSizeMatches(zip: ZipFile, entry: Entry): Promise<boolean> {
  const stream = await zip.openReadStreamPromise(entry);
  let seen = 0;
  try {
    for await (const chunk of stream) seen += (chunk as Buffer).length;
  } catch {
    return false;
  }
  return seen === entry.uncompressedSize;
}

/** null when the zip may be unpacked; otherwise why not (too large when unpacked, or damaged). */
export async function checkZipBudget(bytes: Buffer, limits: UnpackLimits = DEFAULT_UNPACK_LIMITS): Promise<FileProblem | null> {
  let zip: ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false });
  } catch (err) {
    return problems.corruptDocx(`not a readable zip: ${detailOf(err)}`);
  }
  try {
    const budget = xmlBudget(bytes.length, limits);
    const parts: Entry[] = [];
    let declared = 0;
    for await (const entry of zip.eachEntry()) {
      if (!isParsedPart(entry.fileName)) continue;
      declared += entry.uncompressedSize;
      if (declared > budget) return problems.unpackedTooLarge(declared, bytes.length, budget);
      parts.push(entry);
    }
    for (const entry of parts) {
      if (entry.isEncrypted()) return problems.encryptedDocx();
      if (!entry.canDecodeFileData()) return problems.corruptDocx(`unsupported compression in ${entry.fileName}`);
      if (!(await inflatedSizeMatches(zip, entry))) {
        return problems.corruptDocx(`${entry.fileName} unpacks to more than the zip declares, as zip bombs do`);
      }
    }
    return null;
  } catch (err) {
    return problems.corruptDocx(`not a readable zip: ${detailOf(err)}`);
  } finally {
    zip.close();
  }
}
