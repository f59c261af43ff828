// The hover's text helpers: where a long explanation is cut, and how plain text with `code`
// becomes Markdown that shows exactly that text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { plainToMarkdown, shorten } from '../../src/server/hover';

test('shorten keeps short text whole and cuts long text after a sentence, or at a word with an ellipsis', () => {
  assert.deepEqual(shorten('One.  Two\n three.', 100), { text: 'One. Two three.', cut: false });
  const sentences = 'The first sentence is here. The second one is longer than the room that is left for it.';
  assert.deepEqual(shorten(sentences, 60), { text: 'The first sentence is here.', cut: true });
  // The only sentence end is too early to be worth it: cut at a word instead, and say so.
  const run = 'Ok. ' + 'word '.repeat(40);
  const r = shorten(run, 60);
  assert.ok(r.cut && r.text.endsWith(' …') && r.text.length <= 62, JSON.stringify(r));
});

test('plainToMarkdown escapes markup outside code spans and keeps the spans', () => {
  assert.equal(plainToMarkdown('SO_SNDBUF = 0 and *ptr [x] <y> #1'), 'SO\\_SNDBUF = 0 and \\*ptr \\[x\\] \\<y\\> \\#1');
  assert.equal(plainToMarkdown('compare `n` with `conn->len_[i]`'), 'compare `n` with `conn->len_[i]`');
  assert.equal(plainToMarkdown('an odd ` tick'), 'an odd \\` tick');
});
