// End to end: the Study screen of the real Rehearse binary in a real WebKitGTK webview, driven
// over WebDriver through tauri-driver. Reviews cards by keyboard and searches the cards.
//
// Then answers a question card out loud: espeak-ng speech played into the virtual microphone,
// transcribed by the real model and checked against the card's key points.
//
// Needs (see README.md): REHEARSE_APP_BINARY (a `tauri build --debug --no-bundle` binary),
// tauri-driver and WebKitWebDriver, an X display (xvfb-run), a fresh XDG_DATA_HOME (so
// that every card is new), and for the spoken answer a PulseAudio null sink whose monitor is
// the default source, espeak-ng, and a whisper model in REHEARSE_MODELS_DIR. Optional:
// REHEARSE_SCREENSHOT_DIR (default tests/e2e/screenshots), TAURI_DRIVER (path).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { APP_READY_MS, assertNoErrors, screenshot, setUpAppTests, tid, speak, withApp } from './lib/app.mjs';

const REVIEWS = 3;

// Whisper runs on one CPU thread here: be generous.
const TRANSCRIBE_MS = 90_000;

// Good spoken answers to the first question cards in the queue, by card id.
const GOOD_ANSWERS = {
  'q-agent-loops':
    'I would put a cap on the number of steps, a step limit. I would detect when the agent repeats the same tool call with the same arguments. ' +
    'The prompt gives an explicit stop condition: if it cannot finish, give up and tell the user. ' +
    'And in production I add monitoring and tracing, with an alert when a run loops.',
  'q-debug-rag':
    'First I would ask: is it a retrieval problem or a generation problem? I would log the retrieved chunks for the failing questions. ' +
    'If retrieval is wrong, I look at chunking and the embedding model. If generation is wrong, I look at the prompt and the context assembly. ' +
    'Then I build a test set from the failures and measure the recall.',
};


setUpAppTests();

/** The number the due pill shows ("12 due"). */
async function dueCount(browser) {
  const text = await (await browser.$(tid('study-due-count'))).getText();
  const m = /(\d+)\s+due/.exec(text);
  return m ? Number(m[1]) : null;
}

/** Replaces what a text box holds by typing, as the candidate would. */
async function retype(browser, el, text) {
  await el.click();
  await browser.keys(['Control', 'a']);
  await browser.keys('Backspace');
  await browser.waitUntil(async () => (await el.getValue()) === '', { timeout: 5000, timeoutMsg: 'the box did not clear' });
  await el.addValue(text);
}

/** The id of the card on screen. */
async function cardId(browser) {
  return (await browser.$(tid('study-card'))).getAttribute('data-card-id');
}

// ---------------------------------------------------------------------------------------------

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

