// End to end: Settings → Speech models, and "Re-transcribe with…" in Review, in the real app.
//
// The app runs on its own models folder (a copy of tiny.en, plus a part file of base.en-q5_1
// as a download interrupted earlier would leave). It checks: tiny.en is verified and in use;
// the part file shows as "Partly downloaded" with Resume; a download with no network fails
// with a message in words and leaves the model's state as it was (no progress bar left, the
// part file kept, the button back); installing the tiny.en file by path is recognised as the
// catalogue model; a copy with one byte changed installs as a custom model with the warning,
// is listed, can be chosen and saved (settings.json), and Review re-transcribes a session
// (made by the CLI from espeak-ng speech) with it: the score history grows by one version.
// Cancel is not exercised here: with no network a download fails before there is anything to
// cancel (the mock build, `?demo=models`, shows it; the engine's cancel has Rust tests).
//
// Needs: REHEARSE_APP_BINARY, REHEARSE_CLI_BINARY, REHEARSE_MODELS_DIR (with ggml-tiny.en.bin),
// espeak-ng. No network is needed; with one, base.en would really download (148 MB).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readFileSync, readSync, statSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { APP_READY_MS, assertNoErrors, screenshot, setUpAppTests, tempDir, tid, withApp } from './lib/app.mjs';

setUpAppTests();

const CLI = process.env.REHEARSE_CLI_BINARY;
const SOURCE_MODELS = process.env.REHEARSE_MODELS_DIR || path.join(os.homedir(), '.local', 'share', 'rehearse', 'models');
const TINY = path.join(SOURCE_MODELS, 'ggml-tiny.en.bin');

const row = (id) => `[data-testid="model-row"][data-model-id="${id}"]`;

async function rowState(browser, id) {
  const el = await browser.$(row(id));
  await el.waitForExist({ timeout: 30_000 });
  return { state: await el.getAttribute('data-state'), active: await el.getAttribute('data-active'), text: await el.getText() };
}

/** A copy of tiny.en with one byte of its last tensor changed: a valid ggml file no checksum knows. */
function tweakedCopy(dir) {
  const file = path.join(dir, 'ggml-tiny-tweaked.bin');
  copyFileSync(TINY, file);
  const fd = openSync(file, 'r+');
  const at = statSync(file).size - 10;
  const b = Buffer.alloc(1);
  readSync(fd, b, 0, 1, at);
  b[0] ^= 1;
  writeSync(fd, b, 0, 1, at);
  closeSync(fd);
  return file;
}

