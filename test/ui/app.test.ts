// The whole app in a real browser: the built renderer, served by serve mode, over the real engine with the tiny
// synthesised models and a loopback fake Ollama. One user journey through every screen, a screenshot of each.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createEngine, type Engine } from '../../core/engine.js';
import { startServer, type RunningServer } from '../../core/serve/server.js';
import { STAGE_ORDER } from '../../renderer/src/components/stage-order.js';
import { tinyEngine } from '../support/engine.js';
import { startFakeOllama, type FakeOllama } from '../support/fake-ollama.js';
import { testModelsDir } from '../support/models.js';
import { closedPort } from '../support/ports.js';
import { projectRoot } from '../support/temp.js';
import { buildRenderer } from './build-renderer.js';

const CHROMIUM = '/usr/bin/chromium';
const SCREENS = join(projectRoot, 'test-artifacts', 'screens');
const ANSWER_TOKENS = ['Flutter', ' appears', ' near', ' Mach', ' one', ' [1]', ' and', ' noise', ' is', ' unrelated', ' [9].'];
const REWRITTEN = 'Does the supersonic wing flutter at Mach 2?';
const TOPICS = ['supersonic wing flutter', 'laminar boundary layer transition', 'hypersonic heat transfer', 'shock wave interaction', 'propeller noise'];
/** Enough files for two pages of the file table, and two that cannot be indexed. */
const GOOD_FILES = 60;

function writeDocs(folder: string): void {
  mkdirSync(folder, { recursive: true });
  for (let i = 0; i < GOOD_FILES; i++) {
    const topic = TOPICS[i % TOPICS.length]!;
    const paras = Array.from({ length: i < TOPICS.length ? 12 : 2 }, (_, j) => `Paragraph ${j} of the ${topic} report ${i}: ${topic} measured at station ${j} and Mach ${(i % 5) + 1}.`);
    writeFileSync(join(folder, `report-${String(i).padStart(2, '0')}.md`), `# ${topic}\n\n${paras.join('\n\n')}\n`);
  }
  writeFileSync(join(folder, 'empty.txt'), '');
  writeFileSync(join(folder, 'blob.txt'), Buffer.from([0, 1, 2, 3, 0, 0, 255, 254, 0, 7, 8, 9, 0, 0, 0, 1]));
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENS, `${name}.png`), fullPage: true });
const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'main' }).getByRole('button', { name, exact: true }).click();
const chunkOrder = (page: Page) => page.locator('[data-testid=alpha-preview] li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-chunk')));
const questionBox = (page: Page) => page.locator('#question');

