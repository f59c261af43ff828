import { readFileSync } from 'node:fs';
import path from 'node:path';

// Small C/C++ sources for the language server tests. Each must make the engine fire (or stay
// silent) by itself; the tests check the server against the engine, not against fixed output.

/** KB case study 1 in miniature: SO_SNDBUF = 0, then a blocking send per record. */
export const SNDBUF_ZERO = `#include <winsock2.h>

void upload(SOCKET s, const char **records, const int *lens, int n)
{
    int zero = 0;
    setsockopt(s, SOL_SOCKET, SO_SNDBUF, (const char *)&zero, sizeof zero);
    for (int i = 0; i < n; i++) {
        int sent = send(s, records[i], lens[i], 0);
        if (sent != lens[i])
            break;
    }
}
`;

export const SNDBUF_ZERO_RULE = 'sndbuf-zero-without-overlapped';

/** The same upload with the default send buffer: silent. */
export const SILENT = `#include <winsock2.h>

void upload(SOCKET s, const char **records, const int *lens, int n)
{
    for (int i = 0; i < n; i++) {
        int sent = send(s, records[i], lens[i], 0);
        if (sent != lens[i])
            break;
    }
}
`;

/** Repeats a function body with numbered names until the text has at least `lines` lines. */
export function bigFile(lines: number): string {
  const parts: string[] = ['#include <winsock2.h>', ''];
  for (let i = 0; parts.length < lines; i++) {
    parts.push(...SNDBUF_ZERO.split('\n').slice(2).map((l) => l.replace('upload(', `upload_${i}(`)));
  }
  return parts.join('\n');
}

/** examples/patterns/small-sends-nagle.cpp re-indented with tabs and saved with CRLF. */
export function tabsCrlf(): string {
  const text = readFileSync(path.join(__dirname, '..', '..', 'examples', 'patterns', 'small-sends-nagle.cpp'), 'utf8');
  return text.split('\n').map((l) => l.replace(/^( {4})+/, (m) => '\t'.repeat(m.length / 4))).join('\r\n');
}
