// `--output FILE`: the report never replaces a file the run read, and it appears all at once.
// `socklint a.c -o a.c` (or a symlink or hard link to a.c, or the config file) would otherwise
// destroy the source; a crash or a full disk mid-write would leave half a report where CI expects
// a whole one. The report goes to a temporary file in the same directory, then is renamed over
// the target (atomic on POSIX file systems; on Windows rename replaces the file in one step too).
import { realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The same file as far as the file system knows: device and inode (catches links and case folding). */
function sameFile(a: string, b: string): boolean {
  try {
    const sa = statSync(a);
    const sb = statSync(b);
    return sa.dev === sb.dev && sa.ino === sb.ino && sa.ino !== 0;
  } catch {
    return false;
  }
}

/** The input the target would overwrite, or undefined. `inputs` are absolute paths the run reads. */
export function overwrittenInput(target: string, inputs: Iterable<string>): string | undefined {
  let real: string;
  try {
    real = realpathSync(target);
  } catch {
    return undefined; // does not exist yet (or its directory does not): nothing to overwrite
  }
  for (const input of inputs) {
    if (path.resolve(input) === real || sameFile(real, input)) return input;
  }
  return undefined;
}

/** Writes `content` to `target` through a temporary file and a rename. Throws with an errno code. */
export function writeFileAtomically(target: string, content: string): void {
  // Through a symlink, the link's target is replaced and the link kept, as an editor would do.
  let dest = target;
  try {
    dest = realpathSync(target);
  } catch {
    // A new file.
  }
  if (statSafe(dest)?.isDirectory()) throw Object.assign(new Error(`${target} is a directory`), { code: 'EISDIR' });
  const tmp = path.join(path.dirname(dest), `.${path.basename(dest)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  try {
    writeFileSync(tmp, content, { flag: 'wx' });
    renameSync(tmp, dest);
  } catch (e) {
    try { unlinkSync(tmp); } catch { /* never created */ }
    throw e;
  }
}

function statSafe(p: string) {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}
