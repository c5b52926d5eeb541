import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { mkdirSync, writeFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { fileSha256, modelFingerprint } from '../../core/models/fingerprint.js';
import { tempDir } from '../support/temp.js';

test('a model fingerprint changes with the weights and not with the folder name', () => {
  const make = (name: string, weights: string) => {
    const dir = join(tempDir('fp-'), name);
    mkdirSync(join(dir, 'onnx'), { recursive: true });
    writeFileSync(join(dir, 'onnx', 'model.onnx'), weights);
    writeFileSync(join(dir, 'tokenizer.json'), '{}');
    writeFileSync(join(dir, 'config.json'), '{}');
    return dir;
  };
  const a = make('e5', 'weights-1');
  const b = make('other-name', 'weights-1');
  const c = make('e5', 'weights-2');
  const fp = (d: string) => modelFingerprint(d, join(d, 'onnx', 'model.onnx'));
  assert.equal(fp(a), fp(b));
  assert.notEqual(fp(a), fp(c));
  assert.match(fp(a), /^[0-9a-f]{16}$/);
});

test('fileSha256 sees a rewrite of the same size (mtime changes)', () => {
  const f = join(tempDir('fp-'), 'x.bin');
  writeFileSync(f, 'aaaa');
  const first = fileSha256(f);
  assert.equal(first, '61be55a8e2f6b4e172338bddf184d6dbee29c98853e0a0485ecee7f27b9af0b4');
  writeFileSync(f, 'bbbb');
  utimesSync(f, new Date(), new Date(Date.now() + 5000));
  assert.notEqual(fileSha256(f), first);
});

test('a downloaded model\'s recorded sha256 stands in for re-reading its weights, until the file changes', () => {
  const dir = tempDir('fp-');
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  const onnx = join(dir, 'onnx', 'model.onnx');
  writeFileSync(onnx, 'weights-1');
  writeFileSync(join(dir, 'tokenizer.json'), '{}');
  writeFileSync(join(dir, 'config.json'), '{}');
  const rehashed = modelFingerprint(dir, onnx);
  // A marker written after the files records a sum for model.onnx; the fingerprint takes it as it is.
  const old = new Date(Date.now() - 60_000);
  for (const f of [onnx, join(dir, 'tokenizer.json'), join(dir, 'config.json')]) utimesSync(f, old, old);
  writeFileSync(join(dir, 'localrag-model.json'), JSON.stringify({ source: 'hub', files: [{ path: 'onnx/model.onnx', size: 9, sha256: 'f'.repeat(64) }] }));
  const recorded = modelFingerprint(dir, onnx);
  assert.notEqual(recorded, rehashed, 'the recorded sum was used, not a re-read');
  // Rewritten after the download (newer than the marker): the recorded sum no longer speaks for it.
  writeFileSync(onnx, 'weights-2');
  utimesSync(onnx, new Date(), new Date(Date.now() + 60_000));
  assert.notEqual(modelFingerprint(dir, onnx), recorded);
  assert.notEqual(modelFingerprint(dir, onnx), rehashed);
});
