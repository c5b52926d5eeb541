// The whole app in a real browser: the built renderer, served by serve mode, over the real engine with the tiny
// synthesised models and a loopback fake Ollama. One user journey, a screenshot of each screen.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createEngine, type Engine } from '../../core/engine.js';
import { startServer, type RunningServer } from '../../core/serve/server.js';
import { STAGE_ORDER } from '../../renderer/src/components/stage-order.js';
import { tinyEngine } from '../support/engine.js';
import { startFakeOllama, type FakeOllama } from '../support/fake-ollama.js';
import { testModelsDir } from '../support/models.js';
import { projectRoot } from '../support/temp.js';
import { buildRenderer } from './build-renderer.js';
import { closedPort } from '../support/ports.js';

const CHROMIUM = '/usr/bin/chromium';
const SCREENS = join(projectRoot, 'test-artifacts', 'screens');
const ANSWER_TOKENS = ['Flutter', ' appears', ' near', ' Mach', ' one', ' [1]', ' and', ' noise', ' is', ' unrelated', ' [9].'];

function writeDocs(folder: string): void {
  mkdirSync(folder, { recursive: true });
  const topics = ['supersonic wing flutter', 'laminar boundary layer transition', 'hypersonic heat transfer', 'shock wave interaction', 'propeller noise'];
  topics.forEach((topic, i) => {
    const paras = Array.from({ length: 12 }, (_, j) => `Paragraph ${j} of the ${topic} report: ${topic} measured at station ${j} and Mach ${i + 1}.`);
    writeFileSync(join(folder, `report-${i}.md`), `# ${topic}\n\n${paras.join('\n\n')}\n`);
  });
}


const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENS, `${name}.png`), fullPage: true });
const nav = (page: Page, name: string) => page.getByRole('navigation').getByRole('button', { name, exact: true }).click();
const chunkOrder = (page: Page) => page.locator('[data-testid=alpha-preview] li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-chunk')));

