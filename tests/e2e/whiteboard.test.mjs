// End to end: the whiteboard in the real app. Components and arrows go onto the Excalidraw
// board (its API, exposed as window.__rehearseBoard, plus a click in the component library),
// the candidate speaks a design whose vector store has no redundancy, and the interviewer's
// follow-up names that component by its label. Then the board in Review, exports on disk, and
// the offline rules: nothing requested outside the app, a network fetch refused.
//
// Environment as practice.test.mjs; XDG_DATA_HOME must be set (the exports are looked up there).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { APP_READY_MS, SHOT_DIR, assertNoErrors, errorBanners, screenshot, setUpAppTests, speak, tid, withApp } from './lib/app.mjs';

const PROMPT_ID = 'doc-qa-10k';
const FOLLOW_UP_MS = 120_000;
const SCORECARD_MS = 120_000;
// A label that is not the kind's own name: the follow-up must read the board to say it.
const VECTOR_LABEL = 'Chunk vectors';
// The design leans on the one vector store and says nothing of replicas, backups or failover;
// it names a trade-off, so that the interviewer's first question is not about trade-offs.
const SPEECH = [
  'Employees send their question to the API service. The API service embeds the question, ' +
    'looks up the closest chunks in the chunk vectors store, and passes them to the language model, ' +
    'which writes the answer with citations. The trade off is memory versus recall: ' +
    'I use vector search instead of keyword search.',
  // Spoken only when the first pause brought another follow-up first (the interviewer asks one
  // thing at a time, with a cooldown between).
  'Documents are split into chunks of about five hundred tokens when they are added, ' +
    'and their embeddings are written to the chunk vectors store as well.',
];

setUpAppTests();

/** Requests the page made that do not stay inside the app (resource timing and CSP reports). */
async function outsideRequests(browser) {
  return browser.execute(() => {
    const own = (url) =>
      url.startsWith(window.location.origin) ||
      url.startsWith('ipc:') ||
      url.startsWith('http://ipc.localhost') ||
      url.startsWith('data:') ||
      url.startsWith('blob:');
    const fetched = performance.getEntriesByType('resource').map((e) => e.name);
    return {
      origin: window.location.origin,
      fetched: fetched.length,
      fonts: fetched.filter((u) => u.includes('/fonts/')).length,
      outside: fetched.filter((u) => !own(u)),
      csp: window.__cspViolations ?? ['(no CSP recorder: ui/src/main.tsx)'],
    };
  });
}

/** WebKit paints a moment after the DOM changes: a screenshot taken at once shows the frame before. */
const settle = () => sleep(1000);

function board(browser, fn, ...args) {
  return browser.execute(fn, ...args);
}

