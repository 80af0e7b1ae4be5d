// End to end: the LLM interviewer's follow-up forms on screen while the model writes it.
// The real app is pointed at the loopback Qwen2.5-Coder-1.5B server that scripts/test.sh starts
// (REHEARSE_LLM_QWEN_URL, REHEARSE_LLM_QWEN_MODEL; `start_qwen_server` in scripts/lib/llm.sh),
// through the same REHEARSE_LLM_* variables a user can set. Speech goes into the virtual
// microphone; at the pause the question streams into the Practice screen as a draft, and the
// validated turn replaces it (or, if the model fails, the draft goes and a notice says the
// offline interviewer answered). Asserts on behaviour, never on the model's wording.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { APP_READY_MS, assertNoErrors, errorBanners, screenshot, setUpAppTests, speak, tid, withApp } from './lib/app.mjs';

const QWEN_URL = process.env.REHEARSE_LLM_QWEN_URL;
const QWEN_MODEL = process.env.REHEARSE_LLM_QWEN_MODEL;
// Prompt evaluation on one thread of a loaded 2-core machine: the first token can take a minute.
const DRAFT_MS = 180_000;

const SPEECH =
  'We serve employees asking about internal policies, about fifty queries per second at peak. ' +
  'We split every page into chunks of five hundred tokens, embed them and keep them in a vector store. ' +
  'Retrieval takes the top five chunks and the model answers with citations.';

setUpAppTests();

test('the LLM follow-up streams in as a draft, then becomes the turn', async () => {
  assert.ok(QWEN_URL && QWEN_MODEL, 'REHEARSE_LLM_QWEN_URL and REHEARSE_LLM_QWEN_MODEL are not set: run bash scripts/test.sh');
  const env = { REHEARSE_LLM_URL: QWEN_URL, REHEARSE_LLM_MODEL: QWEN_MODEL, REHEARSE_LLM_TIMEOUT_S: '240' };
  await withApp(
    'llm-draft',
    async (browser) => {
      await (await browser.$(tid('practice-screen'))).waitForDisplayed({ timeout: APP_READY_MS });
      const prompt = await browser.$(`${tid('prompt-option')}[data-prompt-id="doc-qa-10k"]`);
      await prompt.waitForDisplayed();
      await prompt.click();
      const start = await browser.$(tid('start-button'));
      await start.waitForEnabled({ timeout: APP_READY_MS });
      await start.click();
      await (await browser.$(tid('stop-button'))).waitForDisplayed({ timeout: APP_READY_MS });
      await sleep(1500);
      await speak(SPEECH);

      // Watch the pane: every distinct draft text, until a turn is shown.
      const drafts = [];
      let shot = false;
      let seen = { draft: null, turns: [], notices: [] };
      const started = Date.now();
      while (Date.now() - started < DRAFT_MS) {
        seen = await browser.execute(() => ({
          draft: document.querySelector('[data-testid="interviewer-draft"] .turn-text')?.textContent ?? null,
          turns: Array.from(document.querySelectorAll('[data-testid="turn-item"] .turn-text')).map((el) => el.textContent),
          notices: Array.from(document.querySelectorAll('[data-testid="notice"]')).map((el) => el.textContent),
        }));
        if (seen.draft && seen.draft !== drafts[drafts.length - 1]) drafts.push(seen.draft);
        if (!shot && seen.draft && seen.draft.split(/\s+/).length >= 6) {
          // The draft brought itself into view; the screenshot must show it.
          const inView = await browser.execute(() => {
            const r = document.querySelector('[data-testid="interviewer-draft"]')?.getBoundingClientRect();
            return Boolean(r && r.top >= 0 && r.bottom <= window.innerHeight);
          });
          assert.ok(inView, 'the forming question is not in view');
          await screenshot(browser, 'llm-01-draft-forming');
          shot = true;
        }
        if (seen.turns.length > 0) break;
        await sleep(150);
      }
      console.log(`drafts seen: ${drafts.length}; last: ${JSON.stringify(drafts[drafts.length - 1])}`);
      console.log(`turns: ${JSON.stringify(seen.turns)}; notices: ${JSON.stringify(seen.notices)}`);
      assert.ok(seen.turns.length > 0, `no interviewer turn within ${DRAFT_MS} ms; errors: ${JSON.stringify(await errorBanners(browser))}`);
      assert.ok(drafts.length >= 2, `the question did not form on screen (drafts: ${JSON.stringify(drafts)})`);
      for (let i = 1; i < drafts.length; i++) {
        assert.ok(drafts[i].startsWith(drafts[i - 1]), `a draft did not grow: ${JSON.stringify(drafts[i - 1])} -> ${JSON.stringify(drafts[i])}`);
      }
      // The draft is gone once the turn is shown.
      assert.equal(await (await browser.$(tid('interviewer-draft'))).isExisting(), false, 'the draft stayed after the turn');
      const fellBack = seen.notices.some((n) => n.includes('the offline interviewer answered'));
      if (!fellBack) {
        // The turn is what the draft had become.
        const last = drafts[drafts.length - 1].trim();
        assert.equal(seen.turns[0].trim(), last, 'the turn is not the draft it replaced');
      }
      await browser.execute(() => {
        const turns = document.querySelectorAll('[data-testid="turn-item"]');
        turns[turns.length - 1]?.scrollIntoView({ block: 'nearest' });
      });
      await screenshot(browser, 'llm-02-turn');
      await assertNoErrors(browser, 'after the LLM turn');
    },
    { env },
  );
});
