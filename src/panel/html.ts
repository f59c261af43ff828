// The simulator panel's HTML page and its Content Security Policy. No `vscode` import: the
// extension fills in the webview URIs, and the Chromium tests build the very same page.

export interface PanelPageUris {
  /** `webview.cspSource`: the origin the webview serves the extension's files from. */
  cspSource: string;
  script: string;
  worker: string;
  style: string;
  nonce: string;
}

function attr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Only our own nonce'd scripts run; styles come from our files or carry the nonce (Lit sets
 * window.litNonce when it cannot adopt stylesheets). The simulator worker is started from a blob
 * made of dist/sim-worker.js, fetched from the extension's own origin: a webview page may not
 * start a worker from another origin, so `worker-src blob:` plus `connect-src` for that fetch.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
    `connect-src ${cspSource}`,
    'worker-src blob:',
  ].join('; ');
}

export function panelHtml(u: PanelPageUris): string {
  const nonce = attr(u.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(u.cspSource, u.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="socklint-sim-worker" content="${attr(u.worker)}">
<link rel="stylesheet" href="${attr(u.style)}">
<title>Socklint simulator</title>
<script nonce="${nonce}">window.litNonce = ${JSON.stringify(u.nonce)};</script>
</head>
<body>
<main id="app" aria-busy="true"><p>Loading the simulator…</p></main>
<script nonce="${nonce}" src="${attr(u.script)}"></script>
</body>
</html>`;
}

/** 32 random base64url characters, fresh for every page. */
export function makeNonce(): string {
  const bytes = new Uint8Array(24);
  globalThis.crypto.getRandomValues(bytes);
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_');
}