/** Records a selector's text (and an attribute) on every DOM change, so states that flash by are seen. */
async function recordText(page: Page, name: string, selector: string, attr?: string): Promise<void> {
  await page.evaluate(({ name, selector, attr }) => {
    const w = window as unknown as Record<string, { text: string; attr: string | null; at: number }[]>;
    w[name] = [];
    const t0 = performance.now();
    new MutationObserver(() => {
      const el = document.querySelector(selector);
      if (!el) return;
      const text = el.textContent ?? '';
      const last = w[name]!.at(-1);
      const a = attr ? el.getAttribute(attr) : null;
      if (!last || last.text !== text || last.attr !== a) w[name]!.push({ text, attr: a, at: performance.now() - t0 });
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  }, { name, selector, attr });
}
const recorded = (page: Page, name: string) => page.evaluate((n) => (window as unknown as Record<string, { text: string; attr: string | null; at: number }[]>)[n]!, name);

describe('the app in a browser', { skip: existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM}` }, () => {
  let dir: string;
  let renderer: { dir: string; remove(): void };
  let fake: FakeOllama;
  let engine: Engine;
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const cspErrors: string[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'localrag-ui-'));
    mkdirSync(SCREENS, { recursive: true });
    writeDocs(join(dir, 'docs'));
    renderer = await buildRenderer();
    fake = await startFakeOllama({ models: ['llama3.2:latest'] });
    fake.script = { kind: 'normal', tokens: ANSWER_TOKENS, delayMs: 40 };
    // The follow-up rewrite is told apart from the answer by its system prompt.
    fake.scriptFor = (body) => {
      const messages = (body?.messages ?? []) as { content: string }[];
      return messages[0]?.content.includes('rewrite a follow-up') ? { kind: 'normal', tokens: [REWRITTEN] } : undefined;
    };
    engine = await tinyEngine(join(dir, 'store'), {}, {
      chunkTokens: 64, chunkOverlap: 8, retrieveK: 40, topN: 10, finalK: 5,
      llmBackend: 'ollama', ollamaHost: fake.url, ollamaModel: 'llama3.2:latest',
    });
    server = await startServer({ engine, staticDir: renderer.dir });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.url).origin });
    page = await context.newPage();
    // Generous: only a hang should fail a step, not a machine busy with other work.
    page.setDefaultTimeout(60_000);
    page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text()); });
    await page.goto(server.url);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await engine?.close();
    await fake?.close();
    renderer?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('first run shows what is missing; an ask on an empty store says so', async () => {
    await page.getByTestId('first-run').waitFor();
    assert.match(await page.getByTestId('step-folder').innerText(), /Add a folder/);
    assert.equal(new URL(page.url()).searchParams.get('token'), null, 'the token is taken out of the address bar');
    await questionBox(page).fill('Anything there?');
    await questionBox(page).press('Enter');
    const unavailable = page.getByTestId('answer-unavailable');
    await unavailable.waitFor();
    assert.equal(await unavailable.getAttribute('data-code'), 'store-empty');
    assert.match(await unavailable.innerText(), /Nothing is indexed yet/);
    assert.equal(fake.chatRequests().length, 0, 'the LLM was not asked');
    await shot(page, 'first-run');
    // That chat is not needed for the rest of the journey.
    await page.getByRole('button', { name: 'Delete chat Anything there?' }).click();
    await page.getByRole('alert').getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByText('No chats yet.').waitFor();
  });

  test('Library: progress counts and time left are right; the file table pages and filters; Remove asks first', async () => {
    await nav(page, 'Library');
    await recordText(page, 'progress', '[data-testid=index-progress]', 'data-phase');
    await page.getByLabel('Folder path').fill(join(dir, 'docs'));
    await page.getByRole('button', { name: 'Add folder' }).click();
    await page.locator('[data-testid=index-progress][data-phase=done]').waitFor();
    assert.equal(await page.getByRole('progressbar').getAttribute('aria-valuenow'), '100');
    const status = await engine.getStatus();
    const total = GOOD_FILES + 2;
    // Every line shown while it ran: file counts out of the right total, never going back; a time left only as a
    // number of seconds or "estimating…".
    const lines = (await recorded(page, 'progress')).map((r) => ({ ...r, text: r.text.replace(/ · report-\d+\.md| · (empty|blob)\.txt/, '') }));
    let lastFiles = 0;
    for (const { text, attr } of lines) {
      if (attr === 'scanning') {
        assert.match(text, /^Scanning folders…/);
        continue;
      }
      // Before any file brought chunks the line has no chunk part.
      const m = /^(\d+) of (\d+) files read(?: · (\d+) of (\d+) chunks embedded · [\d.]+ chunks\/s)? · time left: (estimating…|\d+ s|\d+ min \d+ s)$/.exec(text);
      if (attr !== 'done') {
        assert.ok(m, `a running line reads right: "${text}"`);
        assert.equal(Number(m[2]), total);
        assert.ok(Number(m[1]) >= lastFiles && Number(m[1]) <= total);
        if (m[3] !== undefined) assert.ok(Number(m[3]) <= Number(m[4]));
        if (Number(m[1]) < 3) assert.equal(m[5], 'estimating…', 'no time left is guessed from the first files alone');
        lastFiles = Number(m[1]);
      }
    }
    assert.ok(lines.some((l) => l.attr !== 'done' && l.attr !== 'scanning'), 'the running state was shown');
    assert.equal(lines.at(-1)!.text, `Done: ${total} files checked, 2 not indexed, ${status.chunks} chunks embedded.`);
    assert.ok(status.chunks > 0 && status.vectors === status.chunks);

    // 62 files: two pages of 50; the state filter finds the two that were not indexed, each with its reason.
    const rows = page.locator('[data-testid=files-table] tbody tr');
    assert.equal(await rows.count(), 50);
    assert.equal(await page.getByTestId('pager-range').innerText(), `1–50 of ${total} (page 1 of 2)`);
    await page.getByRole('button', { name: 'Next page' }).click();
    assert.equal(await rows.count(), total - 50);
    await page.getByLabel('State', { exact: true }).selectOption('skipped');
    assert.equal(await rows.count(), 1);
    assert.match(await page.getByTestId('files-table').innerText(), /empty\.txt\s+skipped\s+0\s+0 B\s+empty file/);
    await page.getByLabel('State', { exact: true }).selectOption('error');
    assert.match(await page.getByTestId('files-table').innerText(), /blob\.txt\s+error\s+0\s+16 B\s+binary file/);
    await page.getByLabel('State', { exact: true }).selectOption('');
    await page.getByLabel('Filter by path').fill('report-0');
    assert.equal(await rows.count(), 10);
    await page.getByLabel('Filter by path').fill('');

    await page.getByRole('button', { name: `Remove ${join(dir, 'docs')}` }).click();
    assert.match(await page.getByTestId('confirm-remove').innerText(), new RegExp(`Its ${total} files leave the search`));
    await shot(page, 'library');
    await page.getByTestId('confirm-remove').getByRole('button', { name: 'Cancel' }).click();
    assert.equal((await engine.getStatus()).folders.length, 1, 'nothing was removed without the confirmation');
  });

  test('Chat: sources before the first token, citations open passages, the box is cleared, a follow-up is searched standalone', async () => {
    await nav(page, 'Chat');
    await recordText(page, 'chat', '[data-testid=turns]');
    await page.evaluate(() => {
      const w = window as unknown as { seen: { status: string | null; text: string; sources: number }[] };
      w.seen = [];
      new MutationObserver(() => {
        const answer = [...document.querySelectorAll('[data-testid=answer]')].at(-1);
        const text = answer?.querySelector('[data-testid=answer-text]')?.textContent ?? '';
        const sources = document.querySelectorAll('[data-testid=sources-list] li').length;
        if (answer) w.seen.push({ status: answer.getAttribute('data-status'), text, sources });
      }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    await questionBox(page).fill('When does the wing flutter?');
    await questionBox(page).press('Enter');
    assert.equal(await questionBox(page).inputValue(), '', 'the question box is cleared after asking');
    await page.locator('[data-testid=answer][data-status=ok]').waitFor();
    const seen = await page.evaluate(() => (window as unknown as { seen: { status: string; text: string; sources: number }[] }).seen);
    const partial = seen.filter((s) => s.status === 'streaming' && s.text.length > 0);
    const final = await page.getByTestId('answer-text').evaluate((el) => el.textContent ?? '');
    assert.ok(new Set(partial.map((s) => s.text)).size >= 2, 'several partial answers were shown while streaming');
    assert.ok(partial.every((s) => final.startsWith(s.text.trim())), 'each partial answer is a prefix of the final one');
    assert.ok(seen.some((s) => s.status === 'streaming' && s.text === '' && s.sources > 0), 'sources were shown before any token');
    assert.ok(seen.every((s) => s.text === '' || s.sources > 0), 'no token before the sources');
    assert.match(final, /Flutter appears near Mach one/);

    assert.equal(await page.getByTestId('citation-invalid').count(), 1, '[9] points at no source and is flagged');
    await page.locator('[data-testid=answer-text] [data-cite="1"]').click();
    const passage = page.getByTestId('passage');
    await passage.getByTestId('passage-highlight').waitFor();
    const firstSource = await page.locator('[data-testid=sources-list] li').first().innerText();
    const file = await passage.getByTestId('passage-file').innerText();
    assert.match(file, /report-\d+\.md/);
    assert.ok(firstSource.includes(file.split('/').pop()!.split(' ')[0]!), 'the passage is source [1]');

    // A follow-up in the same chat is retrieved on its standalone form, shown under the question.
    await questionBox(page).fill('And at Mach 2?');
    await page.getByRole('button', { name: 'Ask', exact: true }).click();
    const second = page.locator('[data-testid=answer]').nth(1);
    await second.and(page.locator('[data-status=ok]')).waitFor();
    assert.equal(await second.getByTestId('standalone').innerText(), `Searched as: ${REWRITTEN}`);
    assert.equal(await page.locator('[data-testid=answer]').count(), 2);
    assert.equal(await page.getByTestId('chat-title').innerText(), 'When does the wing flutter?');

    await second.getByRole('button', { name: 'Copy answer' }).click();
    await second.getByText('Copied with its sources.').waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(copied, /^Flutter appears near Mach one \[1\][\s\S]*\*\*Sources\*\*\n\n1\. report-\d+\.md/);
    await shot(page, 'chat');
  });

  test('the inspector shows the standalone question, BM25 and dense columns, ranks, and opens a passage', async () => {
    await nav(page, 'Rerank inspector');
    assert.match(await page.getByTestId('inspector-question').innerText(), new RegExp(`Asked: And at Mach 2\\? · Retrieved with: ${REWRITTEN.replace('?', '\\?')}`));
    const rows = page.locator('[data-testid=inspector-table] [data-testid=candidate-row]');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 40, 'all K candidates');
    const headers = await page.locator('[data-testid=inspector-table] thead th').allInnerTexts();
    for (const h of ['BM25 rank', 'BM25', 'Dense rank', 'Dense', 'Fused', 'File · page']) assert.ok(headers.some((x) => x.trim() === h), `column ${h}`);
    const firstCells = await rows.first().locator('td').allInnerTexts();
    assert.match(firstCells[0]!, /^\d+ → 1/, 'ranks are ranks');
    assert.match(firstCells[11]!, /^report-\d+\.md$/, 'the file, not a chunk id');
    assert.ok(!firstCells.slice(0, 12).join(' ').includes('#'), 'no "#13" chunk ids');
    await page.getByRole('button', { name: 'Sort by BM25 rank' }).click();
    const bm25Ranks = (await rows.evaluateAll((trs) => trs.map((tr) => tr.children[1]!.textContent))).filter((x) => x !== '—').map(Number);
    assert.deepEqual(bm25Ranks, [...bm25Ranks].sort((a, b) => a - b), 'sorted by BM25 rank, missing ones last');
    await rows.nth(2).click();
    await page.getByTestId('passage').getByTestId('passage-highlight').waitFor();
    await page.getByRole('button', { name: 'Rerun as full cross-encoder' }).click();
    await page.getByTestId('order-cross').waitFor();
    await page.getByRole('button', { name: 'Rerun as bi-encoder only' }).click();
    await page.getByTestId('order-bi').waitFor();
    assert.match(await page.getByTestId('order-cross').innerText(), /rerank [\d.]+ ms/);
    assert.doesNotMatch(await page.getByTestId('order-cross').innerText(), /#\d/);
    await shot(page, 'inspector');
  });

  test('Latency: each stage drawn at its start time on a labelled axis; recent questions on a chart with axes', async () => {
    await nav(page, 'Latency');
    await page.getByTestId('stage-table').waitFor();
    for (const stage of STAGE_ORDER) {
      const ms = await page.getByTestId(`stage-${stage}`).getAttribute('data-ms');
      assert.ok(ms !== null && ms !== '' && Number.isFinite(Number(ms)), `${stage} has a number (${ms})`);
    }
    assert.match(await page.getByTestId('stage-rewrite').innerText(), /rewritten by the LLM/);
    const bar = async (stage: string) => {
      const g = page.getByTestId(`wf-bar-${stage}`);
      const box = (await g.locator('rect').boundingBox())!;
      return { start: Number(await g.getAttribute('data-start')), ms: Number(await g.getAttribute('data-ms')), x: box.x, w: box.width };
    };
    const rewrite = await bar('rewrite');
    const embed = await bar('embedQuery');
    const cross = await bar('cross');
    const llm = await bar('llmTotal');
    assert.equal(rewrite.start, 0);
    assert.ok(embed.start >= rewrite.start + rewrite.ms - 1e-6, 'retrieval starts after the rewrite');
    assert.ok(embed.x > rewrite.x && cross.x > embed.x && llm.x > cross.x, 'later stages are drawn further right');
    const chart = page.getByTestId('waterfall-chart');
    assert.match(await chart.textContent() ?? '', /milliseconds since the question was asked/);
    const history = page.getByTestId('history-chart');
    assert.equal(await history.getByTestId('history-bar').count(), 3, 'the empty-store question, the question and its follow-up');
    assert.match(await history.textContent() ?? '', /total time \(ms\)/);
    assert.match(await history.textContent() ?? '', /question \(oldest first\)/);
    await shot(page, 'latency');
  });

  test('after a reload the chat is there; export gives Markdown with numbered sources; chats are searched and renamed', async () => {
    await page.reload();
    await page.locator('[data-testid=answer]').nth(1).waitFor();
    assert.equal(await page.getByTestId('chat-title').innerText(), 'When does the wing flutter?');
    assert.equal(await page.locator('[data-testid=answer]').nth(1).getByTestId('standalone').innerText(), `Searched as: ${REWRITTEN}`);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export as Markdown' }).click()]);
    assert.equal(download.suggestedFilename(), 'when-does-the-wing-flutter.md');
    const markdown = readFileSync((await download.path())!, 'utf8');
    assert.match(markdown, /^# When does the wing flutter\?\n/);
    assert.match(markdown, /## 1\. When does the wing flutter\?\n\nFlutter appears near Mach one \[1\]/);
    assert.match(markdown, /## 2\. And at Mach 2\?\n\n\*Searched as:\* Does the supersonic wing flutter at Mach 2\?/);
    const sources = [...markdown.matchAll(/^(\d+)\. report-\d+\.md/gm)].map((m) => Number(m[1]));
    assert.deepEqual(sources, [1, 2, 3, 4, 5, 1, 2, 3, 4, 5], 'each answer lists its sources numbered 1..k');

    await page.getByRole('button', { name: 'New chat' }).click();
    assert.equal(await page.getByTestId('chat-title').innerText(), 'New chat');
    assert.equal(await page.locator('[data-testid=answer]').count(), 0);
    await page.getByLabel('Search chats').fill('mach 2');
    await page.locator('[data-testid=conversation-list] li').first().waitFor();
    assert.equal(await page.locator('[data-testid=conversation-list] li').count(), 1);
    await page.getByLabel('Search chats').fill('ornithopter');
    await page.getByText('No chat contains that.').waitFor();
    await page.getByLabel('Search chats').fill('');
    await page.getByRole('button', { name: 'Rename chat When does the wing flutter?' }).click();
    await page.getByLabel('Chat name').fill('Flutter study');
    await page.getByLabel('Chat name').press('Enter');
    await page.locator('[data-testid=conversation-list]').getByText('Flutter study').waitFor();
    assert.equal((await engine.listConversations({}))[0]!.title, 'Flutter study');
    await page.locator('[data-testid=conversation-list]').getByText('Flutter study').click();
    await page.locator('[data-testid=answer]').nth(1).waitFor();
  });

  test('Settings: alpha applies live; other edits are marked unsaved, survive a screen change, and are checked in words', async () => {
    const asked = fake.chatRequests().length;
    await nav(page, 'Settings');
    const preview = page.getByTestId('alpha-preview');
    await preview.waitFor();
    const queryId = await preview.getAttribute('data-query');
    const slider = page.getByLabel('Alpha (weight of the cross-encoder)');
    await slider.fill('0');
    await page.locator('[data-testid=alpha-preview][data-alpha="0"][aria-busy=false]').waitFor();
    const atZero = await chunkOrder(page);
    await slider.fill('1');
    await page.locator('[data-testid=alpha-preview][data-alpha="1"][aria-busy=false]').waitFor();
    assert.notDeepEqual(await chunkOrder(page), atZero);
    assert.equal(await preview.getAttribute('data-query'), queryId, 'same query, re-fused');
    assert.equal(fake.chatRequests().length, asked, 'no new question was sent to the LLM');
    await page.getByText('Applied: the next question uses alpha 1.00.').waitFor();
    assert.equal((await engine.getSettings()).alpha, 1, 'what the slider shows is what the next question uses');

    await page.getByLabel('Cross-encoder top N', { exact: false }).fill('7');
    await page.getByTestId('unsaved-banner').getByText('1 unsaved change(s)').waitFor();
    await nav(page, 'Chat');
    await nav(page, 'Settings');
    assert.equal(await page.getByLabel('Cross-encoder top N', { exact: false }).inputValue(), '7', 'the edit survived a screen change');
    await page.getByLabel('Candidates retrieved (K)', { exact: false }).fill('0');
    assert.equal(await page.getByTestId('problem-retrieveK').innerText(), 'Candidates retrieved (K) must be at least 1.');
    await page.getByLabel('Candidates retrieved (K)', { exact: false }).fill('40');
    await page.getByLabel('Chunk size (tokens)', { exact: false }).fill('48');
    await page.getByTestId('unsaved-banner').getByText('2 unsaved change(s)').waitFor();
    await shot(page, 'settings');
    await page.locator('.settings-actions').getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    await page.getByTestId('reindex-offer').waitFor();
    assert.equal(await page.getByTestId('unsaved-banner').count(), 0);
    const saved = await engine.getSettings();
    assert.deepEqual([saved.topN, saved.chunkTokens, saved.alpha], [7, 48, 1]);
  });

  test('saved settings survive an engine restart', async () => {
    await page.getByLabel('Alpha (weight of the cross-encoder)').fill('0.35');
    await page.getByText('Applied: the next question uses alpha 0.35.').waitFor();
    await server.close();
    await engine.close();
    engine = await createEngine({ storeDir: join(dir, 'store'), modelsDir: testModelsDir });
    server = await startServer({ engine, staticDir: renderer.dir });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.url).origin });
    await page.goto(server.url);
    await nav(page, 'Settings');
    assert.equal(await page.getByLabel('Cross-encoder top N', { exact: false }).inputValue(), '7');
    assert.equal(await page.getByTestId('alpha-value').innerText(), '0.35');
  });

  test('with Ollama down the answer is marked unavailable, with the reason, and the sources still shown', async () => {
    const port = await closedPort();
    await page.getByLabel('Ollama host', { exact: false }).fill(`http://127.0.0.1:${port}`);
    await page.locator('.settings-actions').getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    await nav(page, 'Chat');
    await page.getByRole('button', { name: 'New chat' }).click();
    await questionBox(page).fill('propeller noise');
    await page.getByRole('button', { name: 'Ask', exact: true }).click();
    const unavailable = page.getByTestId('answer-unavailable');
    await unavailable.waitFor();
    assert.match(await unavailable.innerText(), /^Answer unavailable: \S+/);
    assert.ok(await page.locator('[data-testid=sources-list] li').count() > 0, 'sources are still listed');
    await page.getByTestId('step-llm').waitFor();
    await shot(page, 'ollama-down');
  });

  test('the evaluation screen starts a run on a collection, shows its progress, cancels, and shows the chart when done', async () => {
    const collection = join(projectRoot, 'test', 'fixtures', 'japanese-bm25');
    await nav(page, 'Evaluate');
    const form = page.getByRole('form', { name: 'Start a new run' });
    await form.getByLabel('Collection folder or labelled-questions file').fill(collection);
    await form.getByRole('button', { name: 'Start evaluation' }).click();
    await form.getByRole('button', { name: 'Cancel' }).click();
    await page.locator('[data-testid=eval-progress][data-phase=cancelled]').waitFor();
    await form.getByRole('button', { name: 'Start evaluation' }).click();
    await page.locator('[data-testid=eval-progress][data-phase=scoring]').waitFor();
    // Leaving the screen forgets the run; coming back takes it over at its next progress event, Cancel included.
    await nav(page, 'Chat');
    await nav(page, 'Evaluate');
    await page.getByRole('progressbar', { name: 'Evaluation progress' }).waitFor({ timeout: 60_000 });
    await form.getByRole('button', { name: 'Cancel' }).waitFor();
    await page.locator('[data-testid=eval-progress][data-phase=done]').waitFor({ timeout: 180_000 });
    await page.getByTestId('eval-chart').locator('svg').waitFor();
    await page.getByText('japanese-bm25/test · 26 queries').waitFor();
    await shot(page, 'evaluate-run');
    await nav(page, 'Chat');
  });

  test('the evaluation screen shows the chart localrag eval wrote, and applies a Pareto point; Japanese renders', async () => {
    const cranfield = join(projectRoot, '..', 'shared', 'data', 'cranfield');
    const evalRun = spawnSync(process.execPath, [join(projectRoot, 'core/cli/bin.mjs'), 'eval', cranfield, '--grid', '--limit', '8',
      '--ns', '5,10', '--alphas', '0,0.5,1', '--store', join(dir, 'store'), '--models', testModelsDir, '--provider', 'cpu', '--quiet', '--json'], { encoding: 'utf8', timeout: 300_000 });
    assert.equal(evalRun.status, 0, evalRun.stderr);
    const points = JSON.parse(evalRun.stdout).points as { mode: string; topN: number; alpha: number; pareto: boolean }[];
    await nav(page, 'Evaluate');
    await page.getByRole('heading', { name: 'Evaluation' }).waitFor();
    await page.getByTestId('eval-chart').locator('svg').waitFor();
    assert.equal(await page.locator('[data-testid=eval-table] tbody tr').count(), points.length);
    await shot(page, 'evaluate');
    assert.equal(await page.locator('[data-testid=eval-table] tbody tr[data-pareto=yes]').count(), points.filter((p) => p.pareto).length);
    const row = page.locator('[data-testid=eval-table] tbody tr').filter({ hasText: /mixlm/ }).filter({ has: page.locator('td', { hasText: /^0\.5$/ }) }).first();
    const topN = Number(await row.locator('td').nth(1).innerText());
    await row.getByRole('button').click();
    await page.getByRole('status').filter({ hasText: /mixlm/ }).waitFor();
    const applied = await engine.getSettings();
    assert.deepEqual([applied.rerankMode, applied.alpha, applied.topN], ['mixlm', 0.5, topN]);

    await nav(page, 'Settings');
    await page.getByLabel('Language', { exact: false }).selectOption('ja');
    await page.locator('.settings-actions').getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('navigation', { name: 'main' }).getByRole('button', { name: 'チャット' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'ja');
    await shot(page, 'settings-ja');
    // Engine messages in Japanese too: the unavailable answer, a skip reason, file states.
    await nav(page, 'チャット');
    assert.match(await page.getByTestId('answer-unavailable').innerText(), /^回答できません: サーバーに接続できません。/);
    await shot(page, 'chat-ja');
    await nav(page, 'ライブラリ');
    await page.getByLabel('状態', { exact: true }).selectOption('skipped');
    const table = await page.getByTestId('files-table').innerText();
    assert.match(table, /空のファイル/);
    assert.match(table, /スキップ/);
    await shot(page, 'library-ja');
    assert.deepEqual(cspErrors, [], 'nothing was blocked by the CSP');
  });
});
