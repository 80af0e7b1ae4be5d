// End to end: the real Rehearse binary in a real WebKitGTK webview, driven over WebDriver
// through tauri-driver, with real speech (espeak-ng) played into a virtual microphone.
//
// Needs (see README.md): REHEARSE_APP_BINARY (a `tauri build --debug --no-bundle` binary),
// tauri-driver and WebKitWebDriver, an X display (xvfb-run), a PulseAudio null sink whose
// monitor is the default source, espeak-ng, and a whisper model in REHEARSE_MODELS_DIR.
// Optional: REHEARSE_SCREENSHOT_DIR (default tests/e2e/screenshots), TAURI_DRIVER (path).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { APP_READY_MS, SHOT_DIR, assertNoErrors, errorBanners, screenshot, setUpAppTests, tid, speak, withApp } from './lib/app.mjs';

// The `rehearse` CLI: a session it records must show up in the app's Review (one store).
const CLI = process.env.REHEARSE_CLI_BINARY;

// Whisper runs on one CPU thread here: be generous.
const LIVE_RESULT_MS = 90_000;
const SCORECARD_MS = 60_000;

const PROMPT_ID = 'doc-qa-10k';
// ~30 s at 150 words a minute. Requirements and architecture (chunks, embeddings, a vector
// store, retrieval); deliberately nothing about evaluation or what happens when things break,
// so the interviewer has a gap to probe.
const SPEECH_PART_1 =
  'Let me start with the requirements. Employees ask questions about ten thousand internal documents, ' +
  'and every answer must cite the documents it came from. We expect about two thousand users, ' +
  'and an answer should arrive within three seconds.';
const SPEECH_PART_2 =
  'For the architecture, an ingestion pipeline splits each document into chunks of about five hundred tokens, ' +
  'computes embeddings for every chunk, and stores them in a vector store. ' +
  'At query time we embed the question, retrieve the closest chunks from the vector store, ' +
  'and give them to the language model to write the answer with citations.';
const SPOKEN_WORDS = /vector|chunk|embedding|document/i;
// A misconception said with confidence: challenged in the candidate's own words before any gap
// (docs/judgement.md, "Follow-ups, in priority order").
const SPEECH_RED_FLAG = 'The vector store never goes down, so we do not need any replicas or backups.';
// The challenges of the two red flags that sentence holds (content/rubrics/system-design.toml).
const CHALLENGE = /What makes you sure of that|when that assumption breaks/;

setUpAppTests();

