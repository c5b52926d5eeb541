import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRtf } from '../../../core/ingest/parse/rtf.js';
import { runInChild } from '../../support/child-run.js';

/** What WordPad writes, trimmed: font and colour tables, generator metadata, a picture, escapes and Unicode. */
const WORDPAD = String.raw`{\rtf1\ansi\ansicpg1252\deff0\nouicompat\deflang1036{\fonttbl{\f0\fnil\fcharset0 Calibri;}}
{\colortbl ;\red255\green0\blue0;}
{\*\generator Riched20 10.0.19041}\viewkind4\uc1
\pard\sa200\sl276\slmult1\f0\fs22\lang12 Le caf\'e9 cr\'e8me du matin.\par
Deuxi\'e8me ligne: \{accolades\} et \\barre, \u8364? 12\tab fin.\par
{\pict\pngblip\picw10\pich10 89504e470d0a1a0a0000000d49484452}
{\*\unknowndest should not appear}Derni\'e8re phrase.\par
}`;

describe('parseRtf', () => {
  it('reads the text and skips tables, metadata and pictures', () => {
    const r = parseRtf(Buffer.from(WORDPAD, 'latin1'));
    assert.ok(r.ok);
    assert.equal(r.doc.kind, 'rtf');
    assert.equal(r.doc.text, 'Le café crème du matin.\nDeuxième ligne: {accolades} et \\barre, € 12\tfin.\n{not}Dernière phrase.'.replace('{not}', ''));
  });

  it('decodes \\\'hh bytes in the document code page (Shift_JIS for \\ansicpg932)', () => {
    // 日本 in Shift_JIS is 93 fa 96 7b.
    const r = parseRtf(Buffer.from(String.raw`{\rtf1\ansi\ansicpg932 \'93\'fa\'96\'7b\par}`, 'latin1'));
    assert.ok(r.ok && r.doc.text === '日本', JSON.stringify(r));
  });

  it('refuses a file that is not RTF', () => {
    const r = parseRtf(Buffer.from('plain text pretending'));
    assert.ok(!r.ok && r.code === 'corrupt-rtf');
  });

  it('is linear: a megabyte of nested groups and control words finishes within the deadline', () => {
    const run = runInChild<{ chars: number }>('test/ingest/hostile/texts.ts', 'parseHostileRtf', [1024 * 1024], 60_000);
    assert.ok(run.result.chars > 0);
  });
});

