// End to end: settings, the shortcuts sheet and first-start onboarding in the real app.
//
// 1. Starts on a settings file with broken fields (shown as problems), changes settings on the Settings screen (theme, threads, retention, the LLM server), saves,
//    checks the file on disk, restarts the app and sees them kept (and the dark theme applied
//    before anything is clicked); opens the shortcuts sheet with `?`; "Test connection" against
//    a port where nothing listens reports the failure in words.
// 2. On a fresh data folder the onboarding shows: the microphone test hears speech played into
//    the virtual microphone, the model step sees the installed model, the 60-second drill stops
//    by itself, and Finish leads home; a restart does not show onboarding again.
//
// Needs what practice.test.mjs needs (README.md): the app binary, tauri-driver, Xvfb, the
// virtual microphone, espeak-ng and a whisper model in REHEARSE_MODELS_DIR.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { APP_READY_MS, assertNoErrors, screenshot, setUpAppTests, speak, tempDir, tid, withApp } from './lib/app.mjs';

setUpAppTests();

const SCORING_MS = 120_000;

async function openSettings(browser) {
  const nav = await browser.$(tid('nav-settings'));
  await nav.waitForDisplayed({ timeout: APP_READY_MS });
  await nav.click();
  await (await browser.$(tid('settings-save'))).waitForDisplayed({ timeout: 30_000 });
}

async function retype(browser, el, text) {
  await el.click();
  await browser.keys(['Control', 'a']);
  await browser.keys('Backspace');
  if (text !== '') await el.addValue(text);
}

const rootTheme = (browser) => browser.execute(() => document.documentElement.dataset.theme ?? null);

test('Settings: saved to the file, kept across a restart; ? shows the shortcuts', async () => {
  const dataDir = tempDir('rehearse-settings-');
  const env = { REHEARSE_DATA_DIR: dataDir };
  // A hand-edited file with two broken fields: the app starts, uses the defaults for those and says so.
  writeFileSync(
    path.join(dataDir, 'settings.json'),
    JSON.stringify({ schema_version: 2, onboarded: true, theme: 'purple', whisper_threads: 'many', language: 'en' }),
  );

  await withApp('settings-change', async (browser) => {
    await openSettings(browser);
    const problems = await browser.$(tid('settings-problems'));
    await problems.waitForDisplayed({ timeout: 10_000 });
    const listed = await problems.getText();
    assert.match(listed, /theme/, listed);
    assert.match(listed, /whisper_threads/, listed);
    // About: which processors this build's speech recognition runs on (issue 21).
    const build = await (await browser.$(tid('settings-speech-build'))).getText();
    assert.match(build, /^x86-64-v3 \(.*AVX2.*\)$/, build);
    await screenshot(browser, 'settings-01-problems-and-defaults');
    await (await browser.$(tid('settings-theme-dark'))).click();
    await retype(browser, await browser.$(tid('settings-threads')), '2');
    await retype(browser, await browser.$(tid('settings-delete-after')), '30');
    await (await browser.$(tid('settings-llm-enabled'))).click();
    // Port 9 (discard): nothing listens on loopback, so the connection is refused at once.
    await retype(browser, await browser.$(tid('settings-llm-url')), 'http://127.0.0.1:9/v1');
    await retype(browser, await browser.$(tid('settings-llm-model')), 'tiny-model');
    await (await browser.$(tid('settings-save'))).click();
    await (await browser.$(tid('settings-saved'))).waitForDisplayed({ timeout: 30_000 });
    assert.equal(await (await browser.$(tid('settings-problems'))).isExisting(), false, 'saving leaves no problems');
    assert.equal(await rootTheme(browser), 'dark', 'the dark theme is applied on save');

    await (await browser.$(tid('settings-llm-test'))).click();
    const result = await browser.$(tid('settings-llm-result'));
    await result.waitForDisplayed({ timeout: 30_000 });
    const said = await result.getText();
    assert.match(said, /Could not use http:\/\/127\.0\.0\.1:9\/v1/, said);
    await screenshot(browser, 'settings-02-saved-dark');
    await assertNoErrors(browser, 'after saving settings');

    // `?` with focus on the page (not in a field) opens the sheet; Escape closes it.
    await (await browser.$('h1')).click();
    await browser.keys('?');
    const sheet = await browser.$(tid('shortcuts-sheet'));
    await sheet.waitForDisplayed({ timeout: 10_000 });
    const text = await sheet.getText();
    for (const what of ['Ctrl', 'Enter', 'Play or pause', 'Grade', 'Search']) assert.ok(text.includes(what), `sheet lists ${what}: ${text}`);
    await screenshot(browser, 'settings-03-shortcuts-sheet');
    await browser.keys('Escape');
    await sheet.waitForDisplayed({ reverse: true, timeout: 10_000 });

    // `?` typed into a text field is text, not a shortcut.
    const model = await browser.$(tid('settings-llm-model'));
    await model.click();
    await browser.keys('?');
    assert.equal(await (await browser.$(tid('shortcuts-sheet'))).isExisting(), false, '? in a field opened the sheet');
  }, { env });

  const file = path.join(dataDir, 'settings.json');
  assert.ok(existsSync(file), `no settings file at ${file}`);
  const stored = JSON.parse(readFileSync(file, 'utf8'));
  assert.equal(stored.theme, 'dark');
  assert.equal(stored.whisper_threads, 2);
  assert.deepEqual(stored.retention, { keep_audio: true, delete_after_days: 30 });
  assert.equal(stored.llm.base_url, 'http://127.0.0.1:9/v1');
  assert.equal(stored.schema_version, 2);

  await withApp('settings-kept', async (browser) => {
    await (await browser.$(tid('nav-settings'))).waitForDisplayed({ timeout: APP_READY_MS });
    await browser.waitUntil(async () => (await rootTheme(browser)) === 'dark', {
      timeout: 10_000,
      timeoutMsg: 'the dark theme is not applied at start',
    });
    await openSettings(browser);
    assert.equal(await (await browser.$(tid('settings-theme-dark'))).isSelected(), true);
    assert.equal(await (await browser.$(tid('settings-threads'))).getValue(), '2');
    assert.equal(await (await browser.$(tid('settings-delete-after'))).getValue(), '30');
    assert.equal(await (await browser.$(tid('settings-llm-model'))).getValue(), 'tiny-model');
    await screenshot(browser, 'settings-04-after-restart');
    await assertNoErrors(browser, 'after the restart');
  }, { env });
});

