// The one data-folder resolver, with each platform's rules: what Electron, the CLI and serve mode all use.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveDataDirs } from '../../core/models/paths.js';

const linuxHome = '/home/ada';
const winHome = 'C:\\Users\\ada';
const macHome = '/Users/ada';

test('each platform puts the store and the models in its per-user data folder', () => {
  assert.deepEqual(resolveDataDirs({ env: {}, platform: 'linux', home: linuxHome }), {
    dataDir: '/home/ada/.local/share/localrag', storeDir: '/home/ada/.local/share/localrag/store', modelsDir: '/home/ada/.local/share/localrag/models',
  });
  assert.deepEqual(resolveDataDirs({ env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, platform: 'win32', home: winHome }), {
    dataDir: 'C:\\Users\\ada\\AppData\\Roaming\\localrag',
    storeDir: 'C:\\Users\\ada\\AppData\\Roaming\\localrag\\store',
    modelsDir: 'C:\\Users\\ada\\AppData\\Roaming\\localrag\\models',
  });
  assert.equal(resolveDataDirs({ env: {}, platform: 'win32', home: winHome }).storeDir, 'C:\\Users\\ada\\AppData\\Roaming\\localrag\\store', 'no APPDATA: the roaming folder under home');
  assert.deepEqual(resolveDataDirs({ env: {}, platform: 'darwin', home: macHome }), {
    dataDir: '/Users/ada/Library/Application Support/localrag',
    storeDir: '/Users/ada/Library/Application Support/localrag/store',
    modelsDir: '/Users/ada/Library/Application Support/localrag/models',
  });
});

test('XDG_DATA_HOME moves the Linux folder only when it is absolute', () => {
  assert.equal(resolveDataDirs({ env: { XDG_DATA_HOME: '/data/xdg' }, platform: 'linux', home: linuxHome }).storeDir, '/data/xdg/localrag/store');
  assert.equal(resolveDataDirs({ env: { XDG_DATA_HOME: 'relative' }, platform: 'linux', home: linuxHome }).storeDir, '/home/ada/.local/share/localrag/store');
  assert.equal(resolveDataDirs({ env: { XDG_DATA_HOME: '/data/xdg' }, platform: 'darwin', home: macHome }).dataDir, '/Users/ada/Library/Application Support/localrag', 'XDG is Linux only');
});

test('LOCALRAG_HOME and LOCALRAG_MODELS override; the desktop app\'s former names still work', () => {
  const env = { LOCALRAG_HOME: '/portable' };
  assert.deepEqual(resolveDataDirs({ env, platform: 'linux', home: linuxHome }), { dataDir: '/portable', storeDir: '/portable/store', modelsDir: '/portable/models' });
  assert.equal(resolveDataDirs({ env: { ...env, LOCALRAG_MODELS: '/m' }, platform: 'linux', home: linuxHome }).modelsDir, '/m');
  assert.equal(resolveDataDirs({ env: { LOCALRAG_STORE_DIR: '/old/store', LOCALRAG_MODELS_DIR: '/old/models' }, platform: 'linux', home: linuxHome }).storeDir, '/old/store');
  assert.equal(resolveDataDirs({ env: { LOCALRAG_STORE_DIR: '/old/store', LOCALRAG_MODELS_DIR: '/old/models' }, platform: 'linux', home: linuxHome }).modelsDir, '/old/models');
  assert.equal(resolveDataDirs({ env: { LOCALRAG_MODELS: '/new', LOCALRAG_MODELS_DIR: '/old' }, platform: 'linux', home: linuxHome }).modelsDir, '/new', 'the current name wins');
});

test('--store and --models win over everything', () => {
  const env = { LOCALRAG_HOME: '/portable', LOCALRAG_STORE_DIR: '/old', LOCALRAG_MODELS: '/m' };
  const dirs = resolveDataDirs({ env, platform: 'linux', home: linuxHome, store: '/cli/store', models: '/cli/models' });
  assert.equal(dirs.storeDir, '/cli/store');
  assert.equal(dirs.modelsDir, '/cli/models');
});
