// Reads a file only if it is a regular file of bounded size. A repository can name anything
// `.socklintrc.json`, `.gitignore` or `x.c`: a FIFO (reading it blocks forever), a device
// (/dev/zero never ends), or a file of gigabytes. The file is opened without blocking and checked
// on the open descriptor, so it cannot be swapped between the check and the read.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

export type BoundedRead =
  | { kind: 'ok'; bytes: Buffer }
  | { kind: 'too-large'; size: number }
  | { kind: 'not-regular' }
  | { kind: 'error'; code: string };

export function readRegularFile(file: string, maxBytes: number): BoundedRead {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer. (0 on Windows.)
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    return { kind: 'error', code: (e as NodeJS.ErrnoException).code ?? (e as Error).message };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { kind: 'not-regular' };
    if (st.size > maxBytes) return { kind: 'too-large', size: st.size };
    // Read up to one byte past the limit: a file that grew since fstat is caught too.
    const buf = Buffer.allocUnsafe(Math.min(st.size, maxBytes) + 1);
    let n = 0;
    for (;;) {
      const r = readSync(fd, buf, n, buf.length - n, null);
      if (r === 0) break;
      n += r;
      if (n === buf.length) {
        if (n > maxBytes) return { kind: 'too-large', size: n };
        break;
      }
    }
    return { kind: 'ok', bytes: buf.subarray(0, n) };
  } catch (e) {
    return { kind: 'error', code: (e as NodeJS.ErrnoException).code ?? (e as Error).message };
  } finally {
    closeSync(fd);
  }
}
