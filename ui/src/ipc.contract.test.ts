// The UI's calls against the shell's commands, read from the sources of both sides: every
// `invoke('name', { args })` in ui/src names a command registered in src-tauri's
// `generate_handler![...]`, passes only arguments that command takes (camelCase, as Tauri
// renames them) and every argument it requires; and every registered command is called by the
// UI (a command nobody calls is a permission the window does not need: see
// src-tauri/capabilities/default.json). Types are checked by the generated bindings; this
// checks the names, which TypeScript cannot see across the IPC boundary.
import { describe, expect, it } from 'vitest';

const rustSources = import.meta.glob<string>('../../src-tauri/src/**/*.rs', {
  query: '?raw',
  import: 'default',
  eager: true,
});
const uiSources = import.meta.glob<string>(['./**/*.{ts,tsx}', '!./**/*.test.ts', '!./bindings/**', '!./dev/**'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

/** Arguments a command gets from Tauri itself rather than from the caller. */
const INJECTED = /^(?:tauri::)?(?:State|AppHandle|Window|WebviewWindow|Webview|ipc::Request|Request)\b/;

interface RustCommand {
  file: string;
  params: { name: string; optional: boolean }[];
}

/** Splits at top-level commas (not inside <>, (), [] or {}). */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if ('<([{'.includes(ch)) depth += 1;
    if ('>)]}'.includes(ch)) depth -= 1;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

/** The text between the bracket at `open` and its match. */
function balanced(text: string, open: number): string | null {
  const pairs: Record<string, string> = { '(': ')', '{': '}', '[': ']' };
  const opener = text[open];
  if (opener === undefined) return null;
  const closer = pairs[opener];
  if (!closer) return null;
  let depth = 0;
  for (let i = open; i < text.length; i += 1) {
    if (text[i] === opener) depth += 1;
    if (text[i] === closer) {
      depth -= 1;
      if (depth === 0) return text.slice(open + 1, i);
    }
  }
  return null;
}

const camelCase = (snake: string) => snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function registeredCommands(lib: string | undefined): string[] {
  expect(lib, 'src-tauri/src/lib.rs is readable').toBeDefined();
  const start = lib!.indexOf('generate_handler!');
  expect(start, 'src-tauri/src/lib.rs has generate_handler![...]').toBeGreaterThanOrEqual(0);
  const body = balanced(lib!, lib!.indexOf('[', start)) ?? '';
  return splitTopLevel(body.replace(/\/\/.*$/gm, '')).map((entry) => entry.split('::').pop()!.trim());
}

function rustCommands(sources: Record<string, string>): Map<string, RustCommand> {
  const commands = new Map<string, RustCommand>();
  for (const [file, source] of Object.entries(sources)) {
    const attr = /#\[tauri::command(?:\(([^)]*)\))?\]\s*(?:#\[[^\]]*\]\s*)*pub(?:\([^)]*\))?\s+(?:async\s+)?fn\s+(\w+)\s*(?:<[^(]*>)?\s*\(/g;
    for (const match of source.matchAll(attr)) {
      const snakeArgs = /rename_all\s*=\s*"snake_case"/.test(match[1] ?? '');
      const name = match[2]!;
      const params = splitTopLevel(balanced(source, match.index + match[0].length - 1) ?? '')
        .map((param) => {
          const colon = param.indexOf(':');
          return { name: param.slice(0, colon).replace(/^mut\s+/, '').trim(), type: param.slice(colon + 1).trim() };
        })
        .filter((param) => !INJECTED.test(param.type))
        .map((param) => ({
          name: snakeArgs ? param.name : camelCase(param.name),
          optional: /^Option\s*</.test(param.type),
        }));
      commands.set(name, { file: file.replace('../../', ''), params });
    }
  }
  return commands;
}

interface UiCall {
  file: string;
  command: string;
  /** Argument names, or null when the arguments are not an object literal. */
  args: string[] | null;
}

function uiCalls(sources: Record<string, string>): UiCall[] {
  const calls: UiCall[] = [];
  for (const [file, source] of Object.entries(sources)) {
    const call = /\binvoke\s*(?:<[^()]*?>)?\(\s*(['"`])([^'"`]+)\1\s*(,\s*)?/g;
    for (const match of source.matchAll(call)) {
      const command = match[2]!;
      let args: string[] | null = [];
      if (match[3]) {
        const after = match.index + match[0].length;
        args = source[after] === '{'
          ? splitTopLevel(balanced(source, after) ?? '').map((entry) => entry.split(':')[0]!.trim())
          : null;
      }
      calls.push({ file: file.replace('./', 'ui/src/'), command, args });
    }
  }
  return calls;
}

describe('the source readers', () => {
  it('read commands, their caller-supplied arguments and the calls', () => {
    const lib = 'tauri::Builder::default()\n  .invoke_handler(tauri::generate_handler![\n    commands::a_cmd, // why\n    other::b,\n  ])';
    expect(registeredCommands(lib)).toEqual(['a_cmd', 'b']);
    const rust = {
      'x.rs': `#[tauri::command]
pub async fn a_cmd(app: AppHandle, state: State<'_, AppState>, card_id: String, limit: Option<u32>, map: HashMap<String, u8>) -> R<()> {}
#[tauri::command(rename_all = "snake_case")]
pub fn b(mut session_id: String) {}`,
    };
    const defined = rustCommands(rust);
    expect(defined.get('a_cmd')?.params).toEqual([
      { name: 'cardId', optional: false },
      { name: 'limit', optional: true },
      { name: 'map', optional: false },
    ]);
    expect(defined.get('b')?.params).toEqual([{ name: 'session_id', optional: false }]);
    const ts = {
      './y.ts': `invoke<Array<X> | null>('a_cmd', { cardId, limit: f(a, b) ?? null, map: { k: 1 } });
invoke("b", args); invoke<void>('c');`,
    };
    expect(uiCalls(ts)).toEqual([
      { file: 'ui/src/y.ts', command: 'a_cmd', args: ['cardId', 'limit', 'map'] },
      { file: 'ui/src/y.ts', command: 'b', args: null },
      { file: 'ui/src/y.ts', command: 'c', args: [] },
    ]);
  });
});

describe('IPC contract between ui/src and src-tauri', () => {
  const registered = registeredCommands(rustSources['../../src-tauri/src/lib.rs']);
  const defined = rustCommands(rustSources);
  const calls = uiCalls(uiSources);

  it('finds the commands and the calls', () => {
    expect(registered.length).toBeGreaterThan(0);
    expect(calls.length).toBeGreaterThan(0);
  });

  it('every registered command is a #[tauri::command] fn in src-tauri/src', () => {
    const undefinedCommands = registered.filter((name) => !defined.has(name));
    expect(undefinedCommands, 'registered in generate_handler! but no `#[tauri::command] pub fn` found').toEqual([]);
  });

  it('the UI invokes only registered commands', () => {
    const unknown = calls
      .filter((c) => !c.command.startsWith('plugin:') && !registered.includes(c.command))
      .map((c) => `${c.file}: invoke('${c.command}') is not in generate_handler! (src-tauri/src/lib.rs)`);
    expect(unknown).toEqual([]);
  });

  it('each call passes the argument names its command takes', () => {
    const problems: string[] = [];
    for (const call of calls) {
      const command = defined.get(call.command);
      if (!command || call.args === null) continue;
      const expected = command.params.map((p) => p.name);
      for (const arg of call.args) {
        if (!expected.includes(arg)) {
          problems.push(`${call.file}: invoke('${call.command}') passes '${arg}', but ${command.file} takes (${expected.join(', ') || 'nothing'})`);
        }
      }
      for (const param of command.params) {
        if (!param.optional && !call.args.includes(param.name)) {
          problems.push(`${call.file}: invoke('${call.command}') does not pass '${param.name}', which ${command.file} requires`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('every registered command is called by the UI (the window is granted nothing it does not use)', () => {
    const invoked = new Set(calls.map((c) => c.command));
    const unused = registered
      .filter((name) => !invoked.has(name))
      .map((name) => `${name}: registered and granted to the main window, but ui/src never invokes it`);
    expect(unused).toEqual([]);
  });
});