test('draw a design, hear a follow-up about its single point of failure, see it in Review', async () => {
  const dataHome = process.env.XDG_DATA_HOME;
  assert.ok(dataHome, 'set XDG_DATA_HOME to a fresh folder (scripts/test.sh does)');

  await withApp('whiteboard', async (browser) => {
    await (await browser.$(tid('practice-screen'))).waitForDisplayed({ timeout: APP_READY_MS });
    const status = await browser.$(tid('model-status'));
    await status.waitForDisplayed({ timeout: APP_READY_MS });
    assert.equal(await status.getAttribute('data-ready'), 'true', 'the speech model is ready');

    const prompt = await browser.$(`${tid('prompt-option')}[data-prompt-id="${PROMPT_ID}"]`);
    await prompt.waitForDisplayed();
    await prompt.click();

    // The board loads (a lazy chunk) with the component library from the engine.
    await browser.waitUntil(() => browser.execute(() => Boolean(window.__rehearseBoard)), {
      timeout: 30_000,
      timeoutMsg: 'the whiteboard never loaded (no window.__rehearseBoard)',
    });
    await (await browser.$(tid('palette-vector_store'))).waitForDisplayed({ timeout: 30_000 });

    // Client -> API service -> vector store, and the LLM, with arrows, through Excalidraw's API.
    const ids = await board(browser, (vectorLabel) => {
      const b = window.__rehearseBoard;
      const client = b.addComponent('client', 'Employees', { x: 120, y: 160 });
      const api = b.addComponent('service', 'API service', { x: 420, y: 160 });
      const vectors = b.addComponent('vector_store', vectorLabel, { x: 720, y: 160 });
      const llm = b.addComponent('llm', 'LLM', { x: 420, y: 400 });
      b.connect(client, api, 'question');
      b.connect(api, vectors, 'top-k chunks');
      b.connect(api, llm);
      b.api.scrollToContent(undefined, { fitToContent: true });
      return { client, api, vectors, llm };
    }, VECTOR_LABEL);
    // And one from the library, as a candidate would: a click adds it in view.
    await (await browser.$(tid('palette-monitoring'))).click();
    const scene = await board(browser, () => JSON.parse(window.__rehearseBoard.sceneJson()));
    const live = scene.elements.filter((e) => !e.isDeleted);
    const typed = Object.fromEntries(live.filter((e) => e.customData?.rehearseType).map((e) => [e.id, e.customData.rehearseType]));
    assert.equal(typed[ids.vectors], 'vector_store', 'the vector store carries its type');
    assert.ok(Object.values(typed).includes('monitoring'), 'the library click added a typed monitoring shape');
    const arrows = live.filter((e) => e.type === 'arrow');
    assert.equal(arrows.length, 3, 'three arrows');
    assert.ok(
      arrows.some((a) => a.startBinding?.elementId === ids.api && a.endBinding?.elementId === ids.vectors),
      'an arrow is bound from the API service to the vector store',
    );
    // originalText: `text` holds the label as wrapped to fit its shape.
    const labels = live.filter((e) => e.type === 'text').map((e) => e.originalText ?? e.text);
    assert.ok(labels.includes(VECTOR_LABEL), `the label "${VECTOR_LABEL}" is on the board`);
    // A real scene from the app, for crates/board's fixtures (copied there by hand when it changes).
    writeFileSync(path.join(SHOT_DIR, 'app-doc-qa-board.excalidraw'), JSON.stringify(scene, null, 2));

    // Bundled fonts: Excalidraw's hand-drawn font is loaded, from the app itself.
    await browser.waitUntil(
      () => browser.execute(() => [...document.fonts].some((f) => /Excalifont|Virgil/.test(f.family) && f.status === 'loaded')),
      { timeout: 20_000, timeoutMsg: 'Excalidraw\'s font never loaded (fonts not bundled?)' },
    );
    await screenshot(browser, 'wb-01-board');
    await assertNoErrors(browser, 'after drawing');

    // Under the board, what the interviewer reads from it: the engine's graph, kept current.
    const reading = await browser.$(tid('board-reading'));
    await reading.waitForExist({ timeout: 5000, timeoutMsg: 'no "What the interviewer sees" list under the board' });
    await browser.execute(() => {
      const d = document.querySelector('[data-testid="board-reading"]');
      if (d) d.open = true;
    });
    await browser.waitUntil(
      async () => {
        const nodes = await browser.execute(() =>
          Array.from(document.querySelectorAll('[data-testid="board-reading-node"]')).map((el) => el.textContent ?? ''),
        );
        return nodes.some((t) => t.includes(VECTOR_LABEL));
      },
      { timeout: 10_000, timeoutMsg: `the interviewer's reading never listed "${VECTOR_LABEL}"` },
    );
    const edges = await browser.execute(() => document.querySelectorAll('[data-testid="board-reading-edge"]').length);
    assert.equal(edges, 3, 'the reading lists the three arrows');
    await reading.scrollIntoView();
    await screenshot(browser, 'wb-01b-what-the-interviewer-sees');

    // Excalidraw's shortcuts work on the board, and the app's own (`/` focuses search) keep out.
    await (await browser.$(tid('board-canvas'))).click({ x: 0, y: 120 });
    const tool = () => browser.execute(() => window.__rehearseBoard.api.getAppState().activeTool.type);
    await browser.keys(['r']);
    assert.equal(await tool(), 'rectangle', '"r" picks the rectangle tool on the board');
    await browser.keys(['/']);
    const focused = await browser.execute(() => document.activeElement?.closest('.excalidraw') !== null);
    assert.ok(focused, '"/" on the board leaves the focus on the board (not the search box)');
    await browser.keys(['Escape']);
    await browser.keys(['v']);
    assert.equal(await tool(), 'selection', '"v" is back to the selection tool');

    // Start (the board drawn before Start goes to the session), then talk and pause.
    const start = await browser.$(tid('start-button'));
    await start.waitForEnabled({ timeout: APP_READY_MS });
    await start.click();
    const stop = await browser.$(tid('stop-button'));
    await stop.waitForDisplayed({ timeout: APP_READY_MS, timeoutMsg: 'recording did not start' });
    await sleep(1500);
    await speak(SPEECH[0]);
    // A change while live reaches the engine too (debounced): an answer cache beside the API.
    await board(browser, (apiId) => {
      const b = window.__rehearseBoard;
      const cache = b.addComponent('cache', 'Answer cache', { x: 120, y: 400 });
      b.connect(apiId, cache);
    }, ids.api);
    await sleep(4000);

    let turns = [];
    const namesLabel = (t) => t.toLowerCase().includes(VECTOR_LABEL.toLowerCase());
    const waitForProbe = (timeout) =>
      browser
        .waitUntil(
          async () => {
            turns = await browser.execute(() =>
              Array.from(document.querySelectorAll('[data-testid="turn-item"]')).map((el) => el.textContent ?? ''),
            );
            return turns.some(namesLabel);
          },
          { timeout, interval: 1000 },
        )
        .then(() => true, () => false);
    let found = await waitForProbe(FOLLOW_UP_MS / 2);
    if (!found) {
      await speak(SPEECH[1]);
      await sleep(3000);
      found = await waitForProbe(FOLLOW_UP_MS / 2);
    }
    if (!found) {
      await screenshot(browser, 'wb-02-no-follow-up');
      assert.fail(
        `no follow-up naming "${VECTOR_LABEL}" within ${FOLLOW_UP_MS} ms; turns: ${JSON.stringify(turns)}; ` +
          `errors: ${JSON.stringify(await errorBanners(browser))}`,
      );
    }
    console.log(`follow-up: ${turns.find(namesLabel)}`);
    await browser.execute((label) => {
      const turn = Array.from(document.querySelectorAll('[data-testid="turn-item"]')).find((el) =>
        (el.textContent ?? '').toLowerCase().includes(label),
      );
      turn?.scrollIntoView({ block: 'center' });
    }, VECTOR_LABEL.toLowerCase());
    await settle();
    await screenshot(browser, 'wb-02-follow-up');

    // Export the live board as PNG: a real PNG file in the data folder's exports/.
    await (await browser.$(tid('board-export-png'))).click();
    const pngResult = await browser.$(tid('board-export-result'));
    await pngResult.waitForDisplayed({ timeout: 30_000 });
    const pngPath = (await pngResult.getAttribute('title')).replace(/^Saved /, '');
    assert.ok(pngPath.startsWith(path.join(dataHome, 'rehearse', 'exports')), `PNG saved into exports/: ${pngPath}`);
    assert.deepEqual([...readFileSync(pngPath).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], 'the export is a PNG');

    // Full screen and back.
    await (await browser.$(tid('board-fullscreen'))).click();
    await settle();
    assert.equal(
      await browser.execute(() => document.querySelector('[data-testid="board-pane"]').getBoundingClientRect().width),
      await browser.execute(() => window.innerWidth),
      'full screen: the board spans the window',
    );
    await screenshot(browser, 'wb-03-full-screen');
    await (await browser.$(tid('board-fullscreen'))).click();
    await assertNoErrors(browser, 'while live');

    await stop.click();
    await (await browser.$(tid('scorecard'))).waitForDisplayed({ timeout: SCORECARD_MS, timeoutMsg: 'no scorecard after Stop' });

    // Review: the stored board, with the vector store on it; its final board exports as SVG.
    await (await browser.$(tid('nav-review'))).click();
    const row = await browser.$(`${tid('session-row')}[data-prompt-id="${PROMPT_ID}"]`);
    await row.waitForDisplayed({ timeout: 30_000, timeoutMsg: 'no session row in Review' });
    await row.click();
    const boardImage = await browser.$(`${tid('board-at-time-image')} svg`);
    await boardImage.waitForExist({ timeout: 30_000, timeoutMsg: 'Review shows no board' });
    const svgText = await browser.execute(() => document.querySelector('[data-testid="board-at-time-image"] svg')?.textContent ?? '');
    assert.ok(svgText.includes(VECTOR_LABEL), `the stored board shows "${VECTOR_LABEL}": ${svgText.slice(0, 200)}`);
    await browser.execute(() => document.querySelector('[data-testid="board-at-time"]')?.scrollIntoView({ block: 'start' }));
    await settle();
    await screenshot(browser, 'wb-04-review-board');
    await (await browser.$(tid('review-board-export-svg'))).click();
    const svgResult = await browser.$(tid('board-at-time-export-result'));
    await svgResult.waitForDisplayed({ timeout: 30_000 });
    const svgPath = (await svgResult.getAttribute('title')).replace(/^Saved /, '');
    assert.ok(existsSync(svgPath), `the SVG export exists: ${svgPath}`);
    const svgFile = readFileSync(svgPath, 'utf8');
    assert.match(svgFile, /<svg/, 'the export is an SVG');
    assert.ok(svgFile.includes(VECTOR_LABEL), 'the SVG export has the labels as text');
    assert.doesNotMatch(svgFile, /url\(\s*["']?https?:/, 'the SVG export points at nothing on the network');
    await assertNoErrors(browser, 'in Review');

    // Offline: nothing was requested outside the app, and a network fetch is refused.
    const requests = await outsideRequests(browser);
    console.log(`requests: ${JSON.stringify(requests)}`);
    assert.deepEqual(requests.outside, [], `the webview requested something outside ${requests.origin}`);
    assert.deepEqual(requests.csp, [], 'no Content-Security-Policy violation');
    const refused = await browser.execute(() =>
      fetch('https://example.com/').then(
        (r) => `fetched: HTTP ${r.status}`,
        (e) => `refused: ${e}`,
      ),
    );
    assert.match(refused, /^refused/, `a fetch of https://example.com must be refused, got ${refused}`);
  });
});
