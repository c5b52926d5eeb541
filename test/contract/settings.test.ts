// Settings validation as people meet it: every setting has a label, each refusal names the setting by that label and
// says what it allows, and addresses and model folders cannot be turned into something else.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AppError } from '../../core/contract/api.js';
import {
  allowedValues, DEFAULT_SETTINGS, isModelName, isModelNameOrFolder, mergeSettings, SETTING_LABELS, SettingsError, SettingsSchema,
} from '../../core/contract/settings.js';
import { isValidModelId } from '../../core/models/registry.js';
import { validateRequest } from '../../core/contract/validate.js';
import { RERANK_MODES } from '../../core/contract/vocabulary.js';

function refusal(change: Record<string, unknown>): AppError {
  try {
    mergeSettings(DEFAULT_SETTINGS, change);
  } catch (err) {
    assert.ok(err instanceof SettingsError, String(err));
    return err.appError;
  }
  return assert.fail(`${JSON.stringify(change)} was accepted`);
}

test('every setting has a label and a description of what it allows', () => {
  for (const key of Object.keys(SettingsSchema.shape) as (keyof typeof SETTING_LABELS)[]) {
    assert.ok(SETTING_LABELS[key]?.length, `${key} has a label`);
    assert.notEqual(SETTING_LABELS[key], key);
    assert.ok(allowedValues(key).length > 0);
  }
  assert.equal(allowedValues('rerankMode'), `one of ${RERANK_MODES.join(', ')}`);
  assert.equal(allowedValues('retrieveK'), 'a whole number from 1 to 1,000');
  assert.equal(allowedValues('alpha'), 'a number from 0 to 1');
});

test('a refusal names the setting by its label, what it allows and what was given; never the internal name', () => {
  const e = refusal({ retrieveK: 0 });
  assert.equal(e.code, 'invalid-setting');
  assert.equal(e.message, 'Candidates retrieved (K) must be a whole number from 1 to 1,000 (got 0).');
  assert.deepEqual(e.params, { setting: 'retrieveK', label: 'Candidates retrieved (K)', allowed: 'a whole number from 1 to 1,000', value: '0' });
  assert.ok(e.action);
  for (const change of [{ retrieveK: 0 }, { alpha: 'x' }, { rerankMode: 'fancy' }, { chunkTokens: 64, chunkOverlap: 40 }, { llmIdleTimeoutMs: 5 }]) {
    const m = refusal(change).message;
    assert.doesNotMatch(m, /retrieveK|rerankMode|chunkOverlap|llmIdleTimeoutMs|Too small|Invalid input|expected/, m);
  }
  assert.match(refusal({ chunkTokens: 64, chunkOverlap: 40 }).message, /^Chunk overlap \(tokens\) must be less than half of the chunk size \(got 40\)\.$/);
  assert.match(refusal({ nope: 1 }).message, /There is no setting called "nope"/);
});

test('Ollama and hub addresses are http(s) URLs only', () => {
  for (const bad of ['javascript:alert(1)', 'file:///etc/passwd', 'ftp://host/', 'data:text/html,x', 'localhost:11434', '']) {
    assert.match(refusal({ ollamaHost: bad }).message, /^Ollama host must be an http:\/\/ or https:\/\/ address/, bad);
    assert.match(refusal({ hubHost: bad }).message, /^Model download site must be an http:\/\/ or https:\/\/ address/, bad);
  }
  for (const good of ['http://127.0.0.1:11434', 'https://ollama.example.org', 'http://[::1]:11434/']) {
    assert.equal(mergeSettings(DEFAULT_SETTINGS, { ollamaHost: good }).ollamaHost, good);
  }
});

test('model settings are names in the models folder or absolute folders, never a path that climbs out', () => {
  for (const bad of ['../../../../etc', 'a/../../b', 'sub/dir', '.hidden', '', '/models/../etc', 'name\0x']) {
    assert.match(refusal({ embedderModel: bad }).message, /^Embedding model must be a model name/, bad);
    assert.match(refusal({ crossEncoderModel: bad }).message, /^Cross-encoder model must be a model name/, bad);
  }
  for (const good of ['multilingual-e5-small', 'ms-marco-MiniLM-L-6-v2', 'tiny_embedder.v2', '/opt/models/e5', 'C:\\models\\e5']) {
    assert.equal(mergeSettings(DEFAULT_SETTINGS, { embedderModel: good }).embedderModel, good);
  }
});

test('the embedded GGUF file is an absolute path or empty, never one read against the engine\'s working folder', () => {
  for (const bad of ['model.gguf', '../x.gguf', 'models/x.gguf', '/models/../x.gguf']) {
    assert.match(refusal({ embeddedModelPath: bad }).message, /^Embedded GGUF model file must be the absolute path of a \.gguf file, or empty/, bad);
  }
  for (const good of ['', '/opt/llm/x.gguf', 'C:\\llm\\x.gguf']) {
    assert.equal(mergeSettings(DEFAULT_SETTINGS, { embeddedModelPath: good }).embeddedModelPath, good);
  }
});

test('a model name means the same to settings and to the models folder (one definition)', () => {
  const names = ['multilingual-e5-small', 'tiny_embedder.v2', 'a..b', '../etc', 'sub/dir', '.hidden', '', 'x'.repeat(128), 'x'.repeat(129), 'e5 small'];
  for (const name of names) {
    assert.equal(isValidModelId(name), isModelName(name), name);
    if (!name.startsWith('/')) assert.equal(isModelNameOrFolder(name), isModelName(name), name);
  }
  // A staging folder is a name the models folder keeps for itself.
  assert.equal(isModelName('e5.partial'), true);
  assert.equal(isValidModelId('e5.partial'), false);
});

test('an updateSettings payload from the UI is refused in the same words', () => {
  assert.throws(() => validateRequest('updateSettings', { ollamaHost: 'javascript:alert(1)' }), (err: unknown) => {
    const e = (err as { appError: AppError }).appError;
    assert.equal(e.code, 'invalid-setting');
    assert.match(e.message, /^Ollama host must be an http:\/\/ or https:\/\/ address.*\(got "javascript:alert\(1\)"\)\.$/);
    assert.doesNotMatch(e.message, /updateSettings|not valid/);
    return true;
  });
});
