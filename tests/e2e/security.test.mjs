// The webview's locks, tried from inside the real app: its Content-Security-Policy refuses
// requests to any other origin (fetch, <script src>, <img src>), inline and eval'd script, and
// Tauri's access control refuses commands the main window's capability does not grant.
//
// Remote requests go to an HTTP server this test runs on loopback, so that "refused" means
// refused by the webview (the server counts zero requests and the webview reports a CSP
// violation), not "the network is down"; https://example.com is tried as well.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { APP_READY_MS, assertNoErrors, screenshot, setUpAppTests, tid, withApp } from './lib/app.mjs';

setUpAppTests();

let server;
let origin;
const served = [];

before(async () => {
  server = http.createServer((req, res) => {
    served.push(req.url);
    res.writeHead(200, { 'content-type': 'application/javascript', 'access-control-allow-origin': '*' });
    res.end('window.__remoteScriptRan = true;');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  // The server answers: a request the app makes would be seen.
  const probe = await fetch(`${origin}/probe-from-node`);
  assert.equal(probe.status, 200);
  served.length = 0;
});

after(() => new Promise((resolve) => server.close(resolve)));

/** Runs in the webview: tries each forbidden thing and reports what happened. */
async function tryForbidden(origin) {
  const violations = [];
  document.addEventListener('securitypolicyviolation', (e) =>
    violations.push({ directive: e.effectiveDirective, blocked: e.blockedURI }),
  );
  const settle = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const outcome = async (promise) => {
    try {
      const value = await promise;
      return { ok: true, value: JSON.stringify(value)?.slice(0, 200) ?? 'undefined' };
    } catch (e) {
      return { ok: false, error: String(e?.message ?? e) };
    }
  };
  const loadScript = (src) =>
    new Promise((resolve) => {
      const script = document.createElement('script');
      script.src = src;
      script.onload = () => resolve('loaded');
      script.onerror = () => resolve('refused');
      document.head.appendChild(script);
      setTimeout(() => resolve('no answer'), 5000);
    });
  const loadImage = (src) =>
    new Promise((resolve) => {
      const img = new Image();
      img.onload = () => resolve('loaded');
      img.onerror = () => resolve('refused');
      img.src = src;
      setTimeout(() => resolve('no answer'), 5000);
    });

  const result = {};
  result.fetchLoopback = await outcome(fetch(`${origin}/fetch`).then((r) => r.status));
  result.fetchRemote = await outcome(fetch('https://example.com/').then((r) => r.status));
  result.scriptLoopback = await loadScript(`${origin}/script.js`);
  result.scriptRemote = await loadScript('https://example.com/remote.js');
  result.imageLoopback = await loadImage(`${origin}/image.png`);
  const inline = document.createElement('script');
  inline.textContent = 'window.__inlineScriptRan = true;';
  document.head.appendChild(inline);
  result.evalRan = await outcome(Promise.resolve().then(() => eval('"eval ran"')));
  await settle(500);
  result.inlineScriptRan = window.__inlineScriptRan === true;
  result.remoteScriptRan = window.__remoteScriptRan === true;

  // Tauri's access control: a granted command answers; others are refused.
  const invoke = window.__TAURI_INTERNALS__.invoke;
  result.grantedCommand = await outcome(invoke('list_prompts'));
  result.coreCommandNotGranted = await outcome(invoke('plugin:app|version'));
  result.windowCommandNotGranted = await outcome(invoke('plugin:window|title', { label: 'main' }));
  result.unregisteredCommand = await outcome(invoke('definitely_not_a_command'));
  result.violations = violations;
  return result;
}

test('the webview refuses other origins, inline script and commands it is not granted', async () => {
  await withApp('security', async (browser) => {
    await browser.$(tid('practice-screen')).waitForDisplayed({ timeout: APP_READY_MS });
    const result = await browser.execute(tryForbidden, origin);
    console.log(JSON.stringify(result, null, 2));
    await screenshot(browser, 'security-01-after-attempts');
    await assertNoErrors(browser, 'after the attempts (none of them should reach the UI)');

    assert.deepEqual(served, [], `the webview reached the loopback server: ${served.join(', ')}`);

    assert.equal(result.fetchLoopback.ok, false, 'fetch to another origin (loopback) succeeded');
    assert.equal(result.fetchRemote.ok, false, 'fetch to https://example.com succeeded');
    assert.equal(result.scriptLoopback, 'refused');
    assert.equal(result.scriptRemote, 'refused');
    assert.equal(result.imageLoopback, 'refused');
    assert.equal(result.remoteScriptRan, false);
    assert.equal(result.inlineScriptRan, false, 'an injected inline <script> ran');
    assert.equal(result.evalRan.ok, false, 'eval ran');

    // Refused by the CSP, not by a failing network: the webview reported each violation.
    const blocked = (prefix, directive) =>
      result.violations.some((v) => v.blocked.startsWith(prefix) && v.directive === directive);
    assert.ok(blocked(`${origin}/fetch`, 'connect-src'), 'no connect-src violation for the loopback fetch');
    assert.ok(blocked('https://example.com', 'connect-src'), 'no connect-src violation for https://example.com');
    assert.ok(blocked(`${origin}/script.js`, 'script-src-elem') || blocked(`${origin}/script.js`, 'script-src'),
      'no script-src violation for the loopback script');
    assert.ok(blocked('https://example.com/remote.js', 'script-src-elem') || blocked('https://example.com/remote.js', 'script-src'),
      'no script-src violation for the remote script');
    assert.ok(blocked(`${origin}/image.png`, 'img-src'), 'no img-src violation for the loopback image');

    assert.equal(result.grantedCommand.ok, true, `a granted command failed: ${result.grantedCommand.error}`);
    for (const key of ['coreCommandNotGranted', 'windowCommandNotGranted', 'unregisteredCommand']) {
      assert.equal(result[key].ok, false, `${key} was allowed: ${result[key].value}`);
    }
    assert.match(result.coreCommandNotGranted.error, /not allowed/i);
    assert.match(result.windowCommandNotGranted.error, /not allowed/i);
  });
});
