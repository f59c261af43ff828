// A node:test reporter that writes one JSON line per skipped test ({ file, name, reason }), so
// run-tests.mjs can list at the end what did not run and why.
export default async function* skipReporter(source) {
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const skip = event.data.skip;
    if (skip === undefined || skip === false) continue;
    const reason = typeof skip === 'string' && skip ? skip : 'skipped (no reason given)';
    yield `${JSON.stringify({ file: event.data.file, name: event.data.name, reason })}\n`;
  }
}
