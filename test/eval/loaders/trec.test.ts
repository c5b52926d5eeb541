import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { findTrecFiles, loadTrecCollection, parseTrecQrels, parseTrecTopics } from '../../../core/eval/loaders/trec.js';

const SGML_TOPICS = `<top>
<num> Number: 301
<title> International Organized Crime
<desc> Description:
Identify organizations that participate in international criminal activity.
<narr> Narrative:
A relevant document must as a minimum identify the organization.
</top>
<top>
<num> Number: 302
<title> Poliomyelitis and Post-Polio
<desc> Description:
Is the disease of Poliomyelitis (polio) under control in the world?
</top>
`;

const DOCS = `<DOC>
<DOCNO> FT911-1 </DOCNO>
<HEADLINE> Crime &amp; rings </HEADLINE>
<TEXT>
Organized <B>crime</B> groups cross borders.
</TEXT>
</DOC>
<DOC>
<DOCNO>FT911-2</DOCNO>
<TEXT>Polio vaccination campaigns.</TEXT>
</DOC>
`;

test('SGML topics give the title (or description) as the query', () => {
  const topics = parseTrecTopics(SGML_TOPICS);
  assert.deepEqual(topics, [{ id: '301', text: 'International Organized Crime' }, { id: '302', text: 'Poliomyelitis and Post-Polio' }]);
  assert.equal(parseTrecTopics(SGML_TOPICS, 'description')[1]!.text, 'Is the disease of Poliomyelitis (polio) under control in the world?');
  assert.match(parseTrecTopics(SGML_TOPICS, 'title+description')[0]!.text, /^International Organized Crime Identify organizations/);
});

test('XML topics and tab-separated query lists are read too', () => {
  assert.deepEqual(parseTrecTopics('<topics><topic number="7" type="faceted"><query>obama family tree</query><description>Find info</description></topic></topics>'),
    [{ id: '7', text: 'obama family tree' }]);
  assert.deepEqual(parseTrecTopics('1\tfirst q\n2\tsecond q\n'), [{ id: '1', text: 'first q' }, { id: '2', text: 'second q' }]);
  assert.throws(() => parseTrecTopics('not a topic file'), { code: 'eval-bad-topics' });
});

test('TREC qrels keep graded relevance; a 3-column line is refused', () => {
  const q = parseTrecQrels('301 0 FT911-1 2\n301 0 FT911-2 0\n302 Q0 FT911-2 1\n');
  assert.equal(q.get('301')!.get('FT911-1'), 2);
  assert.equal(q.get('301')!.get('FT911-2'), 0);
  assert.equal(q.get('302')!.get('FT911-2'), 1);
  assert.throws(() => parseTrecQrels('301 FT911-1 2\n'), { code: 'eval-bad-qrels' });
});

test('a TREC folder with topics, qrels and <DOC> files in docs/ loads as a collection', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'trec-'));
  await mkdir(path.join(dir, 'docs'));
  await writeFile(path.join(dir, 'topics.301-302.txt'), SGML_TOPICS);
  await writeFile(path.join(dir, 'qrels.301-302.txt'), '301 0 FT911-1 1\n302 0 FT911-2 1\n');
  await writeFile(path.join(dir, 'docs', 'ft911.trec'), DOCS);
  const c = await loadTrecCollection((await findTrecFiles(dir))!);
  assert.deepEqual(c.docs, [
    { id: 'FT911-1', title: 'Crime & rings', text: 'Organized crime groups cross borders.' },
    { id: 'FT911-2', text: 'Polio vaccination campaigns.' },
  ]);
  assert.equal(c.queries.length, 2);
  assert.equal(c.qrels.get('302')!.get('FT911-2'), 1);
});

test('<DOC> files beside the topics are read from subfolders too (one folder per source, as on TREC disks)', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'trec-'));
  await mkdir(path.join(dir, 'ft'));
  await writeFile(path.join(dir, 'topics.301-302.txt'), SGML_TOPICS);
  await writeFile(path.join(dir, 'qrels.301-302.txt'), '301 0 FT911-1 1\n302 0 FT911-2 1\n');
  await writeFile(path.join(dir, 'ft', 'ft911'), DOCS);
  await writeFile(path.join(dir, 'README'), '<DOC><DOCNO>not-a-doc</DOCNO></DOC>');
  const c = await loadTrecCollection((await findTrecFiles(dir))!);
  assert.deepEqual(c.docs.map((d) => d.id), ['FT911-1', 'FT911-2']);
});