test('Speech models: state, failed download, resume, install by path, choose, re-transcribe', async () => {
  assert.ok(existsSync(TINY), `no tiny.en model at ${TINY}`);
  assert.ok(CLI && existsSync(CLI), `set REHEARSE_CLI_BINARY (now: ${CLI})`);
  const work = tempDir('rehearse-models-e2e-');
  const dataDir = path.join(work, 'data');
  const modelsDir = path.join(work, 'models');
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(modelsDir, { recursive: true });
  copyFileSync(TINY, path.join(modelsDir, 'ggml-tiny.en.bin'));
  // 1 MB of an earlier, interrupted download of base.en-q5_1.
  const part = path.join(modelsDir, 'ggml-base.en-q5_1.bin.part');
  writeFileSync(part, Buffer.alloc(1_000_000));
  const custom = tweakedCopy(work);
  const env = { REHEARSE_DATA_DIR: dataDir, REHEARSE_MODELS_DIR: modelsDir };

  // A session to re-transcribe, made by the CLI with tiny.en into the same folders.
  const wav = path.join(work, 'answer.wav');
  execFileSync('espeak-ng', ['-s', '150', '-w', wav, 'First the requirements. About two thousand employees ask questions. We keep the chunks in a vector database.']);
  execFileSync(CLI, ['practice', '--prompt', 'doc-qa-10k', '--audio', wav, '--json'], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 32 * 1024 * 1024,
    timeout: 300_000,
  });

  await withApp(
    'models',
    async (browser) => {
      const nav = await browser.$(tid('nav-settings'));
      await nav.waitForDisplayed({ timeout: APP_READY_MS });
      await nav.click();
      await (await browser.$(tid('settings-model'))).waitForDisplayed({ timeout: 30_000 });

      const tiny = await rowState(browser, 'tiny.en');
      assert.equal(tiny.state, 'verified', tiny.text);
      assert.equal(tiny.active, 'true', tiny.text);
      assert.match(tiny.text, /77\.7 MB · f16/, tiny.text);
      const base = await rowState(browser, 'base.en');
      assert.equal(base.state, 'not_installed');
      assert.equal(base.active, 'false');
      const partial = await rowState(browser, 'base.en-q5_1');
      assert.equal(partial.state, 'partial', partial.text);
      assert.match(partial.text, /Resume/, partial.text);
      assert.match(partial.text, /1\.0 of 59\.7 MB downloaded/, partial.text);
      await (await browser.$(row('base.en'))).scrollIntoView();
      await screenshot(browser, 'models-01-list');

      // No network here: the download fails at once, in words, and the row is as it was.
      await (await browser.$(`${row('base.en')} ${tid('model-download')}`)).click();
      const outcome = await browser.$(`${row('base.en')} ${tid('model-outcome')}`);
      await outcome.waitForDisplayed({ timeout: 60_000 });
      const said = await outcome.getText();
      console.log(`download without network: ${said}`);
      assert.equal(await outcome.getAttribute('data-kind'), 'error');
      assert.match(said, /^Could not download base\.en: /, said);
      assert.match(said, /network|reach|resolve|lookup/i, said);
      assert.doesNotMatch(said, /\{|\}|Error\(|Os \{/, `a raw debug error: ${said}`);
      assert.equal((await rowState(browser, 'base.en')).state, 'not_installed');
      assert.equal(await (await browser.$(`${row('base.en')} ${tid('model-progress')}`)).isExisting(), false, 'progress bar left behind');
      assert.equal(await (await browser.$(`${row('base.en')} ${tid('model-download')}`)).isEnabled(), true, 'Download is not offered again');
      await screenshot(browser, 'models-02-download-failed');

      // Resume on the part file fails the same way and keeps the bytes.
      await (await browser.$(`${row('base.en-q5_1')} ${tid('model-download')}`)).click();
      const resumed = await browser.$(`${row('base.en-q5_1')} ${tid('model-outcome')}`);
      await resumed.waitForDisplayed({ timeout: 60_000 });
      assert.match(await resumed.getText(), /^Could not download base\.en-q5_1: /);
      const after = await rowState(browser, 'base.en-q5_1');
      assert.equal(after.state, 'partial', after.text);
      assert.match(after.text, /Resume/, after.text);
      assert.equal(statSync(part).size, 1_000_000, 'the part file was not kept as it was');

      // The tiny.en file by path: its checksum makes it the catalogue model, not a custom one.
      const pathField = await browser.$(tid('model-install-path'));
      await pathField.scrollIntoView();
      // WebDriver's clear changes the DOM but not React's state, so a re-render in between
      // (the model list refreshing after an install) put the old path back once and the new
      // one was appended to it. Cleared with the keyboard, as a person would, and checked.
      const typePath = (value) =>
        browser.waitUntil(
          async () => {
            await pathField.click();
            await browser.keys(['Control', 'a']);
            await browser.keys('Backspace');
            await pathField.addValue(value);
            return (await pathField.getValue()) === value;
          },
          { timeout: 30_000, timeoutMsg: `the path field would not hold ${value}` },
        );
      await typePath(TINY);
      await (await browser.$(tid('model-install'))).click();
      const result = await browser.$(tid('model-install-result'));
      await result.waitForDisplayed({ timeout: 120_000 });
      assert.equal(await result.getAttribute('data-model-id'), 'tiny.en');
      assert.match(await result.getText(), /Recognised as tiny\.en/);

      // A changed copy: installed as a custom model, with the warning, and listed.
      await typePath(custom);
      await (await browser.$(tid('model-install'))).click();
      await browser.waitUntil(async () => (await (await browser.$(tid('model-install-result'))).getAttribute('data-model-id')) === 'custom/tiny-tweaked', {
        timeout: 120_000,
        timeoutMsg: 'the custom model was not installed',
      });
      const warning = await (await browser.$(tid('model-install-result'))).getText();
      assert.match(warning, /could not be checked against a known checksum/, warning);
      const listed = await rowState(browser, 'custom/tiny-tweaked');
      assert.equal(listed.state, 'verified', listed.text);
      assert.match(listed.text, /custom/, listed.text);
      await screenshot(browser, 'models-03-installed-custom');

      // Choose it and save: the settings file names it and the list marks it in use.
      await (await browser.$(`${row('custom/tiny-tweaked')} ${tid('model-choose')}`)).click();
      assert.match((await rowState(browser, 'custom/tiny-tweaked')).text, /save to use it/);
      await (await browser.$(tid('settings-save'))).click();
      await (await browser.$(tid('settings-saved'))).waitForDisplayed({ timeout: 60_000 });
      await browser.waitUntil(async () => (await rowState(browser, 'custom/tiny-tweaked')).active === 'true', {
        timeout: 30_000,
        timeoutMsg: 'the saved model is not marked in use',
      });
      assert.equal((await rowState(browser, 'tiny.en')).active, 'false');
      const stored = JSON.parse(readFileSync(path.join(dataDir, 'settings.json'), 'utf8'));
      assert.equal(stored.model_id, 'custom/tiny-tweaked');
      await (await browser.$(row('custom/tiny-tweaked'))).scrollIntoView();
      await screenshot(browser, 'models-04-custom-in-use');
      await assertNoErrors(browser, 'in Settings → Speech models');

      // Review: re-transcribe the CLI's session with tiny.en (now not the one in use).
      await (await browser.$(tid('nav-review'))).click();
      const sessionRow = await browser.$(tid('session-row'));
      await sessionRow.waitForDisplayed({ timeout: 30_000 });
      await sessionRow.click();
      const history = await browser.$(tid('score-history'));
      await history.waitForExist({ timeout: 30_000 });
      const before = Number(await history.getAttribute('data-versions'));
      const select = await browser.$(tid('retranscribe-model'));
      await select.waitForDisplayed({ timeout: 30_000 });
      await select.selectByAttribute('value', 'tiny.en');
      await (await browser.$(tid('retranscribe'))).click();
      await browser.waitUntil(async () => Number(await (await browser.$(tid('score-history'))).getAttribute('data-versions')) === before + 1, {
        timeout: 180_000,
        timeoutMsg: `the score history did not grow past ${before} versions`,
      });
      assert.ok((await (await browser.$$(tid('transcript-segment'))).length) > 0, 'no transcript after re-transcribing');
      await screenshot(browser, 'models-05-retranscribed');
      await assertNoErrors(browser, 'after re-transcribing');
    },
    { env },
  );
});