test('practice a prompt out loud, get follow-ups and a scorecard, then review it', async () => {
  await withApp('practice', async (browser) => {
    // The app opens on Practice.
    const practice = await browser.$(tid('practice-screen'));
    await practice.waitForDisplayed({ timeout: APP_READY_MS });
    const status = await browser.$(tid('model-status'));
    await status.waitForDisplayed({ timeout: APP_READY_MS });
    await screenshot(browser, '01-practice');
    if ((await status.getAttribute('data-ready')) !== 'true') {
      const message = await browser.$(tid('model-message'));
      const why = (await message.isExisting()) ? await message.getText() : await status.getText();
      assert.fail(`the speech model is not ready: ${why}`);
    }
    await assertNoErrors(browser, 'at start');

    // Pick the prompt and start.
    const prompt = await browser.$(`${tid('prompt-option')}[data-prompt-id="${PROMPT_ID}"]`);
    await prompt.waitForDisplayed();
    await prompt.click();
    assert.equal(await prompt.getAttribute('aria-checked'), 'true', `prompt ${PROMPT_ID} is selected`);
    const start = await browser.$(tid('start-button'));
    await start.waitForEnabled({ timeout: APP_READY_MS });
    await start.click();
    const stop = await browser.$(tid('stop-button'));
    await stop.waitForDisplayed({ timeout: APP_READY_MS, timeoutMsg: 'recording did not start (no Stop button)' });
    await assertNoErrors(browser, 'after Start');

    // Answer out loud: a pause in the middle and at the end, where an interviewer may step in.
    await sleep(1500);
    await speak(SPEECH_PART_1);
    await sleep(3000);
    // While the second part is being said, a provisional line shows it before the pause that
    // makes it final (partial text, about once a second of speech).
    const speaking = speak(SPEECH_PART_2);
    let partial = null;
    try {
      await browser.waitUntil(
        async () => {
          partial = await browser.execute(() => document.querySelector('[data-testid="transcript-partial"]')?.textContent ?? null);
          return Boolean(partial);
        },
        { timeout: 25_000, interval: 250 },
      );
    } catch {
      await speaking;
      assert.fail(`no provisional (partial) line appeared while speaking; errors: ${JSON.stringify(await errorBanners(browser))}`);
    }
    console.log(`partial while speaking: ${partial}`);
    await browser.execute(() => document.querySelector('[data-testid="transcript-partial"]')?.scrollIntoView({ block: 'end' }));
    await sleep(800); // the panel scrolls smoothly
    await screenshot(browser, '02a-partial-line');
    await speaking;
    await sleep(4000);

    // The live transcript has our words, and the interviewer has asked something.
    let seen = { segments: [], turns: [] };
    try {
      await browser.waitUntil(
        async () => {
          seen = await browser.execute(() => ({
            segments: Array.from(document.querySelectorAll('[data-testid="transcript-segment"]')).map((el) => el.textContent),
            turns: Array.from(document.querySelectorAll('[data-testid="turn-item"]')).map((el) => el.textContent),
          }));
          return seen.segments.some((t) => /vector|chunk/i.test(t)) && seen.turns.length > 0;
        },
        { timeout: LIVE_RESULT_MS, interval: 1000 },
      );
    } catch {
      assert.fail(
        `no transcript segment with "vector"/"chunk" and an interviewer turn within ${LIVE_RESULT_MS} ms; ` +
          `segments: ${JSON.stringify(seen.segments)}; turns: ${JSON.stringify(seen.turns)}; ` +
          `errors: ${JSON.stringify(await errorBanners(browser))}`,
      );
    }
    const segment = await browser.$(tid('transcript-segment'));
    assert.ok(await segment.isDisplayed(), 'transcript segments are visible');
    // The final text replaced the provisional line once the candidate paused.
    await browser
      .$(tid('transcript-partial'))
      .waitForExist({ reverse: true, timeout: LIVE_RESULT_MS, timeoutMsg: 'the provisional line was never replaced by final text' });
    const turn = await browser.$(tid('turn-item'));
    assert.ok(await turn.isDisplayed(), 'the interviewer turn is visible');
    console.log(`live: ${seen.segments.length} segments, ${seen.turns.length} turns; first turn: ${seen.turns[0]}`);
    await browser.execute(() => document.querySelector('[data-testid="turn-item"]')?.scrollIntoView({ block: 'end' }));
    await sleep(800);
    await screenshot(browser, '02-live-transcript');

    // Said with confidence, a claim that a component cannot fail is challenged, quoting it.
    await speak(SPEECH_RED_FLAG);
    let turnsNow = [];
    try {
      await browser.waitUntil(
        async () => {
          turnsNow = await browser.execute(() =>
            Array.from(document.querySelectorAll('[data-testid="turn-item"]')).map((el) => el.textContent),
          );
          return turnsNow.some((t) => CHALLENGE.test(t));
        },
        { timeout: LIVE_RESULT_MS, interval: 1000 },
      );
    } catch {
      assert.fail(`the red flag was not challenged; turns: ${JSON.stringify(turnsNow)}; errors: ${JSON.stringify(await errorBanners(browser))}`);
    }
    const challenge = turnsNow.find((t) => CHALLENGE.test(t));
    assert.match(challenge, /You said "[^"]*(never goes down|need any replicas)[^"]*"/, `the challenge quotes the claim: ${challenge}`);
    await browser.execute(() => {
      const turns = document.querySelectorAll('[data-testid="turn-item"]');
      turns[turns.length - 1]?.scrollIntoView({ block: 'end' });
    });
    await sleep(800);
    await screenshot(browser, '02c-challenge');

    // The phase strip: the interview starts in "clarify"; the button and the N key move it on.
    const currentPhase = () =>
      browser.execute(() => document.querySelector('[data-testid="phase-strip"] [aria-current="step"]')?.getAttribute('data-testid') ?? null);
    await browser.$(tid('phase-strip')).waitForDisplayed({ timeout: APP_READY_MS, timeoutMsg: 'no phase strip while recording' });
    assert.equal(await currentPhase(), 'phase-clarify');
    await browser.$(tid('next-phase')).click();
    await browser.waitUntil(async () => (await currentPhase()) === 'phase-high_level', { timeout: 5000, timeoutMsg: 'Next phase did not move on' });
    await browser.execute(() => (document.activeElement instanceof HTMLElement ? document.activeElement.blur() : undefined));
    await browser.keys('n');
    await browser.waitUntil(async () => (await currentPhase()) === 'phase-deep_dive', { timeout: 5000, timeoutMsg: 'the N key did not move on' });
    await screenshot(browser, '02b-phase-strip');
    await assertNoErrors(browser, 'after moving on a phase');

    // Stop: "Scoring…", then the scorecard with all eight dimensions.
    await stop.click();
    const scorecard = await browser.$(tid('scorecard'));
    await scorecard.waitForDisplayed({
      timeout: SCORECARD_MS,
      timeoutMsg: `no scorecard within ${SCORECARD_MS} ms of Stop`,
    });
    const rows = await browser.$$(tid('dimension-row'));
    assert.equal(rows.length, 8, 'the scorecard shows eight dimensions');
    const dims = await browser.execute(() =>
      Array.from(document.querySelectorAll('[data-testid="dimension-row"]')).map((el) => el.getAttribute('data-dimension')),
    );
    assert.deepEqual(
      [...dims].sort(),
      ['architecture', 'communication', 'data_apis', 'depth', 'evaluation', 'reliability', 'requirements', 'tradeoffs'],
    );
    // A check the next level cannot do without is named in its checklist: this answer weighed
    // nothing, so trade-offs says which checks level 2 needs.
    const needs = await browser.execute(
      () =>
        document.querySelector('[data-testid="dimension-row"][data-dimension="tradeoffs"] [data-testid="checklist-needs"]')
          ?.textContent ?? '',
    );
    assert.match(needs, /level 2 needs one of Versus, Cost of, Trade-off named/, `trade-offs checklist: ${needs}`);
    // A product's name is shown in architecture's checklist but earns no level: its chip says
    // so, and the summary counts only the checks that count (nine of architecture's ten).
    const architecture = await browser.execute(() => {
      const row = document.querySelector('[data-testid="dimension-row"][data-dimension="architecture"]');
      const chip = Array.from(row?.querySelectorAll('[data-testid="check"]') ?? []).find((el) =>
        el.textContent?.includes('Named products'),
      );
      return {
        summary: row?.querySelector('.checklist-summary')?.textContent ?? '',
        products: chip?.textContent ?? '',
      };
    });
    assert.match(architecture.products, /no level/, `architecture's named-products chip: ${architecture.products}`);
    assert.match(architecture.summary, /\d of 9 checks met/, `architecture checklist: ${architecture.summary}`);
    // The trade-off decisions graded one by one sit under the scorecard; this answer made
    // none, so the list says what to do instead.
    const tradeoffs = await browser.$(tid('tradeoff-list'));
    await tradeoffs.waitForExist({ timeout: 5000, timeoutMsg: 'no trade-off decisions card under the scorecard' });
    assert.match(await tradeoffs.getText(), /No single decision could be taken apart|Alternative/);
    await screenshot(browser, '03-scorecard');
    await tradeoffs.scrollIntoView();
    await screenshot(browser, '03b-practice-tradeoffs');
    await assertNoErrors(browser, 'after scoring');

    // Review: the session is listed; open it and see its transcript.
    await (await browser.$(tid('nav-review'))).click();
    await (await browser.$(tid('review-screen'))).waitForDisplayed();
    const row = await browser.$(`${tid('session-row')}[data-prompt-id="${PROMPT_ID}"]`);
    await row.waitForDisplayed({ timeout: 30_000, timeoutMsg: `no session row for ${PROMPT_ID} in Review` });
    await row.click();
    const detail = await browser.$(tid('session-detail'));
    await detail.waitForDisplayed();
    const reviewed = await detail.$(tid('transcript-segment'));
    await reviewed.waitForDisplayed({ timeout: 30_000, timeoutMsg: 'the opened session shows no transcript' });
    assert.match(await detail.$(tid('transcript')).getText(), SPOKEN_WORDS, 'the stored transcript has our words');
    await (await detail.$(tid('scorecard'))).waitForExist();

    // The recording plays in the webview: the waveform player loads it and the playhead moves.
    const audioState = () =>
      browser.execute(() => {
        const p = document.querySelector('[data-testid="audio-player"]');
        if (!p) return { present: false };
        return {
          present: true,
          state: p.getAttribute('data-state'),
          playing: p.getAttribute('data-playing'),
          playheadS: Number(p.getAttribute('data-playhead-s')),
        };
      });
    await browser.waitUntil(async () => (await audioState()).state === 'ready', {
      timeout: 30_000, interval: 500, timeoutMsg: 'the recording never loaded in the audio player',
    }).catch(async (e) => { throw new Error(`${e.message}: ${JSON.stringify(await audioState())}`); });
    await (await browser.$(tid('play-pause'))).click();
    await browser.waitUntil(async () => (await audioState()).playheadS > 0.5, {
      timeout: 20_000, interval: 250, timeoutMsg: 'the recording did not play',
    }).catch(async (e) => { throw new Error(`${e.message}: ${JSON.stringify(await audioState())}`); });
    console.log(`audio: ${JSON.stringify(await audioState())}`);
    await screenshot(browser, '04-review');
    await assertNoErrors(browser, 'in Review');
  });
});