test('Study: answer a question card out loud and see which key points it covered', async () => {
  await withApp('study-answer', async (browser) => {
    await (await browser.$(tid('practice-screen'))).waitForDisplayed({ timeout: APP_READY_MS });
    await (await browser.$(tid('nav-study'))).click();
    await (await browser.$(tid('study-screen'))).waitForDisplayed();
    await (await browser.$(tid('study-card'))).waitForDisplayed({ timeout: 30_000 });

    // Through the queue (Space, then Good) to a question card we have a spoken answer for.
    let id = null;
    for (let i = 0; i < 40; i++) {
      id = await cardId(browser);
      if (GOOD_ANSWERS[id]) break;
      const answer = await browser.$(tid('study-answer'));
      await browser.keys(' ');
      await answer.waitForDisplayed({ timeoutMsg: `card ${id}: Space did not show the answer` });
      await browser.keys('3');
      await browser.waitUntil(async () => (await cardId(browser)) !== id, {
        timeout: 30_000,
        timeoutMsg: `card ${id} is still on screen after grading it`,
      });
    }
    assert.ok(GOOD_ANSWERS[id], `no question card with a prepared answer in the queue (last: ${id})`);
    console.log(`answering ${id} out loud`);

    // "Answer out loud" (key A) records; the Recording state has a Stop button.
    const aloud = await browser.$(tid('study-answer-aloud'));
    await aloud.waitForDisplayed({ timeoutMsg: `no "Answer out loud" on question card ${id}` });
    assert.equal(await (await browser.$(tid('study-answer'))).isExisting(), false, 'the answer is hidden while answering');
    await screenshot(browser, 'study-answer-00-question');
    await browser.keys('a');
    const stop = await browser.$(tid('study-answer-stop'));
    await stop.waitForDisplayed({ timeout: 30_000, timeoutMsg: 'key A did not start recording' });
    await sleep(500);
    await screenshot(browser, 'study-answer-01-recording');
    await speak(GOOD_ANSWERS[id]);
    await sleep(800);
    await stop.click();

    // Transcribing…, then the transcript, the key points covered or missed, and a suggested grade.
    const transcript = await browser.$(tid('study-answer-transcript'));
    await transcript.waitForDisplayed({ timeout: TRANSCRIBE_MS, timeoutMsg: 'no transcript after stopping' });
    const points = await browser.execute(() =>
      Array.from(document.querySelectorAll('[data-testid="study-keypoint"]')).map((el) => ({
        covered: el.getAttribute('data-covered'),
        text: el.textContent,
      })),
    );
    const transcriptText = await transcript.getText();
    console.log(`transcript: ${transcriptText}`);
    console.log(`key points: ${JSON.stringify(points)}`);
    const covered = points.filter((p) => p.covered === 'true').length;
    assert.ok(points.length >= 3, `the card's key points are listed: ${JSON.stringify(points)}`);
    assert.ok(covered >= Math.ceil(points.length / 2), `most key points covered: ${JSON.stringify(points)}`);
    const marks = await browser.execute(() =>
      Array.from(document.querySelectorAll('[data-testid="study-answer-transcript"] mark')).map((m) => m.textContent),
    );
    assert.ok(marks.length > 0, 'the matched phrases are marked in the transcript');
    const suggested = await browser.$(tid('study-suggested-grade'));
    await suggested.waitForDisplayed();
    const grade = await suggested.getAttribute('data-grade');
    assert.ok(['good', 'easy'].includes(grade), `suggested grade: ${grade}`);
    await (await browser.$(tid('study-answer'))).scrollIntoView({ block: 'start' });
    await screenshot(browser, 'study-answer-02-graded');
    await (await browser.$(tid(`study-grade-${grade}`))).scrollIntoView({ block: 'center' });
    await screenshot(browser, 'study-answer-03-grades');
    await assertNoErrors(browser, 'after answering out loud');

    // The candidate still chooses: grading moves on to the next card.
    await browser.keys('3');
    await browser.waitUntil(async () => (await cardId(browser)) !== id, {
      timeout: 30_000,
      timeoutMsg: `card ${id} is still on screen after grading it`,
    });
    assert.equal(await (await browser.$(tid('study-answer-transcript'))).isExisting(), false, 'the next card starts fresh');
  });
});

