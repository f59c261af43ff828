// The C and C++ adapter: a tree-sitter tree of Winsock or BSD socket code -> SocketModel.
// One walk over the tree collects calls, functions, macros and types; then each socket API call
// becomes an op with the facts the rules need (loops, result use, error path). ERROR nodes are
// walked like any other node, so the parts of a file that parse still yield ops.
import { Query, type Node, type Tree } from 'web-tree-sitter';
import type { Range } from '../types';
import type {
  ErrorPath, LoopInfo, OpKind, ResultUse, SocketModel, SocketOp, SocketSymbol, SocketType, ValueRef,
} from '../model';
import {
  LineIndex, Parents, callArgs, calleeName, declaratorName, enclosingStatement, functionName, functionParams,
  isLoop, isMemberCall, nodeRange, stripWrappers,
} from './syntax';
import { evalConstText, primitiveSize, type ValueScope } from './values';

export class AnalysisBudgetExceeded extends Error {}

const WOULDBLOCK_NAMES = new Set([
  'WSAEWOULDBLOCK', 'EWOULDBLOCK', 'EAGAIN', 'WSA_IO_PENDING', 'ERROR_IO_PENDING', 'WSAEINPROGRESS', 'EINPROGRESS',
]);
const WAIT_CALLS = new Set([
  'select', 'poll', 'WSAPoll', 'epoll_wait', 'epoll_pwait', 'kevent', 'WSAWaitForMultipleEvents', 'WaitForSingleObject',
  'WaitForSingleObjectEx', 'WaitForMultipleObjects', 'WaitForMultipleObjectsEx', 'MsgWaitForMultipleObjects',
  'GetQueuedCompletionStatus', 'GetQueuedCompletionStatusEx', 'Sleep', 'SleepEx', 'usleep', 'nanosleep', 'sleep',
  'sleep_for', 'sleep_until', 'pselect', 'ppoll', 'wait_for', 'SleepConditionVariableCS', 'pthread_cond_wait',
  'pthread_cond_timedwait',
]);
/** Calls that only read through a pointer argument (the value stays known after them). */
const INPUT_ONLY_POINTER_CALLS = new Set(['setsockopt', 'send', 'sendto', 'write', 'memcmp', 'printf', 'fprintf']);
/** Calls that block on a person or a device: a loop around them sends at human pace. */
const INPUT_CALLS = new Set([
  'fgets', 'gets', 'gets_s', 'getchar', 'fgetc', 'getc', 'getline', 'scanf', 'scanf_s', 'fscanf', 'wscanf', '_getch', 'getch',
  '_getwch', 'ReadConsole', 'ReadConsoleA', 'ReadConsoleW', 'ReadConsoleInput', 'ReadFile', 'fread', 'read_line', 'readline',
]);
const CLOSE_CALLS = new Set(['closesocket', 'shutdown']);
const CLOSE_NAME = /close|disconnect|kick|drop|terminate|destroy|release|remove(client|session|conn)/i;
const WOULDBLOCK_NAME = /would_?block|eagain|try_?again|is_?again|retryable/i;

/** Socket API calls and the op they make; `fdCalls` only count on a known socket (read/write/close). */
const API: Record<string, OpKind> = {
  socket: 'socket', WSASocket: 'socket', WSASocketA: 'socket', WSASocketW: 'socket',
  accept: 'accept', accept4: 'accept', WSAAccept: 'accept', AcceptEx: 'accept',
  connect: 'connect', WSAConnect: 'connect', ConnectEx: 'connect',
  listen: 'listen', bind: 'bind',
  send: 'send', WSASend: 'send', recv: 'recv', WSARecv: 'recv',
  sendto: 'sendto', WSASendTo: 'sendto', recvfrom: 'recvfrom', WSARecvFrom: 'recvfrom',
  setsockopt: 'setsockopt',
  ioctlsocket: 'nonblock', ioctl: 'nonblock', fcntl: 'nonblock',
  WSAEventSelect: 'eventselect', WSAAsyncSelect: 'eventselect',
  CreateIoCompletionPort: 'iocp', BindIoCompletionCallback: 'iocp',
  closesocket: 'close', shutdown: 'shutdown',
};
const FD_CALLS: Record<string, OpKind> = { write: 'send', read: 'recv', close: 'close', writev: 'send', readv: 'recv' };

interface FunctionInfo {
  node: Node;
  name: string;
  simpleName: string;
  params: string[];
  start: number;
  end: number;
  /** Declarations, assignments, ifs and returns inside it, from the file query. */
  parts: FunctionPart[];
  /** Filled lazily by scanFunction. */
  scan?: FunctionScan;
}

/** One match of FUNCTION_PARTS: its kind (the pattern's outer capture) and its named parts. */
interface FunctionPart { kind: string; node: Node; parts: Map<string, Node> }

interface Definition { at: number; valueText: string }
interface FunctionScan {
  locals: Set<string>;
  defs: Map<string, Definition[]>;
  arrays: Map<string, { elemType: string; countText: string }>;
  objects: Map<string, string>;
  ifs: Node[];
  returns: Node[];
  /** `x = y` assignments (to find a created socket stored elsewhere: `clients[n++] = c`). */
  assigns: Node[];
}

interface CallSite { node: Node; name: string; start: number; end: number; member: boolean }

interface StructDef { fields: { type: string; countText?: string }[] }

export function buildCFamilyModel(tree: Tree, text: string, language: string, deadline: number): SocketModel {
  return new CFamilyAdapter(tree, text, language, deadline).build();
}

class CFamilyAdapter {
  private index: LineIndex;
  private functions: FunctionInfo[] = [];
  private functionsByName = new Map<string, FunctionInfo[]>();
  private calls: CallSite[] = [];
  private callsByStart = new Map<number, CallSite>();
  private callStarts: number[] = [];
  private fileConstants = new Map<string, number | undefined>();
  private loops = new Map<number, Node>();
  private macros = new Map<string, string>();
  private constants = new Map<string, string>();
  private globals = new Set<string>();
  private structs = new Map<string, StructDef>();
  private wouldBlockNames = new Set(WOULDBLOCK_NAMES);
  private wouldBlockMentions: number[] = [];
  private errorNodes = 0;
  private sockets = new Map<string, SocketSymbol>();
  private ops: SocketOp[] = [];
  private loopInfo = new Map<number, LoopInfo>();
  private returnKeys = new Map<string, Set<string>>();
  private wouldBlockFns = new Set<string>();
  private closeFns = new Set<string>();
  private waitFns = new Set<string>();
  private unresolvedNodelay = false;

  private parents: Parents;

  constructor(private tree: Tree, private text: string, private language: string, private deadline: number) {
    this.index = new LineIndex(text);
    this.parents = new Parents(tree.rootNode);
  }

  build(): SocketModel {
    try {
      return this.buildModel();
    } finally {
      this.parents.dispose();
    }
  }

  private buildModel(): SocketModel {
    this.collect();
    this.summariseFunctions();
    this.collectOps();
    this.addHelperOps();
    this.markCallerHandling();
    this.ops.sort((a, b) => offsetOf(this.index, a.range) - offsetOf(this.index, b.range));
    this.ops.forEach((op, i) => { op.index = i; });
    for (const sym of this.sockets.values()) sym.options.forEach((o) => { o.opIndex = this.ops.findIndex((op) => op.range === o.range); });
    return {
      language: this.language,
      sockets: this.sockets,
      ops: this.ops,
      errorNodes: this.errorNodes,
      unresolvedNodelay: this.unresolvedNodelay,
    };
  }

  private checkBudget(): void {
    if (performance.now() > this.deadline) throw new AnalysisBudgetExceeded('analysis time budget exceeded');
  }

  // ---- 1. One walk over the tree -------------------------------------------------------------

