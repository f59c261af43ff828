// The client's side of `socklint/readFile`: the language server asks for a file the editor has not
// opened (Scan Workspace, `.socklintrc.json`) when it cannot read it itself (any scheme but file:,
// or every file when the server runs in a browser). workspace.fs reads whatever the editor can:
// a remote, a GitHub repository in github.dev, the local disk. Bounded like the server's own reads:
// only regular files, never past the limit.
import * as vscode from 'vscode';
import type { ReadFileParams, ReadFileResult } from '../server/protocol';

export async function readWorkspaceFile(p: ReadFileParams): Promise<ReadFileResult> {
  if (typeof p?.uri !== 'string' || typeof p.maxBytes !== 'number') return { kind: 'error', code: 'bad request' };
  try {
    const uri = vscode.Uri.parse(p.uri, true);
    const stat = await vscode.workspace.fs.stat(uri);
    if ((stat.type & vscode.FileType.File) === 0) return { kind: 'not-regular' };
    if (stat.size > p.maxBytes) return { kind: 'too-large', size: stat.size };
    const bytes = await vscode.workspace.fs.readFile(uri);
    if (bytes.length > p.maxBytes) return { kind: 'too-large', size: bytes.length };
    // The BOM is kept, as a read from the disk keeps it: the server decides what to do with it.
    return { kind: 'ok', text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes) };
  } catch (e) {
    return { kind: 'error', code: (e as vscode.FileSystemError).code || (e instanceof Error ? e.message : String(e)) };
  }
}
