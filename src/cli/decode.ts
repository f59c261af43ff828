// Bytes -> text for source files. Much Winsock code in Korea, China and Japan is saved in the
// Windows code page (CP949, GBK, Shift-JIS), so non-UTF-8 files are decoded, never skipped; the
// engine then reports columns in characters of the decoded text, as editors do.
import * as chardet from 'chardet';
import * as iconv from 'iconv-lite';

export interface DecodedText {
  kind: 'text';
  text: string;
  /** The encoding used, as the user would name it (utf-8, cp949, gb18030, ...). */
  encoding: string;
  /** Set when the encoding was guessed by chardet (0-100). */
  confidence?: number;
  /** A one-line caveat to show the user (low-confidence guess, undecodable bytes). */
  warning?: string;
}
export interface BinaryFile { kind: 'binary'; reason: string }

/** Below this chardet confidence the guess is reported even without --verbose. */
export const LOW_CONFIDENCE = 50;
const SNIFF_BYTES = 8000; // as git does: look at the start of the file only

/** Windows code pages are supersets of the ISO names chardet reports; decode with the superset. */
const SUPERSETS: Record<string, string> = {
  'euc-kr': 'cp949',
  'shift_jis': 'cp932',
  'gb2312': 'gb18030',
  'gbk': 'gb18030',
  'big5': 'cp950',
  'iso-8859-1': 'windows-1252',
};

export function encodingExists(name: string): boolean {
  return name.toLowerCase() === 'auto' || iconv.encodingExists(name);
}

/** NUL bytes, or a start that is mostly control characters, mean a binary file. */
function binaryReason(buf: Uint8Array): string | undefined {
  const n = Math.min(buf.length, SNIFF_BYTES);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = buf[i];
    if (b === 0) return 'binary file (contains NUL bytes)';
    // Tab, LF, VT, FF, CR and ESC appear in text; other C0 controls do not.
    if (b < 0x20 && b !== 9 && b !== 10 && b !== 11 && b !== 12 && b !== 13 && b !== 27) control++;
  }
  return n > 0 && control / n > 0.1 ? 'binary file (mostly control characters)' : undefined;
}

function isValidUtf8(buf: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf);
    return true;
  } catch {
    return false;
  }
}

function countReplacements(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\uFFFD'); i !== -1 && n < text.length; i = text.indexOf('\uFFFD', i + 1)) n++;
  return n;
}

/**
 * chardet's candidates, best first. Its multi-byte recognisers (EUC-KR, GB18030, Shift_JIS, Big5)
 * give no verdict on 10 or fewer double-byte characters, which is a typical source file with one
 * Korean or Chinese comment. Repeating a short file keeps every ratio chardet judges by and
 * lifts the count over that floor, so the short-file guess is taken from the repeated buffer.
 */
function guessEncodings(buf: Buffer): { name: string; confidence: number }[] {
  const direct = chardet.analyse(buf);
  if ((direct[0]?.confidence ?? 0) >= LOW_CONFIDENCE || buf.length === 0 || buf.length >= 4096) return direct;
  const copies = Math.min(64, Math.ceil(4096 / (buf.length + 1)));
  const parts: Buffer[] = [];
  for (let i = 0; i < copies; i++) parts.push(buf, Buffer.from('\n'));
  const repeated = chardet.analyse(Buffer.concat(parts));
  return (repeated[0]?.confidence ?? 0) > (direct[0]?.confidence ?? 0) ? repeated : direct;
}

/**
 * Decodes a source file. `encoding` is "auto"/undefined (BOM, then UTF-8, then chardet's best
 * guess) or a name iconv-lite knows. A BOM always wins, as in editors.
 */
export function decodeSource(buf: Buffer, encoding?: string): DecodedText | BinaryFile {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return { kind: 'text', text: buf.subarray(3).toString('utf8'), encoding: 'utf-8' };
  if (buf[0] === 0xff && buf[1] === 0xfe) return { kind: 'text', text: iconv.decode(buf.subarray(2), 'utf-16le'), encoding: 'utf-16le' };
  if (buf[0] === 0xfe && buf[1] === 0xff) return { kind: 'text', text: iconv.decode(buf.subarray(2), 'utf-16be'), encoding: 'utf-16be' };

  const binary = binaryReason(buf);
  if (binary) return { kind: 'binary', reason: binary };

  if (encoding && encoding.toLowerCase() !== 'auto') {
    const text = iconv.decode(buf, encoding);
    const bad = countReplacements(text);
    return {
      kind: 'text', text, encoding: encoding.toLowerCase(),
      warning: bad > 0 ? `${bad} byte sequence(s) are not valid ${encoding}; they read as U+FFFD` : undefined,
    };
  }

  if (isValidUtf8(buf)) return { kind: 'text', text: buf.toString('utf8'), encoding: 'utf-8' };

  // Not UTF-8: take chardet's best guess that iconv-lite can decode.
  for (const match of guessEncodings(buf)) {
    const name = match.name.toLowerCase();
    if (name.startsWith('utf')) continue; // already ruled out, or needs a BOM we did not see
    const decodeAs = SUPERSETS[name] ?? name;
    if (!iconv.encodingExists(decodeAs)) continue;
    const shown = decodeAs === name ? name : `${decodeAs} (${match.name})`;
    return {
      kind: 'text', text: iconv.decode(buf, decodeAs), encoding: decodeAs, confidence: match.confidence,
      warning: match.confidence < LOW_CONFIDENCE
        ? `not UTF-8; guessed ${shown} with low confidence (${match.confidence}%): set --encoding or "encoding" in .socklintrc.json if positions look wrong`
        : undefined,
    };
  }
  return {
    kind: 'text', text: iconv.decode(buf, 'latin1'), encoding: 'latin1',
    warning: 'not UTF-8 and no encoding recognised; read as latin1: set --encoding or "encoding" in .socklintrc.json',
  };
}
