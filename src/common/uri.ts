// The few operations the language server needs on document URIs (file:, vscode-remote:,
// vscode-vfs:, ...), on the URI strings the client sends, without Node's path or url modules:
// the server also runs in a browser. Paths stay percent-encoded as the client wrote them.

interface SplitUri { prefix: string; path: string; suffix: string }

/** `scheme://authority` + `/path` + `?query#fragment`. */
function split(uri: string): SplitUri | undefined {
  const m = /^([a-zA-Z][\w+.-]*:(?:\/\/[^/?#]*)?)([^?#]*)(.*)$/.exec(uri);
  return m ? { prefix: m[1], path: m[2], suffix: m[3] } : undefined;
}

/** The folder a URI is in (`file:///a/b/c.c` -> `file:///a/b`); undefined at the root. */
export function parentUri(uri: string): string | undefined {
  const u = split(uri);
  if (!u) return undefined;
  const p = u.path.replace(/\/+$/, '');
  const cut = p.lastIndexOf('/');
  if (cut < 0 || p === '') return undefined;
  return `${u.prefix}${cut === 0 ? '/' : p.slice(0, cut)}`;
}

/** A child of a folder URI (`name` is one plain path segment). */
export function childUri(folder: string, name: string): string {
  const u = split(folder);
  if (!u) return `${folder}/${encodeURIComponent(name)}`;
  return `${u.prefix}${u.path.replace(/\/+$/, '')}/${encodeURIComponent(name)}`;
}

/** Two URIs name the same folder (a trailing slash aside). */
export function sameFolder(a: string, b: string): boolean {
  return a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
}

/** The path part, decoded (`vscode-vfs://github/o/r/src/x.c` -> `/o/r/src/x.c`), for file-extension checks and messages. */
export function uriPath(uri: string): string {
  const p = split(uri)?.path ?? uri;
  try {
    return decodeURIComponent(p);
  } catch {
    return p;
  }
}

export function uriScheme(uri: string): string | undefined {
  return /^([a-zA-Z][\w+.-]*):/.exec(uri)?.[1];
}
