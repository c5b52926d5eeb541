// npm run bench:faults — the fault campaign's folders, indexed in a child process each (so peak RSS is that run's):
//  - core: the "done when" folder (0.9 MB .docx bomb, FIFO .gitignore, 1 MB of spaces, 1 MB of *a);
//    goal: good files indexed in < 60 s, peak RSS (indexer + largest parse process) < 1 GB, the bomb listed;
//  - full: every hostile file the tests generate;
//  - isolation: a normal folder (Markdown, HTML, PDF, .docx from Cranfield abstracts) parsed in parse processes
//    vs inline, same run: what the per-file budget costs on ordinary files;
//  - hugePdf: a 100,000-page PDF under the default budget (it once parsed for 400 s at 1.25 GB).
// Flags: --quick (skips the huge PDF, smaller normal folder).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildDocx, buildPdf } from '../fixtures/documents.js';
import { FAULT_PARSE_BUDGET, makeFaultFolder } from '../ingest/hostile/fault-folder.js';
import { buildManyPagePdf } from '../ingest/hostile/pdfs.js';
import type { IndexRunReport } from '../ingest/hostile/probes.js';
import { runInChild } from '../support/child-run.js';
import { tempDir } from '../support/temp.js';
import { cranfieldDocs, round } from './corpus.js';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
const work = tempDir('localrag-bench-faults-');
const DEADLINE_MS = 600_000;

function indexInChild(folder: string, store: string, parse: object = {}): IndexRunReport & { wallMs: number } {
  const run = runInChild<IndexRunReport>('test/ingest/hostile/probes.ts', 'indexAndReport', [folder, store, parse], DEADLINE_MS);
  return { ...run.result, wallMs: run.ms };
}

/** Same outcomes, whatever the order of the keys. */
const sameOutcomes = (a: object, b: object): boolean =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

const summarise = (r: IndexRunReport) => ({
  ms: round(r.ms), peakRssMb: round(r.peakRssMb + r.parsePeakRssMb), indexerRssMb: round(r.peakRssMb), parseRssMb: round(r.parsePeakRssMb),
  indexed: Object.keys(r.indexed).length, skipped: r.skipped,
});

const coreDir = join(work, 'core');
const coreExpected = await makeFaultFolder(coreDir, 'core');
const core = indexInChild(coreDir, join(work, 'core-store'));
const coreOk = sameOutcomes(core.skipped, coreExpected.skipped) && sameOutcomes(core.indexed, coreExpected.indexed);
console.log(`core: ${round(core.ms / 1000, 2)} s, peak RSS ${round(core.peakRssMb + core.parsePeakRssMb)} MB, outcomes ${coreOk ? 'as expected' : 'WRONG'}`);

const fullDir = join(work, 'full');
const fullExpected = await makeFaultFolder(fullDir, 'full');
const full = indexInChild(fullDir, join(work, 'full-store'), { budget: FAULT_PARSE_BUDGET });
const fullOk = sameOutcomes(full.skipped, fullExpected.skipped) && sameOutcomes(full.indexed, fullExpected.indexed);
console.log(`full: ${round(full.ms / 1000, 2)} s, peak RSS ${round(full.peakRssMb + full.parsePeakRssMb)} MB, outcomes ${fullOk ? 'as expected' : 'WRONG'}`);

// A normal folder: each Cranfield abstract as Markdown, HTML, PDF or .docx in turn.
const normalDir = join(work, 'normal');
mkdirSync(normalDir);
const docs = cranfieldDocs().slice(0, values.quick ? 80 : 240);
for (const [i, d] of docs.entries()) {
  const title = (d.title ?? `Document ${d.id}`).replace(/\s+/g, ' ').trim();
  const name = join(normalDir, `cran-${d.id.padStart(4, '0')}`);
  if (i % 4 === 0) writeFileSync(`${name}.md`, `# ${title}\n\n${d.text}\n`);
  else if (i % 4 === 1) writeFileSync(`${name}.html`, `<html><head><title>${title}</title></head><body><h1>${title}</h1><p>${d.text}</p></body></html>`);
  else if (i % 4 === 2) writeFileSync(`${name}.pdf`, await buildPdf([[title.slice(0, 80)], d.text.match(/.{1,90}(\s|$)/g) ?? [d.text]]));
  else writeFileSync(`${name}.docx`, await buildDocx([{ style: 'Heading1', text: title }, { text: d.text }]));
}
// Alternate the order so neither variant always runs on a warmer disk cache.
const isolatedA = indexInChild(normalDir, join(work, 'iso-a'));
const inline = indexInChild(normalDir, join(work, 'inline'), { inline: true });
const isolatedB = indexInChild(normalDir, join(work, 'iso-b'));
const isolatedMs = Math.min(isolatedA.ms, isolatedB.ms);
console.log(`isolation: ${docs.length} files, parse processes ${round(isolatedMs)} ms vs inline ${round(inline.ms)} ms`);

let hugePdf: { ms: number; peakRssMb: number; note: string | null } | null = null;
if (!values.quick) {
  const hugeDir = join(work, 'huge');
  mkdirSync(hugeDir);
  writeFileSync(join(hugeDir, 'huge.pdf'), buildManyPagePdf(100_000));
  const r = indexInChild(hugeDir, join(work, 'huge-store'));
  hugePdf = { ms: round(r.ms), peakRssMb: round(r.peakRssMb + r.parsePeakRssMb), note: r.indexed['huge.pdf'] ?? r.skipped['huge.pdf'] ?? null };
  console.log(`huge PDF: ${round(r.ms / 1000, 2)} s, ${hugePdf.note}`);
}

const summary = {
  bench: 'faults',
  core: { ...summarise(core), outcomesAsExpected: coreOk, goalMet: coreOk && core.ms < 60_000 && core.peakRssMb + core.parsePeakRssMb < 1024 },
  full: { ...summarise(full), outcomesAsExpected: fullOk },
  isolation: { files: docs.length, parseProcessesMs: round(isolatedMs), inlineMs: round(inline.ms), ratio: round(isolatedMs / inline.ms, 2) },
  hugePdf,
};
console.log(`BENCH_SUMMARY ${JSON.stringify(summary)}`);