test('Settings and Study screens render', async () => {
  await withApp('screens', async (browser) => {
    await (await browser.$(tid('practice-screen'))).waitForDisplayed({ timeout: APP_READY_MS });

    await (await browser.$(tid('nav-settings'))).click();
    await (await browser.$(tid('settings-screen'))).waitForDisplayed();
    // The speech model in use is listed, installed and verified.
    const model = await browser.$('[data-testid="model-row"][data-model-id="tiny.en"]');
    await model.waitForDisplayed({ timeout: 30_000, timeoutMsg: 'Settings never listed tiny.en' });
    await browser.waitUntil(
      async () => (await model.getAttribute('data-active')) === 'true' && (await model.getAttribute('data-state')) === 'verified',
      { timeout: 30_000, timeoutMsg: 'Settings never showed tiny.en verified and in use' },
    );
    await screenshot(browser, '05-settings');

    await (await browser.$(tid('nav-study'))).click();
    await (await browser.$(tid('study-screen'))).waitForDisplayed();
    await screenshot(browser, '06-study');
    await assertNoErrors(browser, 'on Settings/Study');
  });
});

test('a session recorded by the CLI is in the app\'s Review', async () => {
  assert.ok(CLI, 'REHEARSE_CLI_BINARY must point at the rehearse CLI (scripts/test.sh sets it)');
  // Same environment as the app (XDG_DATA_HOME, REHEARSE_MODELS_DIR): the same store.
  const wav = path.join(SHOT_DIR, 'cli-answer.wav');
  execFileSync('espeak-ng', ['-s', '150', '-w', wav, SPEECH_PART_2]);
  const out = execFileSync(CLI, ['practice', '--prompt', 'pr-review-bot', '--audio', wav, '--json'], {
    encoding: 'utf8',
    timeout: 180_000,
  });
  const report = JSON.parse(out);
  assert.equal(report.prompt_id, 'pr-review-bot');

  await withApp('cli-session', async (browser) => {
    await (await browser.$(tid('practice-screen'))).waitForDisplayed({ timeout: APP_READY_MS });
    await (await browser.$(tid('nav-review'))).click();
    const row = await browser.$(`${tid('session-row')}[data-session-id="${report.session_id}"]`);
    await row.waitForDisplayed({ timeout: 30_000, timeoutMsg: 'the CLI session is not listed in Review' });
    await row.click();
    const detail = await browser.$(tid('session-detail'));
    await detail.waitForDisplayed();
    await (await detail.$(tid('transcript-segment'))).waitForDisplayed({ timeout: 30_000 });
    assert.match(await detail.$(tid('transcript')).getText(), SPOKEN_WORDS);
    await screenshot(browser, '07-review-cli-session');
    await assertNoErrors(browser, 'opening the CLI session');
  });
});
