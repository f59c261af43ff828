// Terminal-safe text. File names and source lines come from whoever wrote the repository: an
// escape sequence in them could clear the screen, set the window title or recolour the report,
// and a newline in a file name could forge a whole report line. The text report and stderr
// therefore never write a control character they did not make. JSON and SARIF need none of this:
// their encoders escape control characters already.

/**
 * C0 controls and DEL, C1 controls, the bidirectional formatting characters that can make source
 * read differently from how it parses ("Trojan Source"), and the Unicode line and paragraph
 * separators. Tab is left to the callers (the report expands it; names quote it).
 */
const UNSAFE_CHARS = '\\u0000-\\u0008\\u000a-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069';
const UNSAFE = new RegExp(`[${UNSAFE_CHARS}]`, 'g');
const NEEDS_QUOTES = new RegExp(`[${UNSAFE_CHARS}\\t]`);
const QUOTED = new RegExp(`[${UNSAFE_CHARS}\\t"\\\\]`, 'g');

const C_ESCAPES: Record<string, string> = {
  '\u0007': '\\a', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\u000b': '\\v', '\f': '\\f', '\r': '\\r', '"': '\\"', '\\': '\\\\',
};

/**
 * A file name as git prints one (core.quotePath=false): unchanged when it is safe, otherwise in
 * double quotes with C escapes (`"a\033[31m.c"`, `"fake\nname.c"`), so that it stays one visible
 * token and can be told apart from any other name.
 */
export function quoteName(name: string): string {
  if (!NEEDS_QUOTES.test(name)) return name;
  return `"${name.replace(QUOTED, (ch) => {
    if (C_ESCAPES[ch]) return C_ESCAPES[ch];
    const code = ch.charCodeAt(0);
    return code < 0x80 ? `\\${code.toString(8).padStart(3, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  })}"`;
}

/**
 * Text shown inline (a source line, a message): each unsafe character becomes one visible
 * character, so columns and carets stay aligned. C0 controls and DEL become their Unicode
 * Control Pictures (ESC -> U+241B "␛"), as rustc's diagnostics do; the others become U+FFFD.
 */
export function showControls(text: string): string {
  return text.replace(UNSAFE, (ch) => {
    const code = ch.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    if (code === 0x7f) return '\u2421';
    return '\uFFFD';
  });
}
