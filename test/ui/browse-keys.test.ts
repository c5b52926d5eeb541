// The folder browser's list keys without a browser: where each key moves the selection, and type-to-find.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findByPrefix, movedRow, PAGE_ROWS } from '../../renderer/src/components/browse-keys.js';

test('arrows, Home/End and pages move within the list and stop at its ends', () => {
  assert.equal(movedRow('ArrowDown', 0, 3), 1);
  assert.equal(movedRow('ArrowDown', 2, 3), 2);
  assert.equal(movedRow('ArrowUp', 0, 3), 0);
  assert.equal(movedRow('End', 0, 3), 2);
  assert.equal(movedRow('Home', 2, 3), 0);
  assert.equal(movedRow('PageDown', 0, 50), PAGE_ROWS);
  assert.equal(movedRow('PageUp', 5, 50), 0);
  assert.equal(movedRow('ArrowDown', 0, 0), null, 'an empty list has nothing to move to');
  assert.equal(movedRow('Enter', 0, 3), null);
});

test('typing finds a name by its start; one letter again steps through the names starting with it', () => {
  const names = ['Documents', 'Downloads', 'models', 'Music', 'ダウンロード'];
  assert.equal(findByPrefix(names, 0, 'd'), 1, 'a letter moves past the current row');
  assert.equal(findByPrefix(names, 1, 'dd'), 0, 'and wraps around');
  assert.equal(findByPrefix(names, 0, 'mu'), 3);
  assert.equal(findByPrefix(names, 0, 'Doc'), 0, 'a longer prefix may stay on the current row');
  assert.equal(findByPrefix(names, 0, 'ダ'), 4);
  assert.equal(findByPrefix(names, 0, 'x'), null);
});
