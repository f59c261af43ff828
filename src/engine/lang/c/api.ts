// The C socket API (BSD sockets, Winsock, POSIX fd calls) as the analysis sees it: which calls
// create, configure, move data on and close sockets, and where their arguments are. Names here are
// matched against what a call resolves to (see analysis/calls.ts), never against source text.

/** What an API call does. */
export type ApiKind =
  | 'socket' | 'socketpair' | 'accept' | 'connect' | 'listen' | 'bind'
  | 'send' | 'recv' | 'sendto' | 'recvfrom' | 'sendmsg' | 'recvmsg'
  | 'setsockopt' | 'getsockopt' | 'ioctl' | 'fcntl' | 'eventselect' | 'iocp'
  | 'close' | 'shutdown' | 'wait' | 'sleep' | 'input' | 'exit'
  /** Opens a file, not a socket: a descriptor from it is not TCP (`write(fd, ...)` on it is no send). */
  | 'file';

export interface ApiCall {
  kind: ApiKind;
  /** Argument index of the socket (or the listening socket for accept). */
  socket?: number;
  buffer?: number;
  length?: number;
  flags?: number;
  /** WSASend/WSARecv: the OVERLAPPED argument. */
  overlapped?: number;
  /** Only a socket API when its first argument is known to be a socket (read/write/close on an fd). */
  fdCall?: boolean;
  /** Winsock's own name (decides the profile and the error code's name). */
  winsock?: boolean;
  /** A scatter/gather call (the length is the iovec count, not bytes). */
  vectored?: boolean;
  /** Moves every byte or fails (Python's `sendall`, asyncio's `StreamWriter.write`, `readexactly`). */
  all?: boolean;
  /** Waits for readiness itself and retries on would-block (asyncio's `loop.sock_recv`). */
  waits?: boolean;
}

const A = (kind: ApiKind, o: Omit<ApiCall, 'kind'> = {}): ApiCall => ({ kind, ...o });

