import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { hydrated, register, uniqueName } from './helpers';

// The demo module this test completes, item by item, as a learner would.
const MODULE = 'Linux Command Line for Defenders';

type SeedItem = {
  module: string;
  type: string;
  title: string;
  content: {
    labFlags?: string[];
    gameData?: { questions: { prompt: string; choices: string[]; correct: number[] }[] };
  };
};
const seed: SeedItem[] = JSON.parse(readFileSync(`${__dirname}/../../seed/content.json`, 'utf8')).items;
const items = seed.filter((i) => i.module === 'linux-command-line');

async function completed(page: Page, timeout = 10_000) {
  await expect(page.getByTestId('completion').getByRole('heading')).toHaveText('Completed ✓', { timeout });
}

async function next(page: Page) {
  await page.getByTestId('next').click();
  await hydrated(page);
}

/** Current time of the lesson video, in seconds. */
function videoTime(page: Page): Promise<number> {
  return page.getByTestId('video').evaluate((v: HTMLVideoElement) => v.currentTime);
}

test('a learner enrolls, resumes a video, reads with a bookmark, solves labs and a quiz, and completes the module', async ({
  page,
  browser,
}) => {
  test.setTimeout(300_000);
  await register(page, uniqueName('learner'));

  // Catalog → module page → enroll.
  await page.getByRole('link', { name: MODULE }).click();
  await expect(page.getByRole('heading', { level: 1, name: MODULE })).toBeVisible();
  await hydrated(page);
  await page.getByRole('button', { name: 'Enroll' }).click();
  await expect(page.getByTestId('enrollment-status')).toHaveText('You are enrolled.');
  await page.getByTestId('continue').click();

  // Video: watch part at double speed, leave, come back to the same place.
  await expect(page.getByTestId('player')).toHaveAttribute('data-kind', 'video');
  await hydrated(page);
  await page.getByRole('button', { name: '2×' }).click();
  const video = page.getByTestId('video');
  await video.evaluate((v: HTMLVideoElement) => {
    v.muted = true;
    return v.play();
  });
  await expect.poll(() => videoTime(page), { timeout: 40_000 }).toBeGreaterThan(30);
  // Leave for the module page (leaving sends what was watched), then come back.
  await page.getByRole('link', { name: MODULE, exact: true }).click();
  await expect(page.getByTestId('enrollment-status')).toBeVisible();
  await page.getByTestId('continue').click();
  await expect(page.getByTestId('player')).toHaveAttribute('data-kind', 'video');
  await hydrated(page);
  const resumedAt = Number(await video.getAttribute('data-start'));
  expect(resumedAt).toBeGreaterThan(25);
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState)).toBeGreaterThan(0);
  expect(Math.abs((await videoTime(page)) - resumedAt)).toBeLessThan(2);

  // Watch on to the end: completion needs 90% of the video, measured by the server.
  await page.getByRole('button', { name: '2×' }).click();
  await video.evaluate((v: HTMLVideoElement) => {
    v.muted = true;
    v.currentTime = 0;
    return v.play();
  });
  await completed(page, 90_000);
  // The first completion unlocks the demo's "First Steps" achievement.
  const toast = page.getByTestId('achievement-toast');
  await expect(toast).toContainText('First Steps');
  await expect(toast).toContainText('+25 points');
  await page.screenshot({ path: 'end2end/screenshots/player-video.png', fullPage: true });
  await toast.getByRole('button', { name: 'Dismiss First Steps' }).click();
  await expect(toast).toHaveCount(0);

  // Document: read each section for a few seconds, bookmark one with a note.
  await next(page);
  await expect(page.getByTestId('player')).toHaveAttribute('data-kind', 'document');
  await page.getByLabel(/Note on section 1/).fill('Octal permissions: remember 750');
  await page.getByRole('button', { name: 'Bookmark this section' }).click();
  await expect(page.getByTestId('bookmark')).toContainText('remember 750');
  while (await page.getByTestId('next-section').isVisible()) {
    await page.waitForTimeout(6_000);
    await page.getByTestId('next-section').click();
  }
  await page.waitForTimeout(6_000);
  // Jumping to the bookmark credits the last section.
  await page.getByTestId('bookmark').getByRole('link').click();
  await expect(page.getByTestId('doc-section')).toHaveAttribute('data-section', '1');
  await completed(page, 20_000);
  await page.screenshot({ path: 'end2end/screenshots/player-document.png', fullPage: true });

  // First lab: a hint, a wrong answer, then the flag.
  await next(page);
  const labs = items.filter((i) => i.type === 'lab');
  await page.getByRole('button', { name: /Reveal hint 1 of/ }).click();
  await expect(page.getByTestId('hint')).toHaveCount(1);
  await page.getByTestId('lab-answer').fill('FLAG{not-it}');
  await page.getByRole('button', { name: 'Check' }).click();
  await expect(page.getByTestId('lab-result')).toHaveText('Not quite. Check your work and try again.');
  await page.getByTestId('lab-answer').fill(labs[0].content.labFlags![0]);
  await page.getByRole('button', { name: 'Check' }).click();
  await expect(page.getByTestId('lab-result')).toHaveText('Correct! Lab solved.');
  await expect(page.getByTestId('solution')).toBeAttached();
  await page.screenshot({ path: 'end2end/screenshots/player-lab.png', fullPage: true });
  await completed(page);

  // Second lab, reached with the keyboard shortcut (n = next).
  await page.getByRole('button', { name: 'Check' }).focus();
  await page.keyboard.press('n');
  await expect(page.getByRole('heading', { level: 1, name: labs[1].title })).toBeVisible();
  await hydrated(page);
  await page.getByTestId('lab-answer').fill(labs[1].content.labFlags![0]);
  await page.getByRole('button', { name: 'Check' }).click();
  await completed(page);

  // Quiz: answer from the key, graded on the server.
  await next(page);
  const quiz = items.find((i) => i.type === 'game')!.content.gameData!;
  for (const [i, q] of quiz.questions.entries()) {
    const question = page.getByTestId('question').nth(i);
    for (const c of q.correct) await question.getByLabel(q.choices[c], { exact: true }).check();
  }
  await page.getByRole('button', { name: 'Submit' }).click();
  await expect(page.getByTestId('game-result')).toHaveAttribute('data-passed', 'true');
  await expect(page.getByTestId('celebration')).toContainText('Module complete!');
  await expect(page.getByTestId('celebration').getByTestId('certificate-link')).toBeVisible();
  await page.screenshot({ path: 'end2end/screenshots/player-quiz.png', fullPage: true });

  // The module page agrees.
  await page.getByRole('link', { name: 'See the module' }).click();
  await expect(page.getByTestId('enrollment-status')).toContainText('Completed');
  await expect(page.locator('[data-testid="syllabus-item"][data-completed="true"]')).toHaveCount(items.length);

  // The header counts the new achievements; the gallery shows them and clears the count.
  await expect(page.getByTestId('unread-achievements')).toBeVisible();
  const markedSeen = page.waitForResponse((r) => r.url().includes('/api/achievements/seen'));
  await page.getByRole('link', { name: /^Achievements/ }).click();
  await expect(page.getByTestId('earned-count')).toContainText('earned');
  await markedSeen;
  // First Steps and Command Line Convert (this module, as a beginner) at least.
  const earned = page.locator('[data-testid="achievement"][data-earned="true"]');
  await expect(earned.nth(1)).toBeVisible();
  await expect(page.locator('[data-testid="achievement"][data-masked="true"]').first()).toContainText('Hidden achievement');
  await page.screenshot({ path: 'end2end/screenshots/achievements.png', fullPage: true });

  // The dashboard shows the points, the level and the completed module; the badge is gone.
  await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
  await expect(page.getByTestId('unread-achievements')).toHaveCount(0);
  await expect(page.getByTestId('points')).toContainText('points');
  await expect(page.getByTestId('dashboard-module').first()).toContainText(MODULE);
  await expect(page.getByTestId('study-chart')).toBeVisible();
  await page.screenshot({ path: 'end2end/screenshots/dashboard.png', fullPage: true });

  // The leaderboard always shows the learner's own rank.
  await page.getByRole('link', { name: 'Leaderboard', exact: true }).click();
  await expect(page.getByTestId('my-rank')).toContainText('Your rank: #');
  await expect(page.locator('[data-testid="leaderboard-row"][data-me="true"]')).toHaveCount(1);
  await page.screenshot({ path: 'end2end/screenshots/leaderboard.png', fullPage: true });

  // The learner's name on the board opens their public profile, which lists the certificate.
  await page.locator('[data-testid="leaderboard-row"][data-me="true"]').getByRole('link').click();
  await expect(page.getByTestId('profile-name')).toBeVisible();
  await page.screenshot({ path: 'end2end/screenshots/profile.png', fullPage: true });
  await page.getByTestId('profile-certificate').getByRole('link', { name: MODULE }).click();

  // Anyone can verify it: a signed-out visitor sees it, its preview and its PDF.
  await expect(page.getByTestId('certificate-verified')).toContainText('Verified certificate');
  const visitor = await browser.newPage();
  await visitor.goto(page.url());
  await expect(visitor.getByTestId('certificate-verified')).toContainText(MODULE);
  const preview = visitor.getByRole('img', { name: /Certificate of completion/ });
  await expect(preview).toBeVisible();
  expect(await preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  const pdfHref = await visitor.getByRole('link', { name: 'Download PDF' }).getAttribute('href');
  const pdf = await visitor.request.get(pdfHref!);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
  await visitor.screenshot({ path: 'end2end/screenshots/certificate.png', fullPage: true });
  await visitor.close();
});