  private collect(): void {
    // Queries run inside the wasm module and hand back only the nodes we need: far cheaper than
    // visiting every node from JavaScript.
    const matches = fileQuery(this.tree).matches(this.tree.rootNode);
    this.checkBudget();
    const inner: FunctionPart[] = [];
    for (const m of matches) {
      // The pattern's outer capture is the one without a dot (`@decl`, not `@v.name`).
      const outer = m.captures.find((c) => !c.name.includes('.'));
      const capture = outer?.name ?? '';
      const node = outer?.node;
      if (!node) continue;
      switch (capture) {
        case 'call': {
          const name = calleeName(node);
          if (name) {
            const site = { node, name, start: node.startIndex, end: node.endIndex, member: isMemberCall(node) };
            this.calls.push(site);
            this.callsByStart.set(site.start, site);
          }
          break;
        }
        case 'fn': {
          const name = functionName(node);
          const info: FunctionInfo = {
            node, name, simpleName: name.replace(/^.*::/, ''), params: functionParams(node),
            start: node.startIndex, end: node.endIndex, parts: [],
          };
          this.functions.push(info);
          const list = this.functionsByName.get(info.simpleName) ?? [];
          list.push(info);
          this.functionsByName.set(info.simpleName, list);
          break;
        }
        case 'loop': this.loops.set(node.startIndex, node); break;
        case 'def': {
          const name = node.childForFieldName('name')?.text;
          const value = node.childForFieldName('value')?.text.trim() ?? '';
          if (name) {
            this.macros.set(name, value);
            if (/\b(WSAEWOULDBLOCK|EWOULDBLOCK|EAGAIN)\b/.test(value)) this.wouldBlockNames.add(name);
          }
          break;
        }
        case 'fdef': {
          const name = node.childForFieldName('name')?.text;
          const value = node.childForFieldName('value')?.text ?? '';
          if (name && [...WOULDBLOCK_NAMES].some((w) => value.includes(w))) this.wouldBlockNames.add(name);
          if (name && /\b(closesocket|close)\s*\(/.test(value)) this.closeFns.add(name);
          break;
        }
        case 'enum': {
          const name = node.childForFieldName('name')?.text;
          const value = node.childForFieldName('value')?.text;
          if (name && value) this.constants.set(name, value);
          break;
        }
        case 'struct': this.collectStruct(node); break;
        case 'global': this.collectGlobal(node); break;
        case 'error': this.errorNodes++; break;
        default: {
          const parts = new Map<string, Node>();
          for (const c of m.captures) parts.set(c.name, c.node);
          inner.push({ kind: capture, node, parts });
        }
      }
    }
    this.functions.sort((x, y) => x.start - y.start);
    this.callStarts = this.calls.map((c) => c.start);
    for (const c of inner) this.functionAt(c.node.startIndex)?.parts.push(c);
    // WOULDBLOCK names: found in the text, kept only where the tree has an identifier (not a comment).
    const names = [...this.wouldBlockNames].map(escapeRe).join('|');
    const root = this.tree.rootNode;
    for (const m of this.text.matchAll(new RegExp(`\\b(${names})\\b`, 'g'))) {
      const at = m.index ?? 0;
      const node = root.descendantForIndex(at, at + m[0].length);
      if (node && (node.type === 'identifier' || node.type === 'field_identifier')) this.wouldBlockMentions.push(at);
    }
  }

  private collectStruct(node: Node): void {
    const body = node.childForFieldName('body');
    if (!body) return;
    let name = node.childForFieldName('name')?.text;
    if (!name && this.parents.of(node)?.type === 'type_definition') {
      // `typedef struct {...} rec_t;`: the declarator is a type_identifier, not an identifier.
      const d = this.parents.of(node)!.childForFieldName('declarator');
      name = d?.type === 'type_identifier' ? d.text : declaratorName(d);
    }
    if (!name) return;
    const fields: StructDef['fields'] = [];
    for (let i = 0; i < body.namedChildCount; i++) {
      const f = body.namedChild(i);
      if (!f || f.type !== 'field_declaration') continue;
      const type = f.childForFieldName('type')?.text ?? '';
      // `static constexpr int kRecvBuf = 512 * 1024;`: a class constant, not part of the object.
      const init = f.childForFieldName('default_value');
      if (/^\s*static\b/.test(f.text) && /\b(const|constexpr)\b/.test(f.text.slice(0, 60))) {
        const constName = declaratorName(f.childForFieldName('declarator'));
        const valueText = init?.type === 'initializer_list' ? init.namedChild(0)?.text : init?.text;
        if (constName && valueText) this.constants.set(constName, valueText);
        continue;
      }
      // `float x, y, z;` declares three fields.
      for (let j = 0; j < f.namedChildCount; j++) {
        if (f.fieldNameForNamedChild(j) !== 'declarator') continue;
        const decl = f.namedChild(j);
        if (decl?.type === 'array_declarator') fields.push({ type, countText: decl.childForFieldName('size')?.text ?? '?' });
        else if (decl?.type === 'pointer_declarator') fields.push({ type: 'void*' });
        else fields.push({ type });
      }
    }
    this.structs.set(name, { fields });
  }

  private collectGlobal(node: Node): void {
    for (let i = 0; i < node.namedChildCount; i++) {
      const d = node.namedChild(i);
      if (!d) continue;
      if (d.type === 'init_declarator') {
        const name = declaratorName(d.childForFieldName('declarator'));
        const value = d.childForFieldName('value');
        if (name) {
          this.globals.add(name);
          if (value && /\bconst(expr)?\b/.test(node.text.slice(0, 60))) this.constants.set(name, value.text);
        }
      } else if (d.type === 'identifier' || d.type === 'array_declarator' || d.type === 'pointer_declarator') {
        const name = declaratorName(d);
        if (name) this.globals.add(name);
      }
    }
  }

  // ---- 2. What each function of the file does ------------------------------------------------

  private summariseFunctions(): void {
    for (const c of this.calls) {
      const fn = this.functionAt(c.start);
      if (!fn) continue;
      if (WAIT_CALLS.has(c.name)) this.waitFns.add(fn.simpleName);
      if (CLOSE_CALLS.has(c.name) || (c.name === 'close' && !c.member)) this.closeFns.add(fn.simpleName);
    }
    for (const m of this.wouldBlockMentions) {
      const fn = this.functionAt(m);
      if (fn) this.wouldBlockFns.add(fn.simpleName);
    }
    // Helpers of helpers, a few levels deep.
    for (let round = 0; round < 3; round++) {
      for (const c of this.calls) {
        const fn = this.functionAt(c.start);
        if (!fn) continue;
        if (this.waitFns.has(c.name)) this.waitFns.add(fn.simpleName);
        if (this.closeFns.has(c.name)) this.closeFns.add(fn.simpleName);
      }
    }
  }

  private functionAt(offset: number): FunctionInfo | undefined {
    // Functions are sorted by start; the innermost one holding offset starts last.
    let lo = 0, hi = this.functions.length - 1, idx = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.functions[mid].start <= offset) { idx = mid; lo = mid + 1; } else hi = mid - 1;
    }
    for (let i = idx; i >= 0 && idx - i < 8; i--) {
      const f = this.functions[i];
      if (f.start <= offset && offset < f.end) return f;
    }
    return undefined;
  }

  private scanFunction(fn: FunctionInfo): FunctionScan {
    if (fn.scan) return fn.scan;
    const scan: FunctionScan = { locals: new Set(), defs: new Map(), arrays: new Map(), objects: new Map(), ifs: [], returns: [], assigns: [] };
    const addDef = (name: string | undefined, at: number, valueText: string) => {
      if (!name) return;
      const list = scan.defs.get(name) ?? [];
      list.push({ at, valueText });
      scan.defs.set(name, list);
    };
    this.checkBudget();
    for (const { kind, node, parts } of fn.parts) {
      switch (kind) {
        case 'decl': {
          const nameNode = parts.get('v.name') ?? parts.get('v.array');
          const name = nameNode?.text ?? declaratorName(parts.get('v.indirect') ?? null);
          if (!name) break;
          scan.locals.add(name);
          const type = parts.get('v.type')?.text ?? '';
          if (parts.has('v.array')) scan.arrays.set(name, { elemType: type, countText: parts.get('v.size')?.text ?? '?' });
          // References name the object itself: sizeof(r) is the referenced type's size.
          else if (parts.has('v.name') || parts.get('v.indirect')?.text.startsWith('&')) scan.objects.set(name, type);
          const value = parts.get('v.value');
          if (value) addDef(name, (nameNode ?? node).startIndex, value.text);
          break;
        }
        case 'range': {
          const name = declaratorName(parts.get('r.decl') ?? null);
          if (name) {
            scan.locals.add(name);
            addDef(name, node.startIndex, '?');
            if (!parts.get('r.decl')?.text.startsWith('*')) scan.objects.set(name, parts.get('r.type')?.text ?? '');
          }
          break;
        }
        case 'assign': {
          scan.assigns.push(node);
          const left = parts.get('a.left');
          const op = parts.get('a.op')?.text;
          if (left && /^[A-Za-z_]\w*$/.test(left.text)) addDef(left.text, node.startIndex, op === '=' ? parts.get('a.right')?.text ?? '' : '?');
          break;
        }
        case 'update': addDef(parts.get('u.arg')?.text, node.startIndex, '?'); break;
        case 'addr': {
          // `getsockopt(..., &sz, &len)` may write through the pointer: `sz` is unknown after the
          // call (setsockopt only reads it). Recorded at the end of `&sz`, so the call's own
          // reading of `sz` still sees the earlier value.
          const fnName = (parts.get('p.fn')?.text ?? '').replace(/^.*(::|\.|->)/, '');
          const addr = parts.get('p.addr');
          if (addr && !INPUT_ONLY_POINTER_CALLS.has(fnName) && !(/^(ioctlsocket|ioctl)$/.test(fnName) && /FIONBIO/.test(node.text))) {
            addDef(parts.get('p.arg')?.text, addr.endIndex, '?');
          }
          break;
        }
        case 'if': scan.ifs.push(node); break;
        case 'ret': scan.returns.push(node); break;
      }
    }
    for (const p of fn.params) if (p) scan.locals.add(p);
    fn.scan = scan;
    return scan;
  }

  /** Constant values as seen at `offset` inside `fn` (file scope when fn is undefined). */
  private scopeAt(fn: FunctionInfo | undefined, offset: number, depth = 0): ValueScope {
    const scan = fn ? this.scanFunction(fn) : undefined;
    const self = this;
    return {
      lookup(name: string): number | undefined {
        if (depth > 6) return undefined;
        const defs = scan?.defs.get(name);
        if (defs) {
          let last: Definition | undefined;
          for (const d of defs) if (d.at < offset) last = d;
          if (last) return last.valueText === '?' ? undefined : evalConstText(last.valueText, self.scopeAt(fn, last.at, depth + 1), depth + 1);
          if (scan?.locals.has(name)) return undefined;
        }
        return self.fileConstant(name, depth);
      },
      sizeOf(name: string): number | undefined {
        const arr = scan?.arrays.get(name);
        if (arr) {
          const n = evalConstText(arr.countText, self.scopeAt(fn, offset, depth + 1), depth + 1);
          const elem = self.typeSize(arr.elemType, depth);
          return n !== undefined && elem !== undefined ? n * elem : undefined;
        }
        const objType = scan?.objects.get(name);
        if (objType) return self.typeSize(objType, depth);
        return self.typeSize(name, depth);
      },
    };
  }

  /** Macros, enumerators and consts, evaluated once per file. */
  private fileConstant(name: string, depth: number): number | undefined {
    if (this.fileConstants.has(name)) return this.fileConstants.get(name);
    const text = this.macros.get(name) ?? this.constants.get(name);
    if (text === undefined) return undefined;
    const v = evalConstText(text, this.scopeAt(undefined, 0, depth + 1), depth + 1);
    // Values cut short by the recursion bound are not remembered.
    if (depth === 0 || v !== undefined) this.fileConstants.set(name, v);
    return v;
  }

  private typeSize(type: string, depth: number): number | undefined {
    const prim = primitiveSize(type);
    if (prim !== undefined) return prim;
    const name = type.replace(/\b(const|volatile|struct|class)\b/g, '').trim();
    const def = this.structs.get(name);
    if (!def || depth > 4) return undefined;
    let total = 0;
    for (const f of def.fields) {
      const size = f.type === 'void*' ? 8 : this.typeSize(f.type, depth + 1);
      const count = f.countText === undefined ? 1 : evalConstText(f.countText, this.scopeAt(undefined, 0, depth + 1), depth + 1);
      if (size === undefined || count === undefined) return undefined;
      total += size * count;
    }
    return total;
  }

  private evalAt(node: Node | null | undefined, fn: FunctionInfo | undefined): ValueRef | undefined {
    if (!node) return undefined;
    return { text: node.text, value: evalConstText(node.text, this.scopeAt(fn, node.startIndex)) };
  }

  // ---- 3. Sockets and ops --------------------------------------------------------------------

  /** The canonical key of a socket-valued expression (see SocketSymbol.key). */
  private keyOf(expr: Node | null, fn: FunctionInfo | undefined): string | undefined {
    const n = stripWrappers(expr);
    if (!n) return undefined;
    switch (n.type) {
      case 'identifier': {
        const name = n.text;
        if (fn) {
          const pi = fn.params.indexOf(name);
          if (pi >= 0) return `param:${fn.name}:${pi}`;
          if (this.scanFunction(fn).locals.has(name)) return `local:${fn.name}:${name}`;
        }
        if (this.globals.has(name)) return `global:${name}`;
        // In a C++ member function an undeclared name is a class member.
        return this.language === 'cpp' && fn ? `field:${name}` : `global:${name}`;
      }
      case 'field_expression': {
        const field = n.childForFieldName('field');
        return field ? `field:${field.text}` : undefined;
      }
      case 'subscript_expression': return this.keyOf(n.childForFieldName('argument'), fn);
      case 'pointer_expression': return n.childForFieldName('operator')?.text === '*' ? this.keyOf(n.childForFieldName('argument'), fn) : undefined;
      default: return undefined;
    }
  }

  private symbol(key: string, display: string): SocketSymbol {
    let s = this.sockets.get(key);
    if (!s) {
      s = {
        key, display, type: 'unknown', origin: key.startsWith('param:') ? 'param' : 'unknown', options: [], connects: [],
        equals: [], boundFrom: [], passedTo: [], datagramCalls: false,
      };
      this.sockets.set(key, s);
    }
    return s;
  }

  /** Where a call's value goes: `x = call()`, `T x = call()`, `return call()`. */
  private assignmentTarget(call: Node, fn: FunctionInfo | undefined): { key?: string; variable?: string } {
    let cur: Node = call;
    for (let i = 0; i < 8; i++) {
      const p = this.parents.of(cur);
      if (!p) return {};
      if (p.type === 'parenthesized_expression' || p.type === 'cast_expression') { cur = p; continue; }
      if (p.type === 'init_declarator') {
        const name = declaratorName(p.childForFieldName('declarator'));
        return { key: name && fn ? `local:${fn.name}:${name}` : name ? `global:${name}` : undefined, variable: name };
      }
      if (p.type === 'assignment_expression' && p.childForFieldName('right')?.id === cur.id) {
        const left = p.childForFieldName('left');
        return { key: this.keyOf(left, fn), variable: left?.text };
      }
      if (p.type === 'return_statement' && fn) return { key: `return:${fn.name}` };
      return {};
    }
    return {};
  }

  private collectOps(): void {
    // Sockets created first, so read/write/close on a plain fd can be told apart from file I/O.
    for (const c of this.calls) {
      if (c.member) continue;
      const kind = API[c.name];
      if (kind !== 'socket' && kind !== 'accept') continue;
      this.createSocket(c, kind);
    }
    for (const fn of this.functions) {
      for (const r of fn.scan?.returns ?? []) {
        const key = this.keyOf(r.namedChild(0), fn);
        if (key && this.sockets.has(key)) this.addReturnKey(fn, key);
      }
      // A created socket stored in a field, array or member names the same socket there.
      for (const a of fn.scan?.assigns ?? []) {
        if (a.childForFieldName('operator')?.text !== '=') continue;
        const from = this.keyOf(a.childForFieldName('right'), fn);
        const sym = from ? this.sockets.get(from) : undefined;
        if (!sym || (sym.origin !== 'socket' && sym.origin !== 'accept')) continue;
        const to = this.keyOf(a.childForFieldName('left'), fn);
        if (to && to !== from) this.makeEqual(to, from!, a.childForFieldName('left')?.text ?? to);
      }
    }
    // Returned sockets: scan functions that create sockets for `return s;`.
    for (const c of this.calls) {
      this.checkBudget();
      if (c.member && !this.functionsByName.has(c.name)) continue;
      const kind = API[c.name] ?? (this.isKnownSocketFd(c) ? FD_CALLS[c.name] : undefined);
      if (kind && kind !== 'socket' && kind !== 'accept' && !c.member) this.addOp(c, kind);
      else if (kind === 'accept' && !c.member) this.addOp(c, kind);
      else if (kind === 'socket' && !c.member) this.addOp(c, kind);
      const callee = this.functionsByName.get(c.name);
      if (callee && this.returnKeys.has(callee[0].name)) {
        const fn = this.functionAt(c.start);
        const target = this.assignmentTarget(c.node, fn).key;
        // One way: each caller's socket takes the factory's facts, but two sockets made by one
        // factory (`cmd = ConnectTo(a); data = ConnectTo(b);`) must not become one socket.
        if (target) for (const k of this.returnKeys.get(callee[0].name)!) this.makeEqual(target, k, c.node.text, true);
      }
    }
  }

  private addReturnKey(fn: FunctionInfo, key: string): void {
    const set = this.returnKeys.get(fn.name) ?? new Set();
    set.add(key);
    this.returnKeys.set(fn.name, set);
  }

  private makeEqual(a: string, b: string, display: string, oneWay = false): void {
    const sa = this.symbol(a, display), sb = this.symbol(b, display);
    if (!sa.equals.includes(b)) sa.equals.push(b);
    if (!oneWay && !sb.equals.includes(a)) sb.equals.push(a);
  }

  private createSocket(c: CallSite, kind: 'socket' | 'accept'): void {
    const fn = this.functionAt(c.start);
    if (fn) this.scanFunction(fn);
    const target = this.assignmentTarget(c.node, fn);
    if (!target.key) return;
    const sym = this.symbol(target.key, target.variable ?? target.key);
    sym.origin = kind;
    sym.createdAt = nodeRange(this.index, c.node);
    const stmt = enclosingStatement(c.node, this.parents);
    if (stmt) sym.createdStatement = this.lineRange(stmt);
    sym.display = target.variable ?? sym.display;
    const args = callArgs(c.node);
    if (kind === 'accept') {
      sym.type = 'stream';
    } else {
      const typeText = args[1]?.text ?? '';
      const protoText = args[2]?.text ?? '';
      sym.type = /SOCK_STREAM/.test(typeText) || /IPPROTO_TCP/.test(protoText) ? 'stream'
        : /SOCK_DGRAM|SOCK_RAW/.test(typeText) || /IPPROTO_UDP/.test(protoText) ? 'dgram' : sym.type;
      if (/^WSASocket/.test(c.name) && /WSA_FLAG_OVERLAPPED/.test(args[5]?.text ?? '')) {
        sym.overlapped = { via: 'WSA_FLAG_OVERLAPPED', range: nodeRange(this.index, args[5]) };
      }
      if (/SOCK_NONBLOCK/.test(typeText)) sym.nonBlocking = { via: 'SOCK_NONBLOCK', range: nodeRange(this.index, args[1]) };
    }
    if (c.name === 'accept4' && /SOCK_NONBLOCK/.test(args[3]?.text ?? '')) {
      sym.nonBlocking = { via: 'SOCK_NONBLOCK', range: nodeRange(this.index, args[3]) };
    }
    if (c.name === 'AcceptEx' && args[1]) {
      // AcceptEx(listen, accept, ...): the accept socket is a pre-created overlapped socket.
      const key = this.keyOf(args[1], fn);
      if (key) this.symbol(key, args[1].text).origin = 'accept';
    }
    if (target.key.startsWith('return:') && fn) this.addReturnKey(fn, target.key);
  }

  private isKnownSocketFd(c: CallSite): boolean {
    if (!(c.name in FD_CALLS) || c.member) return false;
    const fn = this.functionAt(c.start);
    const key = this.keyOf(callArgs(c.node)[0] ?? null, fn);
    const sym = key ? this.sockets.get(key) : undefined;
    return !!sym && (sym.origin === 'socket' || sym.origin === 'accept');
  }

  private addOp(c: CallSite, kind: OpKind): void {
    const fn = this.functionAt(c.start);
    const args = callArgs(c.node);
    const socketArg = kind === 'iocp' ? args[0] : kind === 'socket' ? null : args[0];
    let socket = socketArg ? this.keyOf(socketArg, fn) : undefined;
    if (kind === 'socket' || kind === 'accept') socket = this.assignmentTarget(c.node, fn).key ?? socket;
    if (kind === 'iocp' && (!socketArg || /INVALID_HANDLE_VALUE/.test(socketArg.text))) return;
    const op = this.baseOp(c, kind, fn, socket, socketArg?.text);
    op.variesPerIteration = this.variesPerIteration(socketArg ?? null, op, fn);
    if (socket) {
      const sym = this.symbol(socket, socketArg?.text ?? socket);
      this.applyFacts(sym, op, args, fn);
    } else if (kind === 'send' || kind === 'recv') {
      // `send(FD(c), ...)`: the socket has no name we can key, but how the result is used still counts.
      this.describeTransfer(op, args, fn);
    }
    if (kind === 'send' || kind === 'recv') op.afterReadiness = this.guardedByWait(c.node, fn);
    this.ops.push(op);
  }

  private baseOp(c: CallSite, kind: OpKind, fn: FunctionInfo | undefined, socket: string | undefined, socketText: string | undefined): SocketOp {
    const stmt = enclosingStatement(c.node, this.parents);
    const callParent = skipParensUp(c.node, this.parents);
    const isOwnStatement = callParent?.type === 'expression_statement';
    return {
      index: -1, kind, callee: c.name, socket, socketText,
      range: nodeRange(this.index, c.node),
      nameRange: nodeRange(this.index, calleeNode(c.node)),
      statementRange: isOwnStatement && callParent ? this.lineRange(callParent) : undefined,
      statement: stmt && this.parents.of(stmt) ? { range: this.lineRange(stmt), block: this.parents.of(stmt)!.startIndex } : undefined,
      indent: this.index.indentAt((stmt ?? c.node).startIndex),
      fn: fn?.name ?? '',
      branches: branchesAround(c.node, this.parents),
      loops: this.loopsAround(c.node, fn),
      result: { ignored: false, explicitlyVoided: false, errorChecked: false, lengthChecked: false },
      errorPath: { exists: false, distinguishesWouldBlock: false, closes: false, leaves: false },
    };
  }

  /** A statement's range widened to whole lines when it is alone on them (for clean deletions). */
  private lineRange(stmt: Node): Range {
    const start = this.index.position(stmt.startIndex);
    const end = this.index.position(stmt.endIndex);
    const lineStart = this.index.lineStart(start.line);
    const before = this.text.slice(lineStart, stmt.startIndex);
    const nextLine = this.index.lineStart(end.line + 1);
    const after = this.text.slice(stmt.endIndex, end.line + 1 < this.index.lineCount() ? nextLine : this.text.length);
    if (/^[ \t]*$/.test(before) && /^[ \t]*(\/\/[^\n]*)?\r?\n?$/.test(after) && end.line + 1 < this.index.lineCount()) {
      return { start: { line: start.line, character: 0 }, end: { line: end.line + 1, character: 0 } };
    }
    return nodeRange(this.index, stmt);
  }

  /** `clients[i]`, or a name (re)defined inside an enclosing loop: a different socket each pass. */
  private variesPerIteration(expr: Node | null, op: SocketOp, fn: FunctionInfo | undefined): boolean {
    const n = stripWrappers(expr);
    if (!n || !fn || op.loops.length === 0) return false;
    if (/\[/.test(n.text)) return true;
    const base = /^[A-Za-z_]\w*/.exec(n.text)?.[0];
    if (!base || base === 'this') return false;
    const defs = this.scanFunction(fn).defs.get(base) ?? [];
    return op.loops.some((l) => {
      const start = offsetOf(this.index, l.range.start), end = offsetOf(this.index, l.range.end);
      return defs.some((d) => d.at >= start && d.at < end);
    });
  }

  private applyFacts(sym: SocketSymbol, op: SocketOp, args: Node[], fn: FunctionInfo | undefined): void {
    const range = op.range;
    switch (op.kind) {
      case 'connect':
        sym.connects.push(range);
        if (sym.type === 'unknown') sym.type = 'unknown';
        if (op.callee === 'ConnectEx') sym.overlapped ??= { via: 'ConnectEx', range };
        break;
      case 'listen': sym.type = sym.type === 'unknown' ? 'stream' : sym.type; break;
      case 'sendto': case 'recvfrom': sym.datagramCalls = true; break;
      case 'send': case 'recv': this.describeTransfer(op, args, fn); break;
      case 'setsockopt': {
        const level = args[1]?.text ?? '';
        const name = args[2]?.text ?? '';
        const valueNode = optionValueNode(args[3] ?? null);
        const v = this.evalAt(valueNode, fn);
        op.option = { level, name, value: v?.value, valueText: valueNode?.text ?? args[3]?.text ?? '' };
        op.length = v;
        sym.options.push({ name, value: v?.value, valueText: op.option.valueText, range, statementRange: op.statementRange, opIndex: -1 });
        this.describeResult(op, fn);
        break;
      }
      case 'nonblock': {
        const cmd = args[1]?.text ?? '';
        const arg = args[2] ?? null;
        let on = false;
        if (/FIONBIO/.test(cmd)) {
          const v = this.evalAt(optionValueNode(arg), fn);
          on = v?.value === undefined ? !/^\s*0\s*$/.test(arg?.text ?? '') : v.value !== 0;
        } else if (/F_SETFL/.test(cmd)) {
          on = /O_NONBLOCK/.test(arg?.text ?? '') && !/~\s*O_NONBLOCK/.test(arg?.text ?? '');
        }
        if (on) sym.nonBlocking ??= { via: op.callee === 'fcntl' ? 'fcntl(O_NONBLOCK)' : `${op.callee}(FIONBIO)`, range };
        // Back to blocking only when the code says so: FIONBIO with 0, F_SETFL with ~O_NONBLOCK or 0.
        const off = /FIONBIO/.test(cmd) ? !on && this.evalAt(optionValueNode(arg), fn)?.value === 0
          : /F_SETFL/.test(cmd) && (/~\s*O_NONBLOCK/.test(arg?.text ?? '') || /^\s*0\s*$/.test(arg?.text ?? ''));
        if (off) (sym.blockingAgain ??= []).push({ via: op.callee === 'fcntl' ? 'fcntl(~O_NONBLOCK)' : `${op.callee}(FIONBIO, 0)`, range });
        break;
      }
      case 'eventselect': {
        const mask = args[op.callee === 'WSAAsyncSelect' ? 3 : 2]?.text ?? '';
        if (!/^\s*0\s*$/.test(mask)) sym.nonBlocking ??= { via: op.callee, range };
        break;
      }
      case 'iocp': sym.overlapped ??= { via: op.callee, range }; break;
    }
  }

  /** send/recv: buffer, length, overlapped argument, result use and error path. */
  private describeTransfer(op: SocketOp, args: Node[], fn: FunctionInfo | undefined): void {
    const wsa = op.callee.startsWith('WSA');
    if (wsa) {
      const ovl = args[5];
      op.overlappedArg = !!ovl && !/^\s*(NULL|nullptr|0)\s*$/.test(ovl.text);
      if (op.overlappedArg && op.socket) this.symbol(op.socket, op.socketText ?? op.socket).overlapped ??= { via: `${op.callee} with an OVERLAPPED`, range: op.range };
      op.buffer = args[1]?.text;
      op.flags = args[4]?.text;
    } else {
      op.buffer = args[1]?.text;
      op.length = this.evalAt(args[2], fn);
      op.flags = args[3]?.text;
      // `char record[RECORD_MAX]` or `&rec`: the length, whatever it is, fits the declared object.
      const buf = stripWrappers(args[1] ?? null);
      const obj = buf?.type === 'pointer_expression' && buf.childForFieldName('operator')?.text === '&' ? buf.childForFieldName('argument') : buf;
      if (obj?.type === 'identifier' && fn) {
        const scan = this.scanFunction(fn);
        if (scan.arrays.has(obj.text) || (obj !== buf && scan.objects.has(obj.text))) {
          op.bufferCapacity = evalConstText(`sizeof(${obj.text})`, this.scopeAt(fn, args[1]!.startIndex));
        }
      }
    }
    this.describeResult(op, fn);
    const bufferText = op.buffer ?? '';
    op.accumulates = /\+|&\s*[\w.>-]+\s*\[\s*[^\]0\s]/.test(bufferText) || /\+=|-=/.test(this.usesAfter(op, fn));
    if (op.kind === 'recv' && !wsa) op.consumedAsMessage = this.messageUse(op, args, fn);
  }

  /** Text of the function after the op, bounded so one huge function costs little. */
  private usesAfter(op: SocketOp, fn: FunctionInfo | undefined): string {
    const v = op.result.variable;
    if (!v || !fn) return '';
    const from = offsetOf(this.index, op.range.end);
    const text = this.text.slice(from, Math.min(fn.end, from + 6000));
    const name = escapeRe(v);
    const hits = text.match(new RegExp(`[^;{}]*\\b${name}\\b[^;{}]*`, 'g')) ?? [];
    return hits.filter((h) => new RegExp(`(\\+=|-=)\\s*\\(?\\s*(\\w+\\s*\\)\\s*)?${name}\\b`).test(h)).join('\n');
  }

  private describeResult(op: SocketOp, fn: FunctionInfo | undefined): void {
    const call = this.callNodeAt(op);
    if (!call) return;
    let cur: Node = call;
    let parent = this.parents.of(cur);
    for (let i = 0; parent && i < 8 && parent.type === 'parenthesized_expression'; i++) { cur = parent; parent = this.parents.of(cur); }
    const result: ResultUse = op.result;
    if (!parent) return;
    if (parent.type === 'expression_statement') { result.ignored = true; return; }
    if (parent.type === 'cast_expression' && /^\(\s*void\s*\)/.test(parent.text)) {
      result.ignored = true; result.explicitlyVoided = true; return;
    }
    // `tt_int_op(send(..), ==, len)`, `EXPECT_OP(recv(..), >, 0)`: a test assertion macro whose
    // arguments spell the comparison; it is judged like the condition it expands to.
    if (parent.type === 'argument_list' && parent.namedChildren.some((a) => a?.type === 'ERROR' && /^[\s,]*(==|!=|>=|<=|>|<)[\s,]*$/.test(a.text))) {
      result.asserted = true;
      const cond = parent.namedChildren.map((a) => (a?.id === cur.id ? 'CALL' : (a?.text ?? '').replace(/,/g, ' '))).join(' ');
      if (isErrorComparison(cond)) result.errorChecked = true;
      if (op.length?.text && comparesWithLength(cond, op.length.text)) result.lengthChecked = true;
      return;
    }
    const target = this.assignmentTarget(call, fn);
    result.variable = target.variable;
    if (target.key?.startsWith('return:')) result.returned = true;
    else if (target.variable && fn) {
      const from = call.endIndex;
      const rest = stripComments(this.text.slice(from, Math.min(fn.end, from + 6000)));
      if (new RegExp(`\\breturn\\s*\\(?\\s*${escapeRe(target.variable)}\\s*\\)?\\s*;`).test(rest)) result.returned = true;
    }
    // Where the result is compared: the call itself inside a comparison, or `(n = send(..)) < 0`.
    let compare: Node | null = null;
    let up: Node | null = cur;
    for (let i = 0; up && i < 6; i++) {
      const p: Node | null = this.parents.of(up);
      if (!p) break;
      if (p.type === 'binary_expression') { compare = p; break; }
      if (p.type === 'parenthesized_expression' || p.type === 'assignment_expression' || p.type === 'cast_expression') { up = p; continue; }
      if (p.type === 'unary_expression' && p.text.startsWith('!')) { compare = p; break; }
      break;
    }
    const lengthText = op.length?.text;
    const judge = (whole: string) => {
      // The call's own arguments (`send(s, buf, len, 0) == SOCKET_ERROR`) are not a comparison with len.
      const cond = whole.split(call.text).join(' CALL ');
      if (isErrorComparison(cond)) result.errorChecked = true;
      if (lengthText && comparesWithLength(cond, lengthText)) result.lengthChecked = true;
    };
    let checkNode: Node | null = null;
    if (compare) {
      judge(compare.text);
      checkNode = conditionOwner(compare, this.parents);
    }
    if (result.variable && fn) {
      const scan = this.scanFunction(fn);
      const name = escapeRe(result.variable);
      // `r = send(..); tt_int_op(r, >, 0);`: a test assertion on the count.
      const rest = this.text.slice(call.endIndex, Math.min(fn.end, call.endIndex + 600));
      if (new RegExp(`\\b\\w+\\s*\\(\\s*${name}\\s*,\\s*(==|!=|>=|<=|>|<)\\s*,`).test(rest)) result.asserted = true;
      const re = new RegExp(`\\b${name}\\b`);
      const callEnd = call.endIndex;
      for (const ifNode of scan.ifs) {
        if (ifNode.startIndex < callEnd && !(compare && conditionOwner(compare, this.parents)?.id === ifNode.id)) continue;
        const cond = ifNode.childForFieldName('condition')?.text ?? '';
        if (!re.test(cond)) continue;
        judge(cond);
        if (!checkNode && (isErrorComparison(cond) || isSuccessComparison(cond))) checkNode = ifNode;
        if (checkNode) break;
      }
      const after = this.text.slice(callEnd, Math.min(fn.end, callEnd + 6000));
      if (usedAsCount(after, result.variable, lengthText)) result.lengthChecked = true;
      if (isSwitchOn(after, result.variable)) result.errorChecked = true;
    }
    if (checkNode) op.errorPath = this.errorPathOf(checkNode);
    // `do { n = send(..); } while (n < 0 && errno == EAGAIN);`: the innermost loop's own condition
    // retries on WOULDBLOCK, so the failure is told apart there.
    for (let p = this.parents.of(call); p && p.type !== 'function_definition'; p = this.parents.of(p)) {
      if (!isLoop(p)) continue;
      const cond = p.childForFieldName('condition');
      const holdsCall = !!cond && cond.startIndex <= call.startIndex && call.endIndex <= cond.endIndex;
      const namesResult = !!cond && !!result.variable && new RegExp(`\\b${escapeRe(result.variable)}\\b`).test(cond.text);
      if (cond && (holdsCall || namesResult) && this.mentionsWouldBlock(cond.startIndex, cond.endIndex)) {
        op.errorPath = { ...op.errorPath, exists: true, distinguishesWouldBlock: true, wouldBlockLeaves: false };
      }
      break;
    }
  }

  private callNodeAt(op: SocketOp): Node | null {
    return this.callsByStart.get(offsetOf(this.index, op.range.start))?.node ?? null;
  }

  /** Classifies the branch taken when the operation fails. */
  private errorPathOf(check: Node): ErrorPath {
    const cond = check.childForFieldName('condition')?.text ?? '';
    const errorForm = isErrorComparison(cond);
    let region: { start: number; end: number } | undefined;
    if (check.type === 'if_statement') {
      const cons = check.childForFieldName('consequence');
      const alt = check.childForFieldName('alternative');
      if (errorForm && cons) region = { start: cons.startIndex, end: cons.endIndex };
      else if (alt) region = { start: alt.startIndex, end: alt.endIndex };
      else region = followingRegion(check, this.parents);
    } else if (check.type === 'while_statement' || check.type === 'for_statement' || check.type === 'do_statement') {
      // `while ((n = recv(...)) > 0) {...}`: failure leaves the loop; what follows it is the error path.
      region = followingRegion(check, this.parents);
    }
    if (!region) return { exists: false, distinguishesWouldBlock: false, closes: false, leaves: false };
    const whole = { start: Math.min(check.startIndex, region.start), end: Math.max(region.end, check.childForFieldName('condition')?.endIndex ?? 0) };
    const regionText = this.text.slice(region.start, region.end);
    const distinguishes = this.mentionsWouldBlock(whole.start, whole.end) || this.mentionsWouldBlock(region.start, region.end);
    const closeCall = this.callsIn(region.start, region.end).find((c) => this.isCloseCall(c));
    return {
      exists: true,
      distinguishesWouldBlock: distinguishes,
      wouldBlockLeaves: distinguishes ? this.wouldBlockBranchLeaves(check, whole) : undefined,
      closes: !!closeCall,
      leaves: /\b(return|break|goto|throw|exit)\b/.test(stripComments(regionText)),
      range: this.index.range(region.start, region.end),
      closeRange: closeCall ? nodeRange(this.index, closeCall.node) : undefined,
    };
  }

  /**
   * `if (n < 0) return -1;` in a wrapper whose callers in this file test for WOULDBLOCK: the error
   * goes up with errno / WSAGetLastError() intact and is told apart there.
   */
  private markCallerHandling(): void {
    const verdict = new Map<string, boolean>();
    for (const op of this.ops) {
      const e = op.errorPath;
      if ((op.kind !== 'send' && op.kind !== 'recv') || !e.exists || e.distinguishesWouldBlock || e.closes || !e.leaves || !op.fn) continue;
      const simple = op.fn.replace(/^.*::/, '');
      let handled = verdict.get(simple);
      if (handled === undefined) {
        handled = this.calls.some((c) => {
          if (c.name !== simple) return false;
          const caller = this.functionAt(c.start);
          return !!caller && caller.simpleName !== simple && this.mentionsWouldBlock(caller.start, caller.end);
        });
        verdict.set(simple, handled);
      }
      if (handled) e.handledByCaller = true;
    }
  }

  /** The node sits in the then-branch of an if whose condition tests a wait's result. */
  private guardedByWait(node: Node, fn: FunctionInfo | undefined): boolean {
    if (!fn) return false;
    const isWait = (name: string) => WAIT_CALLS.has(name) || this.waitFns.has(name);
    for (let cur: Node = node, p = this.parents.of(node); p && p.type !== 'function_definition'; cur = p, p = this.parents.of(p)) {
      if (p.type !== 'if_statement' || p.childForFieldName('consequence')?.id !== cur.id) continue;
      const cond = p.childForFieldName('condition');
      if (!cond) continue;
      if (this.callsIn(cond.startIndex, cond.endIndex).some((c) => isWait(c.name))) return true;
      const defs = this.scanFunction(fn).defs;
      for (const m of cond.text.matchAll(/[A-Za-z_]\w*/g)) {
        let last: Definition | undefined;
        for (const d of defs.get(m[0]) ?? []) if (d.at < p.startIndex) last = d;
        const callee = last && /^\s*(?:\([^()]*\)\s*)?([A-Za-z_][\w:]*)\s*\(/.exec(last.valueText)?.[1]?.replace(/^.*::/, '');
        if (callee && isWait(callee)) return true;
      }
    }
    return false;
  }

  /**
   * The branch taken on WOULDBLOCK (`if (err == WSAEWOULDBLOCK) ...`, or what follows
   * `if (err != WSAEWOULDBLOCK) return -1;`) leaves with return/goto/throw/break instead of retrying.
   */
  private wouldBlockBranchLeaves(check: Node, whole: { start: number; end: number }): boolean {
    const fn = this.functionAt(check.startIndex);
    const ifs = fn ? this.scanFunction(fn).ifs : [check];
    for (const i of ifs) {
      if (i.startIndex < whole.start || i.endIndex > whole.end) continue;
      const cond = i.childForFieldName('condition');
      if (!cond || !this.mentionsWouldBlock(cond.startIndex, cond.endIndex)) continue;
      const negative = /!=/.test(cond.text) || /^\(?\s*!/.test(cond.text.trim().replace(/^\(\s*/, ''));
      const branch = negative ? i.childForFieldName('alternative') : i.childForFieldName('consequence');
      const span = branch ? { start: branch.startIndex, end: branch.endIndex } : negative ? followingRegion(i, this.parents) : undefined;
      // Nothing after `if (err != EAGAIN) return -1;`: control reaches the loop's end and retries.
      if (!span) return false;
      const code = stripComments(this.text.slice(span.start, span.end));
      if (/\bcontinue\b/.test(code)) return false;
      return /\b(return|goto|throw|break|exit)\b/.test(code);
    }
    // `switch (errno) { case EAGAIN: return 0; ... }`: the case's own statements (after any labels
    // it falls through); `break` there only leaves the switch, so the loop still retries.
    const region = stripComments(this.text.slice(whole.start, whole.end));
    const names = [...this.wouldBlockNames].map(escapeRe).join('|');
    const m = new RegExp(`\\bcase\\s+(?:${names})\\s*:((?:\\s*(?:case\\s+\\w+|default)\\s*:)*)([\\s\\S]*?)(?=\\bcase\\b|\\bdefault\\b|$)`).exec(region);
    if (m) return !/\bcontinue\b/.test(m[2]) && /\b(return|goto|throw|exit)\b/.test(m[2]);
    return false;
  }

  /** Calls inside [start, end): `calls` is in document order, so a binary search finds the first. */
  private callsIn(start: number, end: number): CallSite[] {
    const out: CallSite[] = [];
    for (let i = lowerBound(this.callStarts, start); i < this.calls.length && this.calls[i].start < end; i++) {
      if (this.calls[i].end <= end) out.push(this.calls[i]);
    }
    return out;
  }

  private isCloseCall(c: CallSite): boolean {
    return CLOSE_CALLS.has(c.name) || c.name === 'close' || this.closeFns.has(c.name) || CLOSE_NAME.test(c.name);
  }

  private mentionsWouldBlock(start: number, end: number): boolean {
    const i = lowerBound(this.wouldBlockMentions, start);
    if (i < this.wouldBlockMentions.length && this.wouldBlockMentions[i] < end) return true;
    return this.callsIn(start, end).some((c) => this.wouldBlockFns.has(c.name) || this.wouldBlockNames.has(c.name) || WOULDBLOCK_NAME.test(c.name));
  }

  /** How a recv's bytes are used: as a whole message (cast, parsed, read into an object)? */
  private messageUse(op: SocketOp, args: Node[], fn: FunctionInfo | undefined): SocketOp['consumedAsMessage'] {
    if (/MSG_WAITALL/.test(op.flags ?? '') || op.accumulates || op.result.lengthChecked) return undefined;
    const buf = stripWrappers(args[1] ?? null);
    if (!buf) return undefined;
    if (buf.type === 'pointer_expression' && buf.childForFieldName('operator')?.text === '&') {
      const target = buf.childForFieldName('argument');
      if (target && (target.type === 'identifier' || target.type === 'field_expression')) {
        const isArray = target.type === 'identifier' && fn && this.scanFunction(fn).arrays.has(target.text);
        if (!isArray) return { how: `reads ${target.text} (a fixed-size object) in one call`, range: op.range };
      }
      return undefined;
    }
    if (buf.type !== 'identifier' && buf.type !== 'field_expression') return undefined;
    if (!fn) return undefined;
    const name = escapeRe(buf.text);
    const from = offsetOf(this.index, op.range.end);
    const after = stripComments(this.text.slice(from, Math.min(fn.end, from + 3000)));
    const cast = new RegExp(`\\(\\s*(const\\s+)?(struct\\s+)?[A-Za-z_]\\w*\\s*\\*\\s*\\)\\s*\\(?\\s*(&\\s*)?${name}\\b|reinterpret_cast\\s*<[^>]*\\*\\s*>\\s*\\(\\s*${name}\\b`);
    const m1 = cast.exec(after);
    if (m1 && !/\(\s*(const\s+)?(char|void|unsigned\s+char|u_char|BYTE|uint8_t|CHAR)\s*\*\s*\)/.test(m1[0])) {
      return { how: 'casts the buffer to a message struct', range: op.range };
    }
    const parse = new RegExp(`\\b(strcmp|strncmp|strcasecmp|_stricmp|stricmp|strstr|strtok|sscanf|atoi|atol|atof|strtol|strtoul|memcmp)\\s*\\([^;]*\\b${name}\\b`);
    const m2 = parse.exec(after);
    if (m2) return { how: `parses the buffer with ${m2[1]}() as if it held a whole message`, range: op.range };
    // `store_record(buf, n)`, `handle_packet(pkt, n)`: handed on as one message, before any
    // further read could complete it. Streaming parsers (`parse`, `feed`, `execute`) take partial input.
    const untilNextRead = after.split(/\b(recv|read|WSARecv|recv_all|readn)\s*\(/)[0];
    for (const m of untilNextRead.matchAll(new RegExp(`\\b(?!(?:if|while|for|switch|return|sizeof)\\b)([A-Za-z_][\\w:]*)\\s*\\(([^;]*\\b${name}\\b[^;]*)\\)\\s*;`, 'g'))) {
      const callee = m[1].replace(/^.*::/, '');
      if (/(record|message|msg|packet|pkt|command|cmd|request|frame)/i.test(callee)
        && !/(parse|feed|append|push|buffer|stream|execute|write|send|copy|log|print|dump|free|recv|read)/i.test(callee)) {
        return { how: `hands the buffer to ${callee}() as one whole message`, range: op.range };
      }
    }
    return undefined;
  }

  /** The loops around a node inside its function, outermost first. */
  private loopsAround(node: Node, fn: FunctionInfo | undefined): LoopInfo[] {
    const out: LoopInfo[] = [];
    let cur: Node | null = this.parents.of(node);
    for (let i = 0; cur && i < 200; i++) {
      if (fn && cur.startIndex < fn.start) break;
      if (isLoop(cur)) out.unshift(this.loop(cur, fn));
      if (cur.type === 'function_definition') break;
      cur = this.parents.of(cur);
    }
    return out;
  }

  private loop(node: Node, fn: FunctionInfo | undefined): LoopInfo {
    const cached = this.loopInfo.get(node.startIndex);
    if (cached) return cached;
    const cond = node.childForFieldName('condition');
    const condText = cond?.text ?? '';
    const kind = node.type === 'for_statement' || node.type === 'for_range_loop' ? 'for' : node.type === 'while_statement' ? 'while' : 'do';
    const bodyText = stripComments(node.text);
    let constantBound: number | undefined;
    if (node.type === 'for_statement' && cond) {
      const m = /^\s*\(?\s*(\w+)\s*(<=|<|!=)\s*(.+?)\s*\)?\s*$/.exec(condText);
      const init = node.childForFieldName('initializer')?.text ?? '';
      if (m && new RegExp(`\\b${escapeRe(m[1])}\\s*=\\s*0\\b`).test(init)) {
        const n = evalConstText(m[3], this.scopeAt(fn, node.startIndex));
        if (n !== undefined) constantBound = m[2] === '<=' ? n + 1 : n;
      }
    }
    const infinite = node.type === 'for_range_loop' ? false
      : !cond || /^\(?\s*(1|true|TRUE)\s*\)?$/.test(condText.trim());
    const counters = new Set<string>();
    for (const m of bodyText.matchAll(/(\w+)\s*\+\+|\+\+\s*(\w+)|(\w+)\s*\+=\s*1\b|(\w+)\s*--|--\s*(\w+)/g)) {
      const name = m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5];
      if (name) counters.add(name);
    }
    let counterBounded = false;
    for (const c of counters) {
      const w = escapeRe(c);
      const cmp = new RegExp(`\\b${w}\\b\\s*(<|<=|>|>=|!=|==)|(<|<=|>|>=|!=|==)\\s*\\b${w}\\b`);
      if (cmp.test(condText) || new RegExp(`if\\s*\\([^)]*\\b${w}\\b[^)]*\\)\\s*\\{?\\s*(break|return|goto|throw)`).test(bodyText)) counterBounded = true;
    }
    const waits = this.callsIn(node.startIndex, node.endIndex).some((c) => WAIT_CALLS.has(c.name) || this.waitFns.has(c.name));
    // The longest constant sleep in the body: Sleep(ms), sleep(s), usleep(us).
    let sleepMs: number | undefined;
    for (const c of this.callsIn(node.startIndex, node.endIndex)) {
      const scale = c.name === 'Sleep' || c.name === 'SleepEx' ? 1 : c.name === 'sleep' ? 1000 : c.name === 'usleep' ? 0.001 : undefined;
      const arg = scale !== undefined ? callArgs(c.node)[0] : undefined;
      const v = arg ? evalConstText(arg.text, this.scopeAt(fn, arg.startIndex)) : undefined;
      if (v !== undefined && scale !== undefined) sleepMs = Math.max(sleepMs ?? 0, v * scale);
    }
    // A person or another device paces the loop: it blocks on input between passes.
    const pacedByInput = this.callsIn(node.startIndex, node.endIndex).some((c) => INPUT_CALLS.has(c.name))
      || /\b(std::)?cin\s*>>/.test(bodyText);
    const info: LoopInfo = {
      id: node.startIndex, kind, range: nodeRange(this.index, node), constantBound, infinite, counterBounded, waits,
      ...(sleepMs !== undefined ? { sleepMs } : {}),
      ...(pacedByInput ? { pacedByInput } : {}),
      conditionText: condText.replace(/\s+/g, ' ').slice(0, 80),
    };
    this.loopInfo.set(node.startIndex, info);
    return info;
  }

  // ---- 4. Helpers of this file that send or receive on a passed socket ------------------------

  private addHelperOps(): void {
    const paramKinds = new Map<string, OpKind[]>();
    const kindsOf = (key: string) => paramKinds.get(key) ?? [];
    for (const op of this.ops) {
      if (op.socket?.startsWith('param:') && (op.kind === 'send' || op.kind === 'recv')) {
        paramKinds.set(op.socket, [...kindsOf(op.socket), op.kind]);
      }
    }
    const helperOps: SocketOp[] = [];
    for (let round = 0; round < 3; round++) {
      let changed = false;
      for (const c of this.calls) {
        const callees = this.functionsByName.get(c.name);
        if (!callees || API[c.name]) continue;
        const callee = callees[0];
        const fn = this.functionAt(c.start);
        const args = callArgs(c.node);
        args.forEach((arg, i) => {
          const paramKey = `param:${callee.name}:${i}`;
          const argKey = this.keyOf(arg, fn);
          if (!argKey || argKey === paramKey) return;
          const isSocketParam = this.sockets.has(paramKey) || paramKinds.has(paramKey);
          if (!isSocketParam) return;
          const argSym = this.symbol(argKey, arg.text);
          const paramSym = this.symbol(paramKey, callee.params[i] || paramKey);
          if (!paramSym.boundFrom.includes(argKey)) { paramSym.boundFrom.push(argKey); changed = true; }
          if (!argSym.passedTo.includes(paramKey)) argSym.passedTo.push(paramKey);
          const kinds = kindsOf(paramKey);
          if (kinds.length === 0) return;
          if (round === 0 || !helperOps.some((h) => h.range.start === nodeRange(this.index, c.node).start && h.socket === argKey)) {
            if (helperOps.some((h) => offsetOf(this.index, h.range.start) === c.start && h.socket === argKey)) return;
            const op = this.baseOp(c, 'helper', fn, argKey, arg.text);
            op.helperKinds = kinds;
            // A helper whose only transfer is one constant-size send outside any loop (`SendOrder(s, &o)`
            // doing `send(s, (char *)o, sizeof(order_t), 0)`): each call sends that many bytes.
            const inner = this.ops.filter((o) => o.socket === paramKey && (o.kind === 'send' || o.kind === 'recv'));
            if (kinds.length === 1 && inner.length === 1 && inner[0].kind === 'send' && inner[0].loops.length === 0
              && inner[0].length?.value !== undefined) op.length = inner[0].length;
            this.describeResult(op, fn);
            helperOps.push(op);
            if (argKey.startsWith('param:')) { paramKinds.set(argKey, [...kindsOf(argKey), ...kinds]); changed = true; }
          }
        });
      }
      if (!changed) break;
    }
    this.ops.push(...helperOps);
    // Facts only visible through the tree (a TCP_NODELAY set through a macro or a wrapper we
    // could not resolve) make latency rules stay quiet rather than guess.
    this.unresolvedNodelay = this.calls.some((c) => /nodelay|no_delay/i.test(c.name) && !this.functionsByName.has(c.name))
      || /\bTCP_NODELAY\b/.test(this.text) && !this.ops.some((o) => o.option?.name.includes('TCP_NODELAY'));
  }
}

// ---- queries (compiled once per language) ----------------------------------------------------

const FILE_QUERY_COMMON = `
(call_expression) @call
(function_definition) @fn
[(for_statement) (while_statement) (do_statement)] @loop
(preproc_def) @def
(preproc_function_def) @fdef
(enumerator) @enum
(struct_specifier body: (_)) @struct
(translation_unit (declaration) @global)
(preproc_ifdef (declaration) @global)
(preproc_if (declaration) @global)
(ERROR) @error
`;
// Inside functions: each pattern captures the parts it needs, so reading them costs no further
// calls into the parser (every node property read from JavaScript crosses into WebAssembly).
const FUNCTION_PARTS = `
(declaration type: (_) @v.type declarator: (identifier) @v.name) @decl
(declaration type: (_) @v.type declarator: (init_declarator declarator: (identifier) @v.name value: (_) @v.value)) @decl
(declaration type: (_) @v.type declarator: (array_declarator declarator: (identifier) @v.array size: (_)? @v.size)) @decl
(declaration type: (_) @v.type declarator: (init_declarator declarator: (array_declarator declarator: (identifier) @v.array size: (_)? @v.size) value: (_) @v.value)) @decl
(declaration declarator: (pointer_declarator) @v.indirect) @decl
(declaration declarator: (init_declarator declarator: (pointer_declarator) @v.indirect value: (_) @v.value)) @decl
(assignment_expression left: (_) @a.left operator: _ @a.op right: (_) @a.right) @assign
(update_expression argument: (identifier) @u.arg) @update
(call_expression function: (_) @p.fn arguments: (argument_list (pointer_expression operator: "&" argument: (identifier) @p.arg) @p.addr)) @addr
(if_statement) @if
(return_statement) @ret
`;
const FILE_QUERY_C = `${FILE_QUERY_COMMON}${FUNCTION_PARTS}`;
const FILE_QUERY_CPP = `${FILE_QUERY_COMMON}${FUNCTION_PARTS}
(declaration type: (_) @v.type declarator: (reference_declarator) @v.indirect) @decl
(declaration type: (_) @v.type declarator: (init_declarator declarator: (reference_declarator) @v.indirect value: (_) @v.value)) @decl
(for_range_loop type: (_) @r.type declarator: (_) @r.decl) @range
(for_range_loop) @loop
(class_specifier body: (_)) @struct
(declaration_list (declaration) @global)
`;
// Keyed by grammar ('c' | 'cpp'): `tree.language` hands out a new wrapper object on every access.
const queries = new Map<string, Query>();
function cachedQuery(tree: Tree, kind: string, source: string): Query {
  const key = `${isCpp(tree) ? 'cpp' : 'c'}:${kind}`;
  let q = queries.get(key);
  if (!q) { q = new Query(tree.language, source); queries.set(key, q); }
  return q;
}
/**
 * Compiles the queries for a grammar ahead of the first lint: compiling the C++ query takes a few
 * hundred milliseconds, which must not count against the first file's time budget.
 */
export function prepareQueries(sampleTree: Tree): void {
  fileQuery(sampleTree);
}

/** The C++ grammar has class_specifier; the C grammar does not (grammar names are not set in the wasm). */
function isCpp(tree: Tree): boolean { return tree.language.idForNodeType('class_specifier', true) !== null; }
function fileQuery(tree: Tree): Query {
  return cachedQuery(tree, 'file', isCpp(tree) ? FILE_QUERY_CPP : FILE_QUERY_C);
}

// ---- small pure helpers -----------------------------------------------------------------------

function offsetOf(index: LineIndex, p: Range['start'] | Range): number {
  const pos = 'line' in p ? p : p.start;
  return index.lineStart(pos.line) + pos.character;
}

/** First index in a sorted array whose value is >= x. */
function lowerBound(sorted: number[], x: number): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (sorted[mid] < x) lo = mid + 1; else hi = mid; }
  return lo;
}

function escapeRe(s: string): string { return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); }

