// Shared plumbing for the end-to-end tests: tauri-driver (which spawns WebKitWebDriver, which
// spawns the app), WebDriver sessions against the real app binary, screenshots, error banners.
//
// Environment: REHEARSE_APP_BINARY (the app built with its UI embedded), REHEARSE_SCREENSHOT_DIR
// (default tests/e2e/screenshots), TAURI_DRIVER (default ~/.cargo/bin/tauri-driver),
// REHEARSE_DRIVER_PORT / REHEARSE_NATIVE_DRIVER_PORT (default 4444 / the next port).
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { remote } from 'webdriverio';

const HERE = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const APP = process.env.REHEARSE_APP_BINARY;
export const SHOT_DIR = path.resolve(process.env.REHEARSE_SCREENSHOT_DIR || path.join(HERE, 'screenshots'));
const TAURI_DRIVER = process.env.TAURI_DRIVER || path.join(os.homedir(), '.cargo', 'bin', 'tauri-driver');
// Overridable, so that a test can run beside another WebDriver test on the same machine.
const DRIVER_PORT = Number(process.env.REHEARSE_DRIVER_PORT || 4444);
const NATIVE_DRIVER_PORT = Number(process.env.REHEARSE_NATIVE_DRIVER_PORT || DRIVER_PORT + 1);

/** How long the app may take to show its first screen (whisper and WebKit start on 2 cores). */
export const APP_READY_MS = 60_000;

export const tid = (id) => `[data-testid="${id}"]`;

const tempDirs = [];
// Registered when the file loads (a hook registered from inside a test would belong to it).
after(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A new folder in the system's temp folder, removed when the file's tests are done (the
 * models test copies the model twice: ~225 MB a run left in /tmp otherwise). */
export function tempDir(prefix) {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** Registers the checks and log lines every E2E file wants around its tests. */
export function setUpAppTests() {
  before(() => {
    assert.ok(APP, 'set REHEARSE_APP_BINARY to the built app binary (scripts/test.sh does)');
    assert.ok(existsSync(APP), `REHEARSE_APP_BINARY does not exist: ${APP}`);
    mkdirSync(SHOT_DIR, { recursive: true });
    console.log(`screenshots and driver logs: ${SHOT_DIR}`);
  });
  after(() => {
    console.log(`screenshots and driver logs: ${SHOT_DIR}`);
  });
}

/**
 * Waits until something listens on `port` (rejects after `timeoutMs`), or with `free`, until
 * nothing does any more (resolves after `timeoutMs` regardless: the driver's start then fails
 * with its own message).
 */
function waitForPort(port, timeoutMs, { free = false } = {}) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect({ host: '127.0.0.1', port });
      const settle = (listening) => {
        socket.destroy();
        if (listening !== free) resolve();
        else if (Date.now() <= deadline) setTimeout(attempt, 200);
        else if (free) resolve();
        else reject(new Error(`nothing listens on port ${port} after ${timeoutMs} ms`));
      };
      socket.once('connect', () => settle(true));
      socket.once('error', () => settle(false));
    };
    attempt();
  });
}

/** Starts tauri-driver in its own process group (it spawns WebKitWebDriver, which spawns the app). */
async function startDriver(label, env) {
  assert.ok(existsSync(TAURI_DRIVER), `tauri-driver not found at ${TAURI_DRIVER} (set TAURI_DRIVER)`);
  // The previous test's WebKitWebDriver can still hold its port for a moment after tauri-driver
  // has exited (on a loaded machine, CI once: "Unable to listen for HTTP server at host
  // 127.0.0.1 and port 4445").
  await waitForPort(DRIVER_PORT, 30_000, { free: true });
  await waitForPort(NATIVE_DRIVER_PORT, 30_000, { free: true });
  const log = createWriteStream(path.join(SHOT_DIR, `tauri-driver-${label}.log`));
  const child = spawn(TAURI_DRIVER, ['--port', String(DRIVER_PORT), '--native-port', String(NATIVE_DRIVER_PORT)], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    // The app inherits this; first-start onboarding is skipped unless a test asks for it.
    env: { ...process.env, REHEARSE_SKIP_ONBOARDING: '1', ...env },
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const done = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
    if (!done) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
      await exited;
    }
  };
  try {
    // tauri-driver opens its port before WebKitWebDriver opens its own: wait for both.
    await waitForPort(DRIVER_PORT, 30_000);
    await waitForPort(NATIVE_DRIVER_PORT, 30_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { stop };
}

async function newSession() {
  const options = {
    hostname: '127.0.0.1',
    port: DRIVER_PORT,
    logLevel: 'warn',
    waitforTimeout: 30_000,
    connectionRetryTimeout: 180_000,
    connectionRetryCount: 0,
    // No browserName: tauri-driver picks the native driver; "wry" makes session creation fail.
    capabilities: { 'tauri:options': { application: APP } },
  };
  try {
    return await remote(options);
  } catch (err) {
    // Under load the app very rarely aborts with "Failed to initialize GTK": try once more.
    console.warn(`session creation failed, retrying once: ${err?.message ?? err}`);
    await sleep(3000);
    return await remote(options);
  }
}

/**
 * Runs `fn(browser)` against a freshly launched app; always stops the session and the driver.
 * `env` adds to the app's environment (e.g. `{ REHEARSE_SKIP_ONBOARDING: '0', REHEARSE_DATA_DIR }`).
 */
export async function withApp(label, fn, { env = {} } = {}) {
  const driver = await startDriver(label, env);
  let browser = null;
  try {
    browser = await newSession();
    await fn(browser);
  } catch (err) {
    if (browser) await screenshot(browser, `${label}-FAILED`).catch(() => undefined);
    throw err;
  } finally {
    if (browser) await browser.deleteSession().catch(() => undefined);
    await driver.stop();
  }
}

export async function screenshot(browser, name) {
  const file = path.join(SHOT_DIR, `${name}.png`);
  await browser.saveScreenshot(file);
  console.log(`screenshot: ${file}`);
  return file;
}

/** The visible error banners' messages (the app shows command errors verbatim there). */
export async function errorBanners(browser) {
  return browser.execute(() =>
    Array.from(document.querySelectorAll('[data-testid="error-banner"]')).map((el) => el.textContent.trim()),
  );
}

export async function assertNoErrors(browser, where) {
  const errors = await errorBanners(browser);
  assert.deepEqual(errors, [], `error banner shown ${where}: ${errors.join(' | ')}`);
}


/** Plays `text` through the default sink (the virtual microphone) and waits until it is spoken. */
export function speak(text) {
  return new Promise((resolve, reject) => {
    const child = spawn('espeak-ng', ['-s', '150', text], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`espeak-ng exited ${code}: ${stderr}`))));
  });
}
