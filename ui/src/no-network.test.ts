// The UI never talks to the network itself: the LLM and every other outside service are called
// from Rust (crates/llm, through Tauri commands), and nothing is loaded from a remote origin
// (scripts, styles, fonts). The CSP in src-tauri/tauri.conf.json enforces this at run time
// (tests/e2e/security.test.mjs); this test names the offending line before the app is built.
import { describe, expect, it } from 'vitest';

const sources = import.meta.glob<string>(
  ['./**/*.{ts,tsx,css}', '../index.html', '!./**/*.test.ts', '!./bindings/**', '!./dev/**'],
  { query: '?raw', import: 'default', eager: true },
);

const NETWORK_APIS: [RegExp, string][] = [
  [/\bfetch\s*\(/, 'fetch()'],
  [/\bXMLHttpRequest\b/, 'XMLHttpRequest'],
  [/\bWebSocket\b/, 'WebSocket'],
  [/\bEventSource\b/, 'EventSource'],
  [/\bsendBeacon\b/, 'navigator.sendBeacon'],
  [/\bimport\s*\(\s*['"`]https?:/, 'import() of a URL'],
  [/\b(?:src|href)\s*=\s*['"]https?:/, 'a remote src/href'],
  [/url\(\s*['"]?https?:/, 'a remote url() in CSS'],
  [/@import\s+(?:url\()?\s*['"]?https?:/, 'a remote @import'],
];

describe('the UI makes no network requests of its own', () => {
  it('reads the sources', () => {
    expect(Object.keys(sources).length).toBeGreaterThan(5);
  });

  it('no fetch, XHR, WebSocket, EventSource or remote script, style or font in ui/', () => {
    const problems: string[] = [];
    for (const [file, source] of Object.entries(sources)) {
      source.split('\n').forEach((line, index) => {
        for (const [pattern, what] of NETWORK_APIS) {
          if (pattern.test(line)) problems.push(`${file.replace(/^\.\//, 'ui/src/').replace(/^\.\.\//, 'ui/')}:${index + 1}: ${what}: ${line.trim()}`);
        }
      });
    }
    expect(problems, 'call a Tauri command instead (the network is Rust-only)').toEqual([]);
  });
});