function stripComments(s: string): string {
  return s.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ');
}

function calleeNode(call: Node): Node {
  const fn = call.childForFieldName('function');
  if (!fn) return call;
  if (fn.type === 'qualified_identifier') return fn.childForFieldName('name') ?? fn;
  if (fn.type === 'field_expression') return fn.childForFieldName('field') ?? fn;
  return fn;
}

function branchesAround(n: Node, parents: Parents): string[] {
  const out: string[] = [];
  let cur: Node = n;
  for (let i = 0; i < 200; i++) {
    const p = parents.of(cur);
    if (!p || p.type === 'function_definition') break;
    if (p.type === 'if_statement') {
      if (p.childForFieldName('consequence')?.id === cur.id) out.push(`${p.startIndex}:then`);
      else if (p.childForFieldName('alternative')?.id === cur.id) out.push(`${p.startIndex}:else`);
    } else if (p.type === 'case_statement') {
      const sw = parents.of(parents.of(p) ?? p);
      if (sw?.type === 'switch_statement') out.push(`${sw.startIndex}:${p.startIndex}`);
    }
    cur = p;
  }
  return out;
}

function skipParensUp(n: Node, parents: Parents): Node | null {
  let p = parents.of(n);
  for (let i = 0; p && i < 8 && p.type === 'parenthesized_expression'; i++) p = parents.of(p);
  return p;
}

