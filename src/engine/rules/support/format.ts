// Number formatting for messages: "5.0 records/s", "33 min", "1 GB".

/** Thousands separators without toLocaleString, which is slow enough to show in profiles. */
function grouped(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function perSecond(n: number): string {
  if (n >= 1000) return grouped(n);
  if (n >= 10) return n.toFixed(0);
  return n.toFixed(1);
}

export function duration(ms: number): string {
  if (ms >= 3_600_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  if (ms >= 60_000) return `${Math.round(ms / 60_000)} min`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10_000 ? 0 : 1)} s`;
  return `${Math.round(ms)} ms`;
}

export function bytes(n: number): string {
  if (n >= 1024 ** 3) return `${+(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= 1024 * 1024) return `${+(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}

export function count(n: number): string {
  return grouped(n);
}

/** The WOULDBLOCK error as this code will see it, with its number for the profile. */
export function wouldBlockCode(winsock: boolean, profile: string): string {
  if (winsock) return 'WSAEWOULDBLOCK (10035)';
  if (profile === 'macos') return 'EAGAIN (errno 35)';
  if (profile === 'linux') return 'EAGAIN (errno 11)';
  return 'EAGAIN/EWOULDBLOCK (errno 11 on Linux)';
}
