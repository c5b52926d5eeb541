// The folder and GGUF picker in a real browser over serve mode (no native dialog there): Library > Choose… walks
// the engine's machine from home with the keyboard alone and the chosen folder is added; Settings' GGUF field gets
// its file from the same dialog, which reopens at that file.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createEngine, type Engine } from '../../core/engine.js';
import { startServer, type RunningServer } from '../../core/serve/server.js';
import { projectRoot } from '../support/temp.js';
import { buildRenderer } from './build-renderer.js';

const CHROMIUM = '/usr/bin/chromium';
const SCREENS = join(projectRoot, 'test-artifacts', 'screens');

describe('the folder and GGUF picker in a browser', { skip: existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM}` }, () => {
  let dir: string;
  let home: string;
  let renderer: { dir: string; remove(): void };
  let engine: Engine;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const savedHome = process.env.HOME;

  const dialog = () => page.getByTestId('folder-browser');
  const list = () => page.getByTestId('browse-list');
  const rows = () => list().getByRole('option').evaluateAll((lis) => lis.map((li) => li.querySelector('.browse-name')?.textContent));
  const activeRow = () => list().locator('[aria-selected=true] .browse-name').innerText();
  /** Waits for the list to show this folder, then reads its rows. */
  async function listed(path: string): Promise<(string | null | undefined)[]> {
    await page.locator(`[data-testid=browse-list][aria-label="Contents of ${path}"]`).waitFor();
    return rows();
  }

  before(async () => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'localrag-picker-')));
    // The engine runs in this process: its home is this test's folder.
    home = join(dir, 'home');
    process.env.HOME = home;
    for (const d of ['Documents/notes', 'Documents/papers', 'Downloads/models', '.cache']) mkdirSync(join(home, d), { recursive: true });
    mkdirSync(join(dir, 'models'));
    writeFileSync(join(home, 'Documents', 'notes', 'wing.md'), '# Wing flutter\n\nFlutter appears near Mach one.\n');
    writeFileSync(join(home, 'Downloads', 'models', 'tiny.gguf'), Buffer.alloc(3 * 1024 * 1024));
    writeFileSync(join(home, 'Downloads', 'models', 'readme.txt'), 'not a model');
    mkdirSync(SCREENS, { recursive: true });
    renderer = await buildRenderer();
    engine = await createEngine({ storeDir: join(dir, 'store'), modelsDir: join(dir, 'models') });
    server = await startServer({ engine, staticDir: renderer.dir });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
    // Generous: only a hang should fail a step, not a machine busy with other work.
    page.setDefaultTimeout(60_000);
    await page.goto(server.url);
  });

  after(async () => {
    process.env.HOME = savedHome;
    await browser?.close();
    await server?.close();
    await engine?.close();
    renderer?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('Library: choose a folder with the keyboard from home; it is added', async () => {
    await page.getByRole('navigation', { name: 'main' }).getByRole('button', { name: 'Library', exact: true }).click();
    await page.getByRole('button', { name: 'Choose…' }).click();
    assert.deepEqual(await listed(home), ['Documents', 'Downloads'], 'starts at home; hidden folders are not listed');
    assert.deepEqual(await dialog().getByRole('navigation', { name: 'Places' }).getByRole('button').allInnerTexts(), ['Home', 'Documents', 'Downloads', 'Models folder', '/']);
    // A relative path in the path bar is refused in words, and the listing stays.
    await page.getByLabel('Path', { exact: true }).fill('Documents');
    await page.keyboard.press('Enter');
    assert.match(await dialog().getByTestId('error-invalid-browse-path').innerText(), /"Documents" is not a full path/);

    await list().focus();
    await page.keyboard.press('Enter'); // Documents (the first row)
    assert.deepEqual(await listed(join(home, 'Documents')), ['notes', 'papers']);
    await page.keyboard.press('p'); // type to find
    assert.equal(await activeRow(), 'papers');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    assert.deepEqual(await listed(join(home, 'Documents', 'notes')), []);
    await dialog().getByText('No folders in here.').waitFor();
    await page.keyboard.press('Backspace'); // up, with the folder just left selected
    await listed(join(home, 'Documents'));
    assert.equal(await activeRow(), 'notes');
    await page.keyboard.press('ArrowRight');
    await listed(join(home, 'Documents', 'notes'));
    assert.equal(await dialog().getByTestId('browse-chosen').innerText(), join(home, 'Documents', 'notes'));
    await page.screenshot({ path: join(SCREENS, 'picker-folder.png') });
    await page.keyboard.press('Control+Enter');
    await dialog().waitFor({ state: 'detached' });
    assert.equal(await page.getByLabel('Folder path').inputValue(), join(home, 'Documents', 'notes'));
    // The Add button has the focus: Enter adds the folder.
    await page.keyboard.press('Enter');
    await page.getByTestId('folders').getByText(join(home, 'Documents', 'notes'), { exact: true }).waitFor();
    assert.deepEqual((await engine.getStatus()).folders, [join(home, 'Documents', 'notes')]);

    // Esc closes the dialog without choosing anything.
    await page.getByRole('button', { name: 'Choose…' }).click();
    await listed(join(home, 'Documents', 'notes'));
    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'detached' });
  });

  test("Settings: Browse… picks a GGUF file for the embedded LLM and reopens at it", async () => {
    await page.getByRole('navigation', { name: 'main' }).getByRole('button', { name: 'Settings', exact: true }).click();
    await page.locator('#llmBackend').selectOption('embedded');
    await page.getByRole('button', { name: 'Browse…' }).click();
    await dialog().getByRole('heading', { name: 'Choose a GGUF model file' }).waitFor();
    await listed(home);
    await page.keyboard.press('D'); // a letter steps to the next row starting with it
    assert.equal(await activeRow(), 'Downloads');
    await page.keyboard.press('Enter');
    assert.deepEqual(await listed(join(home, 'Downloads')), ['models']);
    await page.keyboard.press('Enter');
    assert.deepEqual(await listed(join(home, 'Downloads', 'models')), ['tiny.gguf'], 'GGUF files only, no other files');
    assert.match(await list().getByRole('option').innerText(), /tiny\.gguf\s+3\.0 MB/);
    await page.screenshot({ path: join(SCREENS, 'picker-gguf.png') });
    await page.keyboard.press('Enter'); // on a file: chooses it
    await dialog().waitFor({ state: 'detached' });
    const gguf = join(home, 'Downloads', 'models', 'tiny.gguf');
    assert.equal(await page.locator('#embeddedModelPathCustom').inputValue(), gguf);
    await page.getByTestId('unsaved-banner').getByRole('button', { name: 'Save' }).click();
    await page.getByText('Settings saved.').waitFor();
    assert.equal((await engine.getSettings()).embeddedModelPath, gguf);

    await page.getByRole('button', { name: 'Browse…' }).click();
    await listed(join(home, 'Downloads', 'models'));
    assert.equal(await activeRow(), 'tiny.gguf');
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    await dialog().waitFor({ state: 'detached' });
  });
});
