// The ModelError a promise rejects with (failing the test when it resolves or throws something else).
import assert from 'node:assert/strict';
import { ModelError } from '../../core/models/index.js';

export async function rejection(p: Promise<unknown>): Promise<ModelError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ModelError, `expected a ModelError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the promise to reject with a ModelError');
}