export const C_API: Record<string, ApiCall> = {
  socket: A('socket'), WSASocket: A('socket', { winsock: true }), WSASocketA: A('socket', { winsock: true }), WSASocketW: A('socket', { winsock: true }),
  socketpair: A('socketpair'),
  // Descriptors that are not sockets: read()/write() on them is not TCP (an eventfd or a pipe wakes an event loop).
  eventfd: A('file'), timerfd_create: A('file'), signalfd: A('file'), epoll_create: A('file'), epoll_create1: A('file'),
  inotify_init: A('file'), inotify_init1: A('file'), memfd_create: A('file'), pipe: A('file'), pipe2: A('file'), _pipe: A('file'),
  open: A('file'), open64: A('file'), openat: A('file'), creat: A('file'), creat64: A('file'), _open: A('file'), _wopen: A('file'),
  accept: A('accept', { socket: 0 }), accept4: A('accept', { socket: 0 }), WSAAccept: A('accept', { socket: 0, winsock: true }),
  AcceptEx: A('accept', { socket: 0, winsock: true }),
  connect: A('connect', { socket: 0 }), WSAConnect: A('connect', { socket: 0, winsock: true }), ConnectEx: A('connect', { socket: 0, winsock: true }),
  WSAConnectByName: A('connect', { socket: 0, winsock: true }), WSAConnectByNameA: A('connect', { socket: 0, winsock: true }), WSAConnectByNameW: A('connect', { socket: 0, winsock: true }),
  listen: A('listen', { socket: 0 }), bind: A('bind', { socket: 0 }),
  send: A('send', { socket: 0, buffer: 1, length: 2, flags: 3 }),
  recv: A('recv', { socket: 0, buffer: 1, length: 2, flags: 3 }),
  WSASend: A('send', { socket: 0, buffer: 1, length: 2, flags: 4, overlapped: 5, winsock: true, vectored: true }),
  WSARecv: A('recv', { socket: 0, buffer: 1, length: 2, flags: 4, overlapped: 5, winsock: true, vectored: true }),
  sendto: A('sendto', { socket: 0, buffer: 1, length: 2, flags: 3 }), recvfrom: A('recvfrom', { socket: 0, buffer: 1, length: 2, flags: 3 }),
  WSASendTo: A('sendto', { socket: 0, winsock: true, vectored: true, overlapped: 7 }), WSARecvFrom: A('recvfrom', { socket: 0, winsock: true, vectored: true, overlapped: 7 }),
  sendmsg: A('sendmsg', { socket: 0, flags: 2, vectored: true }), recvmsg: A('recvmsg', { socket: 0, flags: 2, vectored: true }),
  WSASendMsg: A('sendmsg', { socket: 0, winsock: true, vectored: true, overlapped: 4 }),
  setsockopt: A('setsockopt', { socket: 0 }), getsockopt: A('getsockopt', { socket: 0 }),
  ioctlsocket: A('ioctl', { socket: 0, winsock: true }), ioctl: A('ioctl', { socket: 0, fdCall: true }), fcntl: A('fcntl', { socket: 0, fdCall: true }),
  WSAIoctl: A('ioctl', { socket: 0, winsock: true }),
  WSAEventSelect: A('eventselect', { socket: 0, winsock: true }), WSAAsyncSelect: A('eventselect', { socket: 0, winsock: true }),
  CreateIoCompletionPort: A('iocp', { socket: 0, winsock: true }), BindIoCompletionCallback: A('iocp', { socket: 0, winsock: true }),
  closesocket: A('close', { socket: 0, winsock: true }), shutdown: A('shutdown', { socket: 0 }),
  write: A('send', { socket: 0, buffer: 1, length: 2, fdCall: true }), read: A('recv', { socket: 0, buffer: 1, length: 2, fdCall: true }),
  writev: A('send', { socket: 0, fdCall: true, vectored: true }), readv: A('recv', { socket: 0, fdCall: true, vectored: true }),
  close: A('close', { socket: 0, fdCall: true }),
  select: A('wait'), pselect: A('wait'), poll: A('wait'), ppoll: A('wait'), WSAPoll: A('wait', { winsock: true }),
  epoll_wait: A('wait'), epoll_pwait: A('wait'), kevent: A('wait'),
  WSAWaitForMultipleEvents: A('wait', { winsock: true }), WaitForSingleObject: A('wait'), WaitForSingleObjectEx: A('wait'),
  WaitForMultipleObjects: A('wait'), WaitForMultipleObjectsEx: A('wait'), MsgWaitForMultipleObjects: A('wait'),
  GetQueuedCompletionStatus: A('wait', { winsock: true }), GetQueuedCompletionStatusEx: A('wait', { winsock: true }),
  pthread_cond_wait: A('wait'), pthread_cond_timedwait: A('wait'), SleepConditionVariableCS: A('wait'), SleepConditionVariableSRW: A('wait'),
  Sleep: A('sleep'), SleepEx: A('sleep'), sleep: A('sleep'), usleep: A('sleep'), nanosleep: A('sleep'), sleep_for: A('sleep'), sleep_until: A('sleep'),
  fgets: A('input'), gets: A('input'), gets_s: A('input'), getchar: A('input'), fgetc: A('input'), getc: A('input'), getline: A('input'),
  scanf: A('input'), scanf_s: A('input'), fscanf: A('input'), wscanf: A('input'), _getch: A('input'), getch: A('input'), _getwch: A('input'),
  ReadConsole: A('input'), ReadConsoleA: A('input'), ReadConsoleW: A('input'), ReadConsoleInput: A('input'), ReadConsoleInputA: A('input'),
  ReadConsoleInputW: A('input'), fread: A('input'), readline: A('input'),
  // Windows file reads (a file served in chunks): ReadFile(hFile, ...), the Win16 _lread, the CRT's _read.
  ReadFile: A('input'), _lread: A('input'), _read: A('input'),
  exit: A('exit'), _exit: A('exit'), _Exit: A('exit'), abort: A('exit'), quick_exit: A('exit'), ExitProcess: A('exit'), ExitThread: A('exit'),
  pthread_exit: A('exit'), longjmp: A('exit'), siglongjmp: A('exit'), err: A('exit'), errx: A('exit'), terminate: A('exit'),
};

/** The error codes that mean "would block". */
export const WOULDBLOCK_NAMES = new Set([
  'WSAEWOULDBLOCK', 'EWOULDBLOCK', 'EAGAIN', 'WSA_IO_PENDING', 'ERROR_IO_PENDING', 'WSAEINPROGRESS', 'EINPROGRESS',
]);

/**
 * A name that stands for "would block" in a code base's own vocabulary, when its definition is not
 * in the analysed files: `NGX_EAGAIN`, `SOCK_EWOULDBLOCK`, `UV_EAGAIN`.
 */
export function isWouldBlockName(name: string): boolean {
  if (WOULDBLOCK_NAMES.has(name)) return true;
  if (name !== name.toUpperCase()) return false;
  return name.endsWith('EAGAIN') || name.includes('EWOULDBLOCK') || name.endsWith('WOULDBLOCK') || name.endsWith('_AGAIN');
}

/** Where the last socket error is read: errno, WSAGetLastError(), GetLastError(). */
export const ERROR_SOURCES = new Set(['errno', 'WSAGetLastError', 'GetLastError', '__errno_location', 'h_errno']);

/** Values a failed socket call returns. */
export const FAILURE_NAMES = new Set(['SOCKET_ERROR', 'INVALID_SOCKET']);

/** The socket option names the rules care about. */
export const OPTION_NAMES = new Set([
  'SO_SNDBUF', 'SO_RCVBUF', 'TCP_NODELAY', 'TCP_CORK', 'TCP_NOPUSH', 'SO_SNDTIMEO', 'SO_RCVTIMEO', 'TCP_QUICKACK',
]);