/** `(char*)&v` -> `v`: the node whose value an option pointer points at. */
function optionValueNode(arg: Node | null): Node | null {
  const n = stripWrappers(arg);
  if (n?.type === 'pointer_expression' && n.childForFieldName('operator')?.text === '&') return n.childForFieldName('argument');
  return n;
}

/** The if/while/for whose condition holds this comparison. */
function conditionOwner(n: Node, parents: Parents): Node | null {
  let cur: Node | null = n;
  for (let i = 0; cur && i < 12; i++) {
    const p: Node | null = parents.of(cur);
    if (!p) return null;
    if ((p.type === 'if_statement' || p.type === 'while_statement' || p.type === 'for_statement' || p.type === 'do_statement')
      && p.childForFieldName('condition')?.id === cur.id) return p;
    if (p.type === 'condition_clause') { cur = p; continue; }
    if (p.type === 'binary_expression' || p.type === 'parenthesized_expression' || p.type === 'unary_expression' || p.type === 'assignment_expression') { cur = p; continue; }
    return null;
  }
  return null;
}

/** The statements after `stmt` in its block (where control goes when a loop or if falls through). */
function followingRegion(stmt: Node, parents: Parents): { start: number; end: number } | undefined {
  const parent = parents.of(stmt);
  if (!parent || parent.type !== 'compound_statement') return undefined;
  const next = stmt.nextNamedSibling;
  if (!next) return undefined;
  return { start: next.startIndex, end: Math.max(next.startIndex, parent.endIndex - 1) };
}

