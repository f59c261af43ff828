// JSON (DESIGN.md's shape) and SARIF 2.1.0 (validated against the OASIS schema with ajv).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import Ajv from 'ajv';
import * as iconv from 'iconv-lite';
import addFormats from 'ajv-formats';
import type * as Sarif from 'sarif';
import { FULL_SEND, PARTIAL_SEND, runCli, runJson, tempTree } from './helpers';

const SCHEMA = path.resolve(__dirname, '../../node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');

function sarifValidator() {
  // The schema is draft-04 (`id`, draft-04 $schema); its keywords are otherwise draft-07 compatible.
  const schema = JSON.parse(readFileSync(SCHEMA, 'utf8')) as Record<string, unknown>;
  delete schema.$schema;
  schema.$id = schema.id;
  delete schema.id;
  // unicodeRegExp off: the schema's `language` pattern has a stray `]` that the u flag rejects.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

const SUPPRESSED = `#include <winsock2.h>

void push(const char *buf, int n) {
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    // socklint-disable-next-line partial-send-ignored -- the peer re-requests lost data
    send(s, buf, n, 0);
}
`;

test('JSON: exactly the documented keys, 1-based positions, relative paths; suppressed findings left out', () => {
  const dir = tempTree({ 'src/net/a.c': PARTIAL_SEND, 'b.c': SUPPRESSED, 'c.c': FULL_SEND });
  const r = runJson(dir, []);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.findings.length >= 1);
  for (const f of r.findings) {
    assert.deepEqual(Object.keys(f).sort(), ['column', 'detail', 'endColumn', 'endLine', 'file', 'line', 'message', 'ruleId', 'severity']);
    // The short message and the explanation behind it are separate texts.
    assert.ok(f.detail && f.detail.length > 0 && !f.detail.includes(f.message), JSON.stringify(f));
  }
  const f = r.findings.find((x) => x.ruleId === 'partial-send-ignored')!;
  assert.equal(f.file, 'src/net/a.c');
  assert.equal(f.line, 5);
  assert.equal(f.column, 5);
  assert.ok(f.endLine > f.line || f.endColumn > f.column);
  assert.equal(f.severity, 'warning');
  assert.ok(!r.findings.some((x) => x.file === 'b.c' && x.ruleId === 'partial-send-ignored'));
  assert.deepEqual(JSON.parse(runCli(tempTree({ 'ok.c': FULL_SEND }), ['--format', 'json']).stdout), []);
});