test('Onboarding: microphone, model, a 60-second drill that stops by itself, then home', async () => {
  const dataDir = tempDir('rehearse-onboarding-');
  const env = { REHEARSE_DATA_DIR: dataDir, REHEARSE_SKIP_ONBOARDING: '0' };

  await withApp('onboarding', async (browser) => {
    await (await browser.$(tid('onboarding-mic'))).waitForDisplayed({ timeout: APP_READY_MS });
    await screenshot(browser, 'onboarding-01-mic');
    await (await browser.$(tid('mic-test-start'))).click();
    await speak('Testing the microphone, one two three.');
    const verdict = await browser.$(tid('mic-test-verdict'));
    await verdict.waitForDisplayed({ timeout: 30_000 });
    const heard = await verdict.getText();
    assert.match(heard, /Heard you/, heard);
    await (await browser.$(tid('mic-test-audio'))).waitForExist({ timeout: 10_000 });
    await screenshot(browser, 'onboarding-02-mic-heard');

    await (await browser.$(tid('onboarding-next'))).click();
    await (await browser.$(tid('onboarding-model-ready'))).waitForDisplayed({ timeout: 30_000 });
    await screenshot(browser, 'onboarding-03-model');

    await (await browser.$(tid('onboarding-next'))).click();
    await (await browser.$(tid('onboarding-drill-start'))).click();
    await (await browser.$(tid('onboarding-drill-left'))).waitForDisplayed({ timeout: 30_000 });
    await speak('The users are employees asking questions about company policies. We ingest the pages and keep a vector store.');
    // M marks the moment while recording (focus on the page, not a field).
    await (await browser.$('h1')).click();
    await browser.keys('m');
    const toast = await browser.$(tid('mark-toast'));
    await toast.waitForDisplayed({ timeout: 10_000 });
    assert.match(await toast.getText(), /Marked at \d+:\d\d/);
    await screenshot(browser, 'onboarding-04-drill-recording');
    // Nobody presses Stop: the drill ends by itself after 60 seconds, then is scored.
    await (await browser.$(tid('onboarding-drill-done'))).waitForDisplayed({ timeout: 60_000 + SCORING_MS });
    await screenshot(browser, 'onboarding-05-drill-done');
    await assertNoErrors(browser, 'after the drill');

    await (await browser.$(tid('onboarding-next'))).click();
    await (await browser.$(tid('nav-practice'))).waitForDisplayed({ timeout: 30_000 });
    assert.equal(await (await browser.$(tid('onboarding'))).isExisting(), false);
    await screenshot(browser, 'onboarding-06-home');
  }, { env });

  const stored = JSON.parse(readFileSync(path.join(dataDir, 'settings.json'), 'utf8'));
  assert.equal(stored.onboarded, true);

  await withApp('onboarding-not-again', async (browser) => {
    await (await browser.$(tid('nav-practice'))).waitForDisplayed({ timeout: APP_READY_MS });
    assert.equal(await (await browser.$(tid('onboarding'))).isExisting(), false, 'onboarding shown a second time');
  }, { env });
});