/** Calls that parse a string: a recv buffer handed to one of them is taken as a whole message. */
export const PARSE_CALLS = new Set([
  'strcmp', 'strncmp', 'strcasecmp', 'strncasecmp', '_stricmp', 'stricmp', '_strnicmp', 'strnicmp', 'strstr', 'strtok', 'strtok_r', 'strtok_s',
  'sscanf', 'sscanf_s', 'atoi', 'atol', 'atoll', 'atof', 'strtol', 'strtoul', 'strtoll', 'strtoull', 'strtod', 'memcmp', 'wcscmp', '_wtoi',
]);

/**
 * Calls that open, make or remove a file by name (the arguments at these places): received text
 * handed to one is taken as one whole name, so a short or merged read names the wrong file.
 */
export const PATH_CALLS: Record<string, number[]> = {
  fopen: [0], _wfopen: [0], fopen_s: [1], freopen: [0], open: [0], _open: [0], creat: [0], CreateFile: [0], CreateFileA: [0], CreateFileW: [0],
  mkdir: [0], _mkdir: [0], rmdir: [0], _rmdir: [0], remove: [0], unlink: [0], _unlink: [0], rename: [0, 1], stat: [0], _stat: [0],
  lstat: [0], opendir: [0], chdir: [0], _chdir: [0], access: [0], _access: [0], DeleteFile: [0], DeleteFileA: [0], DeleteFileW: [0],
  CreateDirectory: [0], CreateDirectoryA: [0], CreateDirectoryW: [0], RemoveDirectory: [0], RemoveDirectoryA: [0], RemoveDirectoryW: [0],
  FindFirstFile: [0], FindFirstFileA: [0], FindFirstFileW: [0],
};

/** Calls that show or print a string as one line or message. */
export const DISPLAY_CALLS = new Set([
  'printf', 'printf_s', 'wprintf', 'puts', '_putws', 'MessageBox', 'MessageBoxA', 'MessageBoxW', 'SetWindowText', 'SetWindowTextA',
  'SetWindowTextW', 'SetDlgItemText', 'SetDlgItemTextA', 'SetDlgItemTextW', 'AfxMessageBox', 'OutputDebugString', 'OutputDebugStringA',
  'OutputDebugStringW', 'syslog', 'perror',
]);

/** Calls that write a record to a file or stream: `fprintf(f, "%s\n", buf)`. */
export const RECORD_CALLS = new Set(['fprintf', 'fprintf_s', 'fwprintf', 'fputs', 'fwrite']);

/** Calls that copy bytes out of a buffer into another (reassembly): `memcpy(acc + len, buf, n)`. */
export const COPY_CALLS = new Set(['memcpy', 'memmove', 'strncat', 'strcat', 'strncpy', 'strcpy', 'memcpy_s', 'strcpy_s', 'strcat_s', 'CopyMemory', 'RtlCopyMemory', 'MoveMemory']);

/** Calls that build a string from literals and format arguments. */
export const FORMAT_CALLS = new Set(['sprintf', 'snprintf', 'sprintf_s', '_snprintf', '_snprintf_s', 'wsprintf', 'wsprintfA', 'StringCchPrintf', 'StringCchPrintfA']);

/** Length functions. */
export const STRLEN_CALLS = new Set(['strlen', 'wcslen', 'strnlen', 'lstrlen', 'lstrlenA', 'lstrlenW', 'strlen_s']);

/** Test-framework assertion macros and functions: their arguments are checks of a result. */
export function isAssertionName(name: string): boolean {
  if (name === 'assert' || name === 'ASSERT' || name === 'VERIFY' || name === 'CHECK' || name === 'REQUIRE' || name === 'EXPECT') return true;
  for (const p of ['ASSERT_', 'EXPECT_', 'CHECK_', 'REQUIRE_', 'tt_', 'ck_assert', 'CU_ASSERT', 'TEST_ASSERT', 'g_assert', 'munit_assert', 'zassert', 'BOOST_CHECK', 'BOOST_REQUIRE', 'CATCH_']) {
    if (name.startsWith(p)) return true;
  }
  return false;
}

/** Names whose words say "close the connection": `close_client`, `DropSession`, `disconnect`. */
export function looksLikeTeardown(name: string): boolean {
  const n = name.toLowerCase();
  return n.includes('close') || n.includes('disconnect') || n.includes('kick') || n.includes('drop') || n.includes('terminate')
    || n.includes('destroy') || n.includes('teardown') || n.includes('hangup') || (n.includes('remove') && (n.includes('client') || n.includes('session') || n.includes('conn')))
    || (n.includes('free') && (n.includes('client') || n.includes('session') || n.includes('conn')));
}

/** Names whose words say "is this error a would-block?": `is_eagain`, `would_block`, `sock_retryable`. */
export function looksLikeWouldBlockTest(name: string): boolean {
  const n = name.toLowerCase().split('_').join('');
  return n.includes('wouldblock') || n.includes('eagain') || n.includes('tryagain') || n.includes('isagain') || n.includes('retryable')
    || n.includes('errrwretriable') || n.includes('inprogress');
}