describe('the app in a browser', { skip: existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM}` }, () => {
  let dir: string;
  let renderer: { dir: string; remove(): void };
  let fake: FakeOllama;
  let engine: Engine;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const cspErrors: string[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'localrag-ui-'));
    mkdirSync(SCREENS, { recursive: true });
    writeDocs(join(dir, 'docs'));
    renderer = await buildRenderer();
    fake = await startFakeOllama({ models: ['llama3.2:latest'] });
    fake.script = { kind: 'normal', tokens: ANSWER_TOKENS, delayMs: 40 };
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
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(20_000);
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

  test('first run shows what is missing instead of a blank screen', async () => {
    await page.getByTestId('first-run').waitFor();
    assert.match(await page.getByTestId('step-folder').innerText(), /Add a folder/);
    assert.equal(new URL(page.url()).searchParams.get('token'), null, 'the token is taken out of the address bar');
    await shot(page, 'first-run');
  });

  test('adding a folder shows progress until it is done, then every file with its state', async () => {
    await nav(page, 'Library');
    await page.getByLabel('Folder path').fill(join(dir, 'docs'));
    await page.getByRole('button', { name: 'Add folder' }).click();
    await page.locator('[data-testid=index-progress][data-phase=done]').waitFor();
    assert.equal(await page.getByRole('progressbar').getAttribute('aria-valuenow'), '100');
    await page.locator('[data-testid=files-table] tr[data-state=indexed]').nth(4).waitFor();
    assert.equal(await page.locator('[data-testid=files-table] tbody tr').count(), 5);
    assert.match(await page.getByTestId('folders').innerText(), /docs/);
    await shot(page, 'library');
  });

  test('asking streams the answer; a citation opens its exact passage; a bad one is flagged', async () => {
    await nav(page, 'Chat');
    // Record the answer text on every DOM change, so streaming is seen as it happens.
    await page.evaluate(() => {
      const w = window as unknown as { seen: { status: string | null; text: string }[] };
      w.seen = [];
      new MutationObserver(() => {
        const answer = document.querySelector('[data-testid=answer]');
        const text = document.querySelector('[data-testid=answer-text]')?.textContent ?? '';
        if (answer) w.seen.push({ status: answer.getAttribute('data-status'), text });
      }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    await page.getByLabel('Question', { exact: true }).fill('When does the wing flutter?');
    await page.getByLabel('Question', { exact: true }).press('Enter');
    await page.locator('[data-testid=answer][data-status=ok]').waitFor();
    const seen = await page.evaluate(() => (window as unknown as { seen: { status: string; text: string }[] }).seen);
    const partial = seen.filter((s) => s.status === 'streaming' && s.text.length > 0);
    const final = await page.getByTestId('answer-text').evaluate((el) => el.textContent ?? '');
    const distinct = new Set(partial.map((s) => s.text));
    assert.ok(distinct.size >= 2, `several partial answers were shown while streaming (${distinct.size})`);
    assert.ok(partial.some((s) => s.text.length < final.length / 2), 'early partial answers are short');
    assert.ok(partial.every((s) => final.startsWith(s.text.trim())), 'each partial answer is a prefix of the final one');
    assert.match(final, /Flutter appears near Mach one/);

    assert.equal(await page.getByTestId('citation-invalid').count(), 1, '[9] points at no source and is flagged');
    await page.locator('[data-testid=answer-text] [data-cite="1"]').click();
    const passage = page.getByTestId('passage');
    await passage.getByTestId('passage-highlight').waitFor();
    const firstSource = await page.locator('[data-testid=sources-list] li').first().innerText();
    const file = await passage.getByTestId('passage-file').innerText();
    assert.match(file, /report-\d\.md/);
    assert.ok(firstSource.includes(file.split('/').pop()!.split(' ')[0]!), 'the passage is source [1]');
    assert.ok((await passage.getByTestId('passage-highlight').innerText()).length > 20);
    await shot(page, 'chat');
  });

  test('the latency waterfall shows every stage with its milliseconds', async () => {
    await nav(page, 'Latency');
    await page.getByTestId('stage-table').waitFor();
    // The first question of a chat is used as it is: it has no rewrite stage.
    for (const stage of STAGE_ORDER.filter((s) => s !== 'rewrite')) {
      const ms = await page.getByTestId(`stage-${stage}`).getAttribute('data-ms');
      assert.ok(ms !== null && ms !== '' && Number.isFinite(Number(ms)), `${stage} has a number (${ms})`);
    }
    assert.match(await page.getByTestId('stage-cross').innerText(), /cpu/);
    assert.equal(await page.locator('[data-testid=history-chart] rect').count(), 1);
    await shot(page, 'latency');
  });

  test('the inspector lists the candidates and compares full cross-encoder with bi-only', async () => {
    await nav(page, 'Rerank inspector');
    const rows = page.locator('[data-testid=inspector-table] [data-testid=candidate-row]');
    await rows.first().waitFor();
    const { chunks } = await engine.getStatus();
    assert.equal(await rows.count(), Math.min(40, chunks), 'all K candidates');
    assert.match(await rows.first().innerText(), /→ 1/);
    await page.getByRole('button', { name: 'Sort by Fused' }).click();
    await page.getByRole('button', { name: 'Rerun as full cross-encoder' }).click();
    await page.getByTestId('order-cross').waitFor();
    await page.getByRole('button', { name: 'Rerun as bi-encoder only' }).click();
    await page.getByTestId('order-bi').waitFor();
    assert.match(await page.getByTestId('order-cross').innerText(), /rerank [\d.]+ ms/);
    await shot(page, 'inspector');
  });

  test('moving alpha re-orders the last question live, without a new query', async () => {
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
    const atOne = await chunkOrder(page);
    assert.notDeepEqual(atOne, atZero);
    assert.equal(await preview.getAttribute('data-query'), queryId, 'same query, re-fused');
    assert.equal(fake.chatRequests().length, asked, 'no new question was sent to the LLM');
    await shot(page, 'settings');
  });

  test('saved settings survive an engine restart', async () => {
    await page.getByLabel('Cross-encoder top N').fill('7');
    await page.getByLabel('Alpha (weight of the cross-encoder)').fill('0.35');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    await server.close();
    await engine.close();
    engine = await createEngine({ storeDir: join(dir, 'store'), modelsDir: testModelsDir });
    server = await startServer({ engine, staticDir: renderer.dir });
    await page.goto(server.url);
    await nav(page, 'Settings');
    assert.equal(await page.getByLabel('Cross-encoder top N').inputValue(), '7');
    assert.equal(await page.getByTestId('alpha-value').innerText(), '0.35');
  });

  test('with Ollama down the answer is marked unavailable, with the reason, and the sources still shown', async () => {
    const port = await closedPort();
    await page.getByLabel('Ollama host').fill(`http://127.0.0.1:${port}`);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    await nav(page, 'Chat');
    await page.getByLabel('Question', { exact: true }).fill('propeller noise');
    await page.getByRole('button', { name: 'Ask', exact: true }).click();
    const unavailable = page.getByTestId('answer-unavailable');
    await unavailable.waitFor();
    assert.match(await unavailable.innerText(), /^Answer unavailable: \S+/);
    assert.ok(await page.locator('[data-testid=sources-list] li').count() > 0, 'sources are still listed');
    await page.getByTestId('step-llm').waitFor();
    await shot(page, 'ollama-down');
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
    await page.getByLabel('Language').selectOption('ja');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('navigation').getByRole('button', { name: 'チャット' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'ja');
    await shot(page, 'settings-ja');
    assert.deepEqual(cspErrors, [], 'nothing was blocked by the CSP');
  });
});
