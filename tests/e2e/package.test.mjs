// The installed .deb: the binary apt put in /usr/bin starts, opens its window (seen by the X
// server, not only by WebDriver) and shows its first screen from the UI embedded in the binary.
//
// Run by scripts/lib/package.sh (test_deb_package) after `apt-get install ./rehearse_*.deb`,
// with REHEARSE_PACKAGE_TEST=1 and REHEARSE_APP_BINARY=/usr/bin/rehearse-desktop. Skipped in
// the ordinary E2E run, which tests the development build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import { APP, APP_READY_MS, assertNoErrors, screenshot, setUpAppTests, tid, withApp } from './lib/app.mjs';

const PACKAGE_TEST = process.env.REHEARSE_PACKAGE_TEST === '1';
const WINDOW_TITLE = 'Rehearse';

/** The ids of running processes whose executable is `binary`. */
function processesOf(binary) {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/exe`) === binary) pids.push(Number(entry));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return pids;
}

/** The names of the top-level windows the X server knows (xwininfo prints them quoted). */
function xWindowNames() {
  const tree = execFileSync('xwininfo', ['-root', '-tree'], { encoding: 'utf8' });
  return [...tree.matchAll(/^\s+0x[0-9a-f]+ "([^"]*)"/gm)].map((m) => m[1]);
}

if (PACKAGE_TEST) setUpAppTests();

test(
  'the installed package starts and shows its window and first screen',
  { skip: !PACKAGE_TEST && 'run by scripts/lib/package.sh against the installed .deb' },
  async () => {
    assert.ok(APP.startsWith('/usr/bin/'), `REHEARSE_APP_BINARY should be the installed binary, not ${APP}`);
    await withApp('package', async (browser) => {
      // The first screen: Practice (or onboarding, on a first start that has it).
      const first = await browser.$(`${tid('practice-screen')}, [data-testid^="onboarding"]`);
      await first.waitForDisplayed({ timeout: APP_READY_MS });
      const screen = await first.getAttribute('data-testid');
      console.log(`first screen: ${screen}`);
      if (screen === 'practice-screen') {
        // app_status answered (the command is granted): the model line settles.
        await browser.$(tid('model-status')).waitForDisplayed({ timeout: APP_READY_MS });
      }
      await screenshot(browser, 'package-01-first-screen');
      await assertNoErrors(browser, 'on the first screen of the installed app');

      assert.equal(await browser.getTitle(), WINDOW_TITLE, 'the page title');
      // Served from the binary (custom protocol), not from a development server.
      const url = await browser.getUrl();
      assert.ok(!url.startsWith('http://localhost:1420'), `the installed app loads the dev server: ${url}`);
      console.log(`page url: ${url}`);

      // The process WebKitWebDriver started is the binary apt installed.
      const pids = processesOf(APP);
      assert.ok(pids.length > 0, `no running process executes ${APP}`);
      // And its native window is on the X display under the configured title.
      const names = xWindowNames();
      assert.ok(names.includes(WINDOW_TITLE), `no X window titled "${WINDOW_TITLE}" (windows: ${names.join(', ')})`);

      if (screen === 'practice-screen') {
        // The UI reached the engine: the prompts the package embeds are listed.
        const prompts = await browser.$$(tid('prompt-option'));
        assert.ok(prompts.length > 0, 'the Practice screen lists the prompts embedded in the package');
      }
    });
  },
);