test('Study decks per topic area, and search from any screen: a glossary term, a prompt', async () => {
  await withApp('study-decks', async (browser) => {
    await (await browser.$(tid('practice-screen'))).waitForDisplayed({ timeout: APP_READY_MS });
    await (await browser.$(tid('nav-study'))).click();
    await (await browser.$(tid('study-screen'))).waitForDisplayed();
    await (await browser.$(tid('study-card'))).waitForDisplayed({ timeout: 30_000 });

    // The deck selector: All decks and the five areas, each with its count.
    const deckGroup = await browser.$(tid('study-deck'));
    await deckGroup.waitForDisplayed();
    await browser.waitUntil(async () => (await (await deckGroup.$('[data-area="agents"]')).getAttribute('data-count')) !== '', {
      timeout: 30_000,
      timeoutMsg: 'the deck counts never loaded',
    });
    const decks = await browser.execute(() =>
      Array.from(document.querySelectorAll('[data-testid="study-deck"] [data-area]')).map((el) => ({
        area: el.getAttribute('data-area'),
        count: Number(el.getAttribute('data-count')),
        checked: el.getAttribute('aria-checked'),
      })),
    );
    console.log(`decks: ${JSON.stringify(decks)}`);
    const areas = decks.map((d) => d.area);
    for (const a of ['all', 'ml-fundamentals', 'llm-apis', 'agents', 'system-design', 'coding-patterns']) {
      assert.ok(areas.includes(a), `deck ${a} is offered: ${JSON.stringify(areas)}`);
    }
    const all = decks.find((d) => d.area === 'all');
    assert.equal(all.checked, 'true', 'All decks is chosen at first');
    assert.equal(all.count, await dueCount(browser), 'All decks counts the whole queue');
    assert.equal(all.count, decks.filter((d) => d.area !== 'all').reduce((n, d) => n + d.count, 0), 'the decks add up');
    const agentsCount = decks.find((d) => d.area === 'agents').count;
    assert.ok(agentsCount > 0 && agentsCount < all.count, `agents deck: ${agentsCount} of ${all.count}`);

    // Choose agents: the queue and the due count follow the deck.
    const agents = await deckGroup.$('[data-area="agents"]');
    await agents.click();
    await browser.waitUntil(async () => (await agents.getAttribute('aria-checked')) === 'true', {
      timeout: 5000,
      timeoutMsg: 'the agents deck was not chosen',
    });
    await browser.waitUntil(async () => (await dueCount(browser)) === agentsCount, {
      timeout: 30_000,
      timeoutMsg: `the due count did not become the agents deck's ${agentsCount}`,
    });
    const card = await browser.$(tid('study-card'));
    await card.waitForDisplayed();
    assert.equal(await card.getAttribute('data-area'), 'agents', 'the card shown is an agents card');
    assert.match(await card.getText(), /agents/i, 'the card says its area');
    // The first agents card, reviewed, leaves the deck's count one lower.
    const firstId = await cardId(browser);
    await browser.keys(' ');
    await (await browser.$(tid('study-grade-good'))).waitForDisplayed();
    await browser.keys('3');
    await browser.waitUntil(async () => (await dueCount(browser)) === agentsCount - 1, {
      timeout: 30_000,
      timeoutMsg: 'the agents due count did not drop after a review',
    });
    await browser.waitUntil(async () => (await cardId(browser)) !== firstId, { timeout: 30_000 });
    assert.equal(await (await browser.$(tid('study-card'))).getAttribute('data-area'), 'agents', 'the next card is agents too');
    assert.equal(Number(await agents.getAttribute('data-count')), agentsCount - 1, 'the deck button counts the review');
    await screenshot(browser, 'study-decks-01-agents');
    await assertNoErrors(browser, 'choosing a deck');

    // Arrow keys move between decks.
    await agents.click();
    await browser.keys('ArrowRight');
    const design = await deckGroup.$('[data-area="system-design"]');
    await browser.waitUntil(async () => (await design.getAttribute('aria-checked')) === 'true', {
      timeout: 5000,
      timeoutMsg: 'ArrowRight did not move to the system-design deck',
    });
    await browser.waitUntil(async () => (await (await browser.$(tid('study-card'))).getAttribute('data-area')) === 'system-design', {
      timeout: 30_000,
      timeoutMsg: 'the queue did not follow the system-design deck',
    });

    // From the Review screen, "/" goes to the search in the nav rail.
    await (await browser.$(tid('nav-review'))).click();
    await (await browser.$(tid('review-screen'))).waitForDisplayed();
    await browser.keys('/');
    await browser.waitUntil(async () => (await browser.execute(() => document.activeElement?.getAttribute('data-testid'))) === 'global-search', {
      timeout: 5000,
      timeoutMsg: '"/" on the Review screen did not focus the search',
    });
    const search = await browser.$(tid('global-search'));
    await search.setValue('cosine');
    const termHit = await browser.$(`${tid('global-search-hit')}[data-kind="glossary"]`);
    await termHit.waitForDisplayed({ timeout: 30_000, timeoutMsg: 'no glossary hit for "cosine"' });
    const kinds = await browser.execute(() =>
      Array.from(document.querySelectorAll('[data-testid="global-search-hit"]')).map((el) => el.getAttribute('data-kind')),
    );
    console.log(`"cosine" hits: ${JSON.stringify(kinds)}`);
    await screenshot(browser, 'study-decks-02-search-cosine');
    const termId = await termHit.getAttribute('data-id');
    await termHit.click();
    const term = await browser.$(tid('glossary-term'));
    await term.waitForDisplayed({ timeout: 30_000, timeoutMsg: `opening ${termId} showed no term` });
    assert.equal(await term.getAttribute('data-id'), termId);
    const termText = await term.getText();
    console.log(`term: ${termText.slice(0, 200)}`);
    assert.match(termText, /cosine/i, 'the term is named');
    const definition = await (await browser.$(tid('glossary-definition'))).getText();
    assert.ok(definition.length > 40, `the definition is shown: ${definition}`);
    assert.ok(await (await browser.$(tid('review-screen'))).isDisplayed(), 'the Review screen stays');
    await screenshot(browser, 'study-decks-03-glossary-term');
    await assertNoErrors(browser, 'opening a glossary term');

    // A prompt hit opens Practice with the prompt picked.
    await retype(browser, search, 'gateway');
    const promptHit = await browser.$(`${tid('global-search-hit')}[data-kind="prompt"]`);
    await promptHit.waitForDisplayed({ timeout: 30_000, timeoutMsg: 'no prompt hit for "gateway"' });
    const promptId = await promptHit.getAttribute('data-id');
    const promptTitle = await promptHit.$('.hit-title').getText();
    await screenshot(browser, 'study-decks-04-search-gateway');
    await promptHit.click();
    await (await browser.$(tid('practice-screen'))).waitForDisplayed();
    const option = await browser.$(`${tid('prompt-option')}[data-prompt-id="${promptId}"]`);
    await option.waitForDisplayed({ timeoutMsg: `prompt ${promptId} is not in the picker` });
    await browser.waitUntil(async () => (await option.getAttribute('aria-checked')) === 'true', {
      timeout: 5000,
      timeoutMsg: `prompt ${promptId} is not selected in Practice`,
    });
    assert.equal((await browser.$$(`${tid('prompt-option')}[aria-checked="true"]`)).length, 1, 'one prompt is selected');
    assert.equal(await (await browser.$(tid('glossary-term'))).isExisting(), false, 'the search panel closed');
    console.log(`prompt hit: ${promptId} (${promptTitle}) selected in Practice`);
    await screenshot(browser, 'study-decks-05-practice-prompt');

    // A card hit opens the card in Study.
    await retype(browser, search, 'prompt injection');
    const cardHit = await browser.$(`${tid('global-search-hit')}[data-kind="card"]`);
    await cardHit.waitForDisplayed({ timeout: 30_000, timeoutMsg: 'no card hit for "prompt injection"' });
    const hitCardId = await cardHit.getAttribute('data-id');
    await cardHit.click();
    await (await browser.$(tid('study-screen'))).waitForDisplayed();
    const opened = await browser.$(`${tid('study-card')}[data-card-id="${hitCardId}"]`);
    await opened.waitForDisplayed({ timeout: 30_000, timeoutMsg: `the card hit did not open ${hitCardId} in Study` });
    await (await opened.$(tid('study-answer'))).waitForDisplayed();
    await screenshot(browser, 'study-decks-06-card-from-search');
    await assertNoErrors(browser, 'after searching from the nav rail');
  });
});
