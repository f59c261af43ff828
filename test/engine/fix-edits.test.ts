// Quick fixes, applied as an editor applies them, must remove the finding they are offered for
// and leave code that still parses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { allRules, languageIdForPath, lint } from '../../src/engine';
import { applyEdits, lintFile, ready } from './fixture-harness';

const root = path.join(__dirname, 'fixtures', 'rules');

test('applyEdits applies edits against the original text, last first', () => {
  const text = 'a\nbcd\ne\n';
  const out = applyEdits(text, [
    { range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, newText: '' },
    { range: { start: { line: 1, character: 1 }, end: { line: 1, character: 2 } }, newText: 'XY' },
    { range: { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } }, newText: 'f\n' },
  ]);
  assert.equal(out, 'bXYd\ne\nf\n');
  assert.throws(() => applyEdits(text, [
    { range: { start: { line: 0, character: 0 }, end: { line: 1, character: 2 } }, newText: '' },
    { range: { start: { line: 1, character: 1 }, end: { line: 1, character: 3 } }, newText: '' },
  ]), /overlapping/);
});

test('sndbuf-zero-without-overlapped: the remove fix deletes the setsockopt (with the if that only checks it) and its unused value, and re-lints clean', async () => {
  await ready;
  const id = 'sndbuf-zero-without-overlapped';
  const dir = path.join(root, id);
  let applied = 0;
  for (const f of readdirSync(dir).filter((x) => x.startsWith('fire-'))) {
    const { text, result } = lintFile(path.join(dir, f));
    for (const finding of result.findings.filter((x) => x.ruleId === id)) {
      for (const fix of finding.fixes) {
        const fixed = applyEdits(text, fix.edits);
        const removed = text.split('\n').filter((l) => !fixed.split('\n').includes(l));
        // C#: the option is the SendBufferSize property; Go: the SetWriteBuffer method.
        const option = f.endsWith('.cs') ? /\.SendBufferSize\s*=\s*0\s*;/ : f.endsWith('.go') ? /\.SetWriteBuffer\(0\)/ : /setsockopt\([^;]*SO_SNDBUF/;
        assert.ok(removed.some((l) => option.test(l)), `${f}: the fix removes the setsockopt, removed: ${JSON.stringify(removed)}`);
        // A value variable whose declaration went must not be used any more (no dead or dangling names).
        for (const l of removed) {
          const decl = /^\s*(?:int|u_long|DWORD|const int)\s+(\w+)\s*=\s*0\s*;/.exec(l);
          if (decl) assert.doesNotMatch(fixed, new RegExp(`\\b${decl[1]}\\b`), `${f}: ${decl[1]} is declared no more but still used`);
        }
        assert.equal(fix.safe, true);
        const again = lint(fixed, languageIdForPath(f)!, { profile: 'windows-legacy' });
        assert.deepEqual(again.findings.filter((x) => x.ruleId === id && x.range.start.line === finding.range.start.line).map((x) => x.message), [], `${f}: still fires after the fix`);
        assert.equal(again.errorNodes, result.errorNodes, `${f}: the fix introduced parse errors`);
        applied++;
      }
    }
  }
  // The fixtures include setsockopt statements of their own line, where the fix is offered.
  assert.ok(applied >= 2, `only ${applied} fixes applied`);
});

// The fixes that need the author's judgement (what WOULDBLOCK returns, how long to wait, how a message
// is framed) are offered for review, not applied by --fix; removing a per-connection SO_RCVBUF is safe.
// The new code follows the file's indentation (4 spaces in these fixtures).
const REVIEWED_FIXES: Record<string, { safe: boolean; title: RegExp }> = {
  'unhandled-wouldblock': { safe: false, title: /^(Return|Go on to the next pass) on (EAGAIN|WSAEWOULDBLOCK) instead of (closing the connection|giving up)$/ },
  'wouldblock-busy-retry': { safe: false, title: /^Wait for the socket to be (writable|readable) \(5 s at most\) instead of spinning on (EAGAIN|WSAEWOULDBLOCK)$/ },
  'recv-message-boundary': { safe: false, title: /^(Wait for the whole [\d,]+-byte message: recv\(\) with MSG_WAITALL|Read up to the end of the line with a recv_line\(\) helper)$/ },
  'large-rcvbuf-per-connection': { safe: true, title: /^Remove the per-connection (SO_RCVBUF|setReceiveBufferSize)/ },
};
for (const [id, expected] of Object.entries(REVIEWED_FIXES)) {
  test(`${id}: its quick fix says what it does, is ${expected.safe ? 'safe' : 'offered for review'}, and keeps the file's indentation`, async () => {
    await ready;
    const dir = path.join(root, id);
    let offered = 0, findings = 0;
    for (const f of readdirSync(dir).filter((x) => x.startsWith('fire-')).sort()) {
      const { text, result } = lintFile(path.join(dir, f));
      for (const finding of result.findings.filter((x) => x.ruleId === id)) {
        // These fixes write C; Python gets the advice in the message (its own fix is send -> sendall).
        // C#, Go and Java likewise, except removing the per-connection receive buffer statement, which is valid there too.
        if (f.endsWith('.py') || /\.[mc]?[jt]s$/.test(f) || ((f.endsWith('.cs') || f.endsWith('.go') || f.endsWith('.java')) && !expected.safe)) { assert.deepEqual(finding.fixes, [], `${f}: a C fix offered on Python, C#, Go, Java or Node.js code`); continue; }
        findings++;
        for (const fix of finding.fixes) {
          offered++;
          assert.match(fix.title, expected.title, `${f}: ${fix.title}`);
          assert.equal(!!fix.safe, expected.safe, `${f}: "${fix.title}" safe`);
          const before = new Set(text.split('\n'));
          for (const line of applyEdits(text, fix.edits).split('\n').filter((l) => !before.has(l) && l.trim() !== '')) {
            const lead = /^\s*/.exec(line)![0];
            if (line.trimStart().startsWith('*')) continue; // a block comment's continuation lines
            assert.ok(!lead.includes('\t') && lead.length % 4 === 0, `${f}: "${fix.title}" adds a line indented by ${JSON.stringify(lead)}: ${line}`);
          }
        }
      }
    }
    // Binary records of a size the code does not state (recv-message-boundary) get no fix.
    assert.ok(offered >= Math.ceil(findings / 2), `${id}: fixes on only ${offered} of ${findings} findings`);
  });
}

// Every fix any rule offers on its fire fixtures: fewer findings of that rule, no new parse errors.
// A rule that offers no fix on its fixtures is reported as skipped, not passed.
for (const rule of allRules()) {
  test(`${rule.id}: every quick fix offered on its fire fixtures removes the finding`, async (t) => {
    await ready;
    const dir = path.join(root, rule.id);
    let files: string[] = [];
    try { files = readdirSync(dir).filter((x) => x.startsWith('fire-')).sort(); } catch { /* no fixtures yet */ }
    let applied = 0;
    for (const f of files) {
      const { text, result } = lintFile(path.join(dir, f));
      const before = result.findings.filter((x) => x.ruleId === rule.id);
      for (const finding of before) {
        for (const fix of finding.fixes) {
          const again = lint(applyEdits(text, fix.edits), languageIdForPath(f)!, { profile: 'windows-legacy' });
          const after = again.findings.filter((x) => x.ruleId === rule.id);
          assert.ok(after.length < before.length, `${f}:${finding.range.start.line + 1} "${fix.title}" leaves ${after.length} of ${before.length} findings`);
          assert.ok(again.errorNodes <= result.errorNodes, `${f}: "${fix.title}" introduced parse errors`);
          applied++;
        }
      }
    }
    if (applied === 0) t.skip('no quick fix offered on the fixtures');
  });
}
