// Zip bombs built in milliseconds, never shipped. A repeated part is deflated once with a full flush (byte-aligned,
// dictionary reset) and its compressed bytes are repeated: a valid raw deflate stream that inflates to the part
// times the count. Sizes and CRCs are real unless a test asks the zip to lie about a size.
import { constants, crc32, deflateRawSync } from 'node:zlib';

export interface ZipPart {
  data: Buffer | string;
  /** How many times `data` follows itself in the entry (default 1). */
  repeat?: number;
}

export interface ZipEntrySpec {
  name: string;
  parts: ZipPart[];
  /** Declare this uncompressed size instead of the real one (a zip that lies). */
  declaredSize?: number;
}

interface Packed {
  name: Buffer;
  data: Buffer;
  crc: number;
  size: number;
}

function pack(spec: ZipEntrySpec): Packed {
  const segments: Buffer[] = [];
  let crc = 0;
  let size = 0;
  spec.parts.forEach((part, i) => {
    const data = Buffer.from(part.data);
    const last = i === spec.parts.length - 1;
    const repeat = part.repeat ?? 1;
    // Each part is its own run of deflate blocks; only the very last one ends the stream.
    const flushed = deflateRawSync(data, { level: 9, finishFlush: constants.Z_FULL_FLUSH });
    for (let r = 0; r < repeat; r++) {
      crc = crc32(data, crc);
      size += data.length;
      segments.push(last && r === repeat - 1 ? deflateRawSync(data, { level: 9 }) : flushed);
    }
  });
  if (spec.parts.length === 0) segments.push(deflateRawSync(Buffer.alloc(0)));
  return { name: Buffer.from(spec.name), data: Buffer.concat(segments), crc: crc >>> 0, size: spec.declaredSize ?? size };
}

const DOS_TIME = 0;
const DOS_DATE = (2024 - 1980) << 9 | 1 << 5 | 1;

export function buildZip(specs: ZipEntrySpec[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of specs.map(pack)) {
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(e.crc, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.size, 22);
    local.writeUInt16LE(e.name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    local.copy(central, 8, 6, 30); // flags .. name length: the same fields as the local header
    central.writeUInt16LE(0, 30); // extra
    central.writeUInt32LE(offset, 42);
    locals.push(local, e.name, e.data);
    centrals.push(central, e.name);
    offset += local.length + e.name.length + e.data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(specs.length, 8);
  end.writeUInt16LE(specs.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const MB = 1024 * 1024;

/** A .docx whose word/document.xml is `paragraphMb` MB of paragraphs (real XML, real sizes unless `declareMb`). */
export function buildDocxBomb(paragraphMb: number, opts: { declareMb?: number } = {}): Buffer {
  const para = '<w:p><w:r><w:t>The wind tunnel budget is approved, again and again.</w:t></w:r></w:p>';
  const block = para.repeat(Math.ceil(MB / para.length)).slice(0, MB - (MB % para.length));
  const head = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="${W}" xmlns:r="${REL}"><w:body>`;
  const tail = '<w:sectPr/></w:body></w:document>';
  return buildZip([
    { name: '[Content_Types].xml', parts: [{ data: `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>` }] },
    { name: '_rels/.rels', parts: [{ data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="word/document.xml"/></Relationships>` }] },
    {
      name: 'word/document.xml',
      parts: [{ data: head }, { data: block, repeat: paragraphMb }, { data: tail }],
      ...(opts.declareMb !== undefined ? { declaredSize: Math.round(opts.declareMb * MB) } : {}),
    },
  ]);
}

/** The classic: one entry of `gib` GiB of zeros (here named as a .docx's document part). */
export function buildZipBomb(gib = 1): Buffer {
  return buildZip([{ name: 'word/document.xml', parts: [{ data: Buffer.alloc(MB), repeat: gib * 1024 }] }]);
}