const ERROR_FORMS = [
  /==\s*(SOCKET_ERROR|-\s*1|INVALID_SOCKET)\b/, /(SOCKET_ERROR|-\s*1)\s*==/, /<\s*0\b/, /<=\s*0\b/, /0\s*>/, /0\s*>=/, /^\s*\(?\s*!/,
];
const SUCCESS_FORMS = [/!=\s*(SOCKET_ERROR|-\s*1)\b/, />\s*0\b/, />=\s*0\b/];

function isErrorComparison(cond: string): boolean { return ERROR_FORMS.some((re) => re.test(cond)); }
function isSuccessComparison(cond: string): boolean { return SUCCESS_FORMS.some((re) => re.test(cond)); }

/** `n != len`, `n < (int)sizeof(buf)`, `n == total` with the requested length. */
function comparesWithLength(cond: string, lengthText: string): boolean {
  const len = lengthText.replace(/\s+/g, '');
  const flat = cond.replace(/\s+/g, '');
  if (!len || /^(0|-1)$/.test(len)) return false;
  return flat.includes(len) && /(!=|==|<|>)/.test(flat);
}

/** The result advances a buffer or offset, or is compared with a length-like value. */
function usedAsCount(after: string, v: string, lengthText: string | undefined): boolean {
  const n = escapeRe(v);
  const code = stripComments(after);
  if (new RegExp(`(\\+=|-=)\\s*\\(?\\s*(\\w+\\s*\\)\\s*)?${n}\\b`).test(code)) return true;
  if (new RegExp(`\\w\\s*[+-]\\s*\\(?\\s*(\\w+\\s*\\)\\s*)?${n}\\b(?!\\s*[<>=!]=?)`).test(code)) return true;
  if (lengthText && new RegExp(`\\b${n}\\b\\s*(!=|<|==)\\s*\\(?\\s*(\\w+\\s*\\)\\s*)?${escapeRe(lengthText.trim())}`).test(code)) return true;
  // The count handed to whatever drops the sent bytes from a queue: `q.erase(0, n)`,
  // `evbuffer_drain(b, n)`, `mg_iobuf_del(&io, 0, n)`, `memmove(buf, buf + n, ...)`.
  if (new RegExp(`\\b\\w*(erase|consume|drain|_del|advance|skip|discard|pop_front|memmove)\\w*\\s*\\([^;]*\\b${n}\\b`, 'i').test(code)) return true;
  return false;
}

function isSwitchOn(after: string, v: string): boolean {
  return new RegExp(`switch\\s*\\(\\s*${escapeRe(v)}\\s*\\)`).test(after.slice(0, 400));
}

export type { SocketType };
