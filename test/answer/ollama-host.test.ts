// OLLAMA_HOST read as Ollama's own envconfig.Host reads it, so localrag reaches the server `ollama run` reaches.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ollamaHostUrl } from '../../core/answer/ollama-host.js';

test('host[:port] with an optional scheme, default port 11434 (80/443 with an explicit scheme)', () => {
  const cases: [string, string | null][] = [
    ['myhost', 'http://myhost:11434'],
    ['myhost:8080', 'http://myhost:8080'],
    ['  myhost:8080 ', 'http://myhost:8080'],
    ['http://myhost', 'http://myhost:80'],
    ['https://myhost', 'https://myhost:443'],
    ['HTTP://Box:1234', 'http://Box:1234'],
    ['https://proxy.example:9443/ollama/', 'https://proxy.example:9443/ollama'],
    ['myhost:99999', 'http://myhost:11434'],
    ['[::1]:11435', 'http://[::1]:11435'],
    ['::1', 'http://[::1]:11434'],
  ];
  for (const [raw, url] of cases) assert.equal(ollamaHostUrl(raw), url, raw);
});

test('a bind-all or empty host means this machine', () => {
  assert.equal(ollamaHostUrl('0.0.0.0'), 'http://127.0.0.1:11434');
  assert.equal(ollamaHostUrl('0.0.0.0:11500'), 'http://127.0.0.1:11500');
  assert.equal(ollamaHostUrl(':11500'), 'http://127.0.0.1:11500');
  assert.equal(ollamaHostUrl('::'), 'http://[::1]:11434');
});

test('unset, empty or not http(s): null (the setting or default is used)', () => {
  for (const raw of [undefined, '', '   ', 'file:///etc/passwd', 'ftp://host', 'javascript://alert(1)', 'exa mple']) {
    assert.equal(ollamaHostUrl(raw), null, String(raw));
  }
});
