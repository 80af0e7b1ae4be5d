// End to end: the Study screen of the real Rehearse binary in a real WebKitGTK webview, driven
// over WebDriver through tauri-driver. Reviews cards by keyboard and searches the cards.
//
// Needs (see README.md): REHEARSE_APP_BINARY (a `tauri build --debug --no-bundle` binary),
// tauri-driver and WebKitWebDriver, an X display (xvfb-run) and a fresh XDG_DATA_HOME (so
// that every card is new). Optional: REHEARSE_SCREENSHOT_DIR (default tests/e2e/screenshots),
// TAURI_DRIVER (path).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { APP_READY_MS, assertNoErrors, screenshot, setUpAppTests, tid, withApp } from './lib/app.mjs';

const REVIEWS = 3;

setUpAppTests();

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
