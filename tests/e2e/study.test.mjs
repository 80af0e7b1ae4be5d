// End to end: the Study screen of the real Rehearse binary in a real WebKitGTK webview, driven
// over WebDriver through tauri-driver. Reviews cards by keyboard and searches the cards.
//
// Needs (see README.md): REHEARSE_APP_BINARY (a `tauri build --debug --no-bundle` binary),
// tauri-driver and WebKitWebDriver, an X display (xvfb-run) and a fresh XDG_DATA_HOME (so
// that every card is new). Optional: REHEARSE_SCREENSHOT_DIR (default tests/e2e/screenshots),
// TAURI_DRIVER (path).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { remote } from 'webdriverio';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const APP = process.env.REHEARSE_APP_BINARY;
const SHOT_DIR = path.resolve(process.env.REHEARSE_SCREENSHOT_DIR || path.join(HERE, 'screenshots'));
const TAURI_DRIVER = process.env.TAURI_DRIVER || path.join(os.homedir(), '.cargo', 'bin', 'tauri-driver');
// Overridable, so that this can run beside another WebDriver test on the same machine.
const DRIVER_PORT = Number(process.env.REHEARSE_DRIVER_PORT || 4444);
const NATIVE_DRIVER_PORT = Number(process.env.REHEARSE_NATIVE_DRIVER_PORT || DRIVER_PORT + 1);

const APP_READY_MS = 60_000;
const REVIEWS = 3;

const tid = (id) => `[data-testid="${id}"]`;

// ---------------------------------------------------------------------------------------------
// Plumbing (as in practice.test.mjs): tauri-driver, sessions, screenshots, error banners.

function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`nothing listens on port ${port} after ${timeoutMs} ms`));
        else setTimeout(attempt, 200);
      });
    };
    attempt();
  });
}