test('content stays locked until the items before it are completed, and says what unlocks it', async ({ page }) => {
  await register(page, uniqueName('gated'));
  await page.getByRole('link', { name: MODULE }).click();
  // The module page's code loads on first use: wait for the navigation itself.
  await expect(page).toHaveURL(/\/modules\/[0-9a-f]{24}$/);
  await hydrated(page);
  const moduleId = new URL(page.url()).pathname.split('/')[2];
  const lastId = await page.getByTestId('syllabus-item').last().getAttribute('data-id');

  // Before enrolling nothing opens.
  await page.goto(`/learn/${moduleId}/${lastId}`);
  await expect(page.getByTestId('content-locked')).toContainText(`Enroll in “${MODULE}”`);

  await page.goto(`/modules/${moduleId}`);
  await hydrated(page);
  await page.getByRole('button', { name: 'Enroll' }).click();
  await expect(page.getByTestId('enrollment-status')).toHaveText('You are enrolled.');
  await expect(page.locator('[data-testid="syllabus-item"][data-locked="true"]')).toHaveCount(items.length - 1);

  // A locked item opened by its address names every item to complete first.
  await page.goto(`/learn/${moduleId}/${lastId}`);
  const locked = page.getByTestId('content-locked');
  await expect(locked).toContainText(`Complete “${items[0].title}”`);
  await expect(locked).toContainText(`“${items[items.length - 2].title}” first.`);
});

test('without JavaScript a learner can enroll, open the player, pause and resume through plain forms', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const name = uniqueName('nojs');
  await page.goto('/register');
  await page.getByLabel('Username').fill(name);
  await page.getByLabel('Email').fill(`${name}@example.com`);
  await page.locator('#password').fill('a long and unusual passphrase');
  await page.getByLabel('Password again').fill('a long and unusual passphrase');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/catalog$/);

  await page.getByRole('link', { name: MODULE }).click();
  await page.getByRole('button', { name: 'Enroll' }).click();
  await expect(page.getByTestId('enrollment-status')).toHaveText('You are enrolled.');
  await page.getByTestId('continue').click();
  await expect(page.getByTestId('player')).toHaveAttribute('data-kind', 'video');
  await expect(page.locator('video track[kind="captions"]')).toHaveCount(1);

  // Pause the module, then resume it, with plain posts.
  await page.getByRole('link', { name: MODULE, exact: true }).click();
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('enrollment-status')).toContainText('Paused');
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByTestId('enrollment-status')).toHaveText('You are enrolled.');
  await context.close();
});