test('SARIF validates against the 2.1.0 schema and carries rules, results, suppressions and notices', () => {
  const dir = tempTree({
    'src/a.c': PARTIAL_SEND,
    'b.c': SUPPRESSED,
    'blob.c': Buffer.from([0x00, 0x01, 0x02]),
    'kr.c': iconv.encode(`// 송신 결과를 확인하지 않는 코드\n${PARTIAL_SEND}`, 'cp949'),
  });
  const r = runCli(dir, ['--format', 'sarif', 'src', 'b.c', 'blob.c', 'kr.c', 'missing.c']);
  assert.equal(r.code, 2); // missing.c
  const log = JSON.parse(r.stdout) as Sarif.Log;
  const validate = sarifValidator();
  assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
  assert.equal(log.version, '2.1.0');
  const run = log.runs[0];

  // Rules: every registered rule with its docs.
  const rules = run.tool.driver.rules!;
  const psi = rules.findIndex((d) => d.id === 'partial-send-ignored');
  assert.ok(psi >= 0);
  const d = rules[psi];
  assert.equal(d.name, 'PartialSendIgnored');
  assert.ok(d.shortDescription?.text && d.fullDescription?.text);
  assert.ok(d.help?.text && d.help.markdown?.includes('```'));
  assert.match(d.helpUri!, /^https:\/\/.*partial-send-ignored/);
  assert.equal(d.defaultConfiguration?.level, 'warning');

  // Results: the finding, and the suppressed one with its justification.
  const results = run.results!.filter((x) => x.ruleId === 'partial-send-ignored');
  const inA = results.find((x) => x.locations![0].physicalLocation!.artifactLocation!.uri === 'src/a.c')!;
  assert.ok(inA, JSON.stringify(results));
  assert.equal(inA.ruleIndex, psi);
  assert.equal(inA.level, 'warning');
  assert.equal(inA.locations![0].physicalLocation!.artifactLocation!.uriBaseId, '%SRCROOT%');
  assert.deepEqual(
    { line: inA.locations![0].physicalLocation!.region!.startLine, col: inA.locations![0].physicalLocation!.region!.startColumn },
    { line: 5, col: 5 },
  );
  assert.equal(inA.suppressions, undefined);
  // The message is the one-sentence finding; its explanation is beside it, and the rule's docs in the descriptor.
  const json = runJson(dir, ['src']).findings.find((x) => x.ruleId === 'partial-send-ignored')!;
  assert.equal(inA.message.text, json.message);
  assert.equal((inA.properties as { detail?: string } | undefined)?.detail, json.detail);
  assert.ok(d.help!.markdown!.includes('## What happens on the wire'));
  const inB = results.find((x) => x.locations![0].physicalLocation!.artifactLocation!.uri === 'b.c')!;
  assert.deepEqual(inB.suppressions?.map((s) => [s.kind, s.justification]), [['inSource', 'the peer re-requests lost data']]);
  assert.equal(run.originalUriBaseIds!['%SRCROOT%'].uri, `${pathToFileURL(dir).href}/`);
  assert.equal(run.columnKind, 'utf16CodeUnits');

  // A non-UTF-8 file is listed with its encoding; its result's location points at that artifact.
  const kr = run.artifacts?.find((a) => a.location?.uri === 'kr.c');
  assert.equal(kr?.encoding, 'cp949');
  const inKr = results.find((x) => x.locations![0].physicalLocation!.artifactLocation!.uri === 'kr.c')!;
  assert.equal(inKr.locations![0].physicalLocation!.artifactLocation!.index, run.artifacts!.indexOf(kr!));

  // Notices: the binary file and the missing path.
  const notes = run.invocations![0].toolExecutionNotifications!.map((n) => n.message.text);
  assert.ok(notes.includes('skipped: binary file (contains NUL bytes)'), notes.join('\n'));
  assert.ok(notes.includes('missing.c: no such file or directory'), notes.join('\n'));
  assert.equal(run.invocations![0].executionSuccessful, false);
  assert.equal(run.invocations![0].exitCode, 2);
});

test('SARIF: related locations and fixes when the engine gives them; still valid', () => {
  const dir = tempTree({
    'z.c': `#include <winsock2.h>

void blast(const char *buf, int n) {
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    int z = 0;
    setsockopt(s, SOL_SOCKET, SO_SNDBUF, (char*)&z, sizeof z);
    for (int i = 0; i < 100; i++) {
        if (send(s, buf, n, 0) != n) return;
    }
}
`,
  });
  const r = runCli(dir, ['--format', 'sarif']);
  const log = JSON.parse(r.stdout) as Sarif.Log;
  const validate = sarifValidator();
  assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
  const results = log.runs[0].results!;
  const sndbuf = results.find((x) => x.ruleId === 'sndbuf-zero-without-overlapped');
  assert.ok(sndbuf, JSON.stringify(results.map((x) => x.ruleId)));
  assert.ok((sndbuf.relatedLocations?.length ?? 0) + (sndbuf.fixes?.length ?? 0) > 0, JSON.stringify(sndbuf));
  for (const rel of sndbuf.relatedLocations ?? []) {
    assert.equal(rel.physicalLocation!.artifactLocation!.uri, 'z.c');
    assert.ok(rel.message?.text);
  }
  for (const fix of sndbuf.fixes ?? []) {
    assert.ok(fix.description?.text);
    assert.ok(fix.artifactChanges[0].replacements.length > 0);
  }
});