/** Starts tauri-driver in its own process group (it spawns WebKitWebDriver, which spawns the app). */
async function startDriver(label) {
  assert.ok(existsSync(TAURI_DRIVER), `tauri-driver not found at ${TAURI_DRIVER} (set TAURI_DRIVER)`);
  const log = createWriteStream(path.join(SHOT_DIR, `tauri-driver-${label}.log`));
  const child = spawn(TAURI_DRIVER, ['--port', String(DRIVER_PORT), '--native-port', String(NATIVE_DRIVER_PORT)], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
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

/** Runs `fn(browser)` against a freshly launched app; always stops the session and the driver. */
async function withApp(label, fn) {
  const driver = await startDriver(label);
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

async function screenshot(browser, name) {
  const file = path.join(SHOT_DIR, `${name}.png`);
  await browser.saveScreenshot(file);
  console.log(`screenshot: ${file}`);
  return file;
}

/** The visible error banners' messages (the app shows command errors verbatim there). */
async function errorBanners(browser) {
  return browser.execute(() =>
    Array.from(document.querySelectorAll('[data-testid="error-banner"]')).map((el) => el.textContent.trim()),
  );
}

async function assertNoErrors(browser, where) {
  const errors = await errorBanners(browser);
  assert.deepEqual(errors, [], `error banner shown ${where}: ${errors.join(' | ')}`);
}

/** The number the due pill shows ("12 due"). */
async function dueCount(browser) {
  const text = await (await browser.$(tid('study-due-count'))).getText();
  const m = /(\d+)\s+due/.exec(text);
  return m ? Number(m[1]) : null;
}

/** The id of the card on screen. */
async function cardId(browser) {
  return (await browser.$(tid('study-card'))).getAttribute('data-card-id');
}

// ---------------------------------------------------------------------------------------------

before(() => {
  assert.ok(APP, 'set REHEARSE_APP_BINARY to the built app binary (tauri build --debug --no-bundle)');
  assert.ok(existsSync(APP), `REHEARSE_APP_BINARY does not exist: ${APP}`);
  mkdirSync(SHOT_DIR, { recursive: true });
  console.log(`screenshots and driver logs: ${SHOT_DIR}`);
});

after(() => {
  console.log(`screenshots and driver logs: ${SHOT_DIR}`);
});

test('Study: review cards by keyboard, then search and open a card', async () => {
  await withApp('study', async (browser) => {
    await (await browser.$(tid('practice-screen'))).waitForDisplayed({ timeout: APP_READY_MS });
    await (await browser.$(tid('nav-study'))).click();
    await (await browser.$(tid('study-screen'))).waitForDisplayed();

    // The queue loads: N due, a card, and the stats line.
    await browser.waitUntil(async () => ((await dueCount(browser)) ?? 0) > REVIEWS, {
      timeout: 30_000,
      timeoutMsg: `the due count never showed more than ${REVIEWS} cards`,
    });
    const before = await dueCount(browser);
    await (await browser.$(tid('study-card'))).waitForDisplayed();
    const stats = await browser.$(tid('study-stats'));
    await browser.waitUntil(async () => /new/.test(await stats.getText()), {
      timeout: 30_000,
      timeoutMsg: 'the stats line never loaded',
    });
    console.log(`due: ${before}; stats: ${await stats.getText()}`);
    await screenshot(browser, 'study-01-front');
    await assertNoErrors(browser, 'opening Study');

    // Three reviews by keyboard: Space shows the answer, 3 grades it Good.
    for (let i = 0; i < REVIEWS; i++) {
      const id = await cardId(browser);
      const answer = await browser.$(tid('study-answer'));
      assert.equal(await answer.isExisting(), false, `card ${id}: the answer is hidden before Space`);
      await browser.keys(' ');
      await answer.waitForDisplayed({ timeoutMsg: `card ${id}: Space did not show the answer` });
      await (await browser.$(tid('study-grade-good'))).waitForDisplayed();
      if (i === 0) await screenshot(browser, 'study-02-answer');
      await browser.keys('3');
      await browser.waitUntil(async () => (await dueCount(browser)) === before - i - 1, {
        timeout: 30_000,
        timeoutMsg: `the due count did not drop to ${before - i - 1} after review ${i + 1}`,
      });
      await browser.waitUntil(async () => (await cardId(browser)) !== id, {
        timeout: 30_000,
        timeoutMsg: `card ${id} is still on screen after grading it`,
      });
    }
    assert.equal(await dueCount(browser), before - REVIEWS, `the due count went down by ${REVIEWS}`);
    const nextDue = await browser.$(tid('study-next-due'));
    await nextDue.waitForDisplayed({ timeoutMsg: 'no "back in …" line after grading' });
    const nextDueText = await nextDue.getText();
    assert.match(nextDueText, /Good:\s*back in \d+ (minute|hour|day|month|year)s?/, `next-due line: ${nextDueText}`);
    await browser.waitUntil(async () => /\b3\s*reviewed/.test(await stats.getText()), {
      timeout: 30_000,
      timeoutMsg: 'the stats line does not count the three reviews',
    });
    console.log(`after ${REVIEWS} reviews: ${await dueCount(browser)} due; ${nextDueText}; stats: ${await stats.getText()}`);
    await screenshot(browser, 'study-03-after-reviews');
    await assertNoErrors(browser, 'after reviewing');

    // Search: "/" focuses the box; a hit with the matched words marked opens its card.
    await browser.keys('/');
    const search = await browser.$(tid('study-search'));
    await browser.waitUntil(async () => (await browser.execute(() => document.activeElement?.getAttribute('data-testid'))) === 'study-search', {
      timeout: 5000,
      timeoutMsg: '"/" did not focus the search box',
    });
    await search.setValue('prompt injection');
    const hit = await browser.$(`${tid('study-search-hit')}[data-kind="card"]`);
    await hit.waitForDisplayed({ timeout: 30_000, timeoutMsg: 'no card hit for "prompt injection"' });
    const marks = await browser.execute(() =>
      Array.from(document.querySelectorAll('[data-testid="study-search-hit"] mark')).map((m) => m.textContent),
    );
    assert.ok(marks.some((m) => /prompt|injection/i.test(m)), `the matched words are marked: ${JSON.stringify(marks)}`);
    const hitId = await hit.getAttribute('data-id');
    const hitTitle = await hit.$('.hit-title').getText();
    console.log(`first card hit: ${hitId} (${hitTitle}); marks: ${JSON.stringify(marks.slice(0, 4))}`);
    await screenshot(browser, 'study-04-search');
    await hit.click();
    const opened = await browser.$(`${tid('study-card')}[data-card-id="${hitId}"]`);
    await opened.waitForDisplayed({ timeoutMsg: `clicking the hit did not open card ${hitId}` });
    const openedAnswer = await opened.$(tid('study-answer'));
    await openedAnswer.waitForDisplayed();
    await browser.waitUntil(async () => (await openedAnswer.getText()).length > 40, {
      timeout: 30_000,
      timeoutMsg: `card ${hitId} shows no body`,
    });
    assert.match(await opened.getText(), new RegExp(hitTitle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    await screenshot(browser, 'study-05-opened-card');
    await assertNoErrors(browser, 'after search');
  });
});
