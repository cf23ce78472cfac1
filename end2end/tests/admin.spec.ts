import { expect, test, type Page } from '@playwright/test';
import { hydrated, register, signIn, uniqueName } from './helpers';

// The approval of a pending administrator is covered in account.spec.ts; this
// test picks up with an active administrator building a module.
const PHASE = 'Foundations';

// A missing control fails in seconds rather than at the test's time limit.
test.use({ actionTimeout: 15_000 });

/** The rows of a module's content list, top to bottom. */
function contentRows(page: Page) {
  return page.getByTestId('admin-content');
}

test('an administrator builds a module with a quiz, reorders it, a student passes it, and the audit log and analytics show it', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const adminUser = process.env.E2E_ADMIN_USER!;
  const adminPassword = process.env.E2E_ADMIN_PASSWORD!;
  expect(adminUser, 'scripts/test.sh creates the first administrator').toBeTruthy();

  const moduleTitle = uniqueName('Packet Basics');
  const quizTitle = `Quiz: ${moduleTitle}`;
  const docTitle = `Reading: ${moduleTitle}`;
  const question = 'Which port does HTTPS use by default?';
  const [right, wrong] = ['443', '80'];

  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, adminUser, adminPassword);
  await expect(admin).toHaveURL(/\/catalog$/);
  await admin.getByRole('link', { name: 'Admin', exact: true }).click();
  await expect(admin.getByRole('heading', { level: 1, name: 'Administration' })).toBeVisible();
  await admin.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Catalog' }).click();
  await expect(admin).toHaveURL(/\/admin\/catalog$/);
  await hydrated(admin);

  // A new module in the demo phase Foundations.
  const phase = admin.getByTestId('admin-phase').filter({ has: admin.getByRole('heading', { name: PHASE, exact: true }) });
  await phase.getByRole('link', { name: 'Add a module to this phase' }).click();
  await expect(admin).toHaveURL(/\/admin\/modules\/new\?phase=[0-9a-f]{24}$/);
  await expect(admin.getByRole('heading', { level: 1, name: 'New module' })).toBeVisible();
  await hydrated(admin);
  await expect(admin.getByLabel('Phase', { exact: true }).locator('option:checked')).toHaveText(PHASE);
  await admin.getByRole('textbox', { name: 'Title', exact: true }).fill(moduleTitle);
  await admin.getByLabel('Short description', { exact: true }).fill('Ports, packets and the handshake in one sitting.');
  await admin.getByRole('textbox', { name: 'Description', exact: true }).fill('A short module built by the end-to-end test: one reading and one quiz.');
  await admin.getByLabel('Difficulty', { exact: true }).selectOption('beginner');
  await admin.getByLabel('Estimated minutes', { exact: true }).fill('15');
  // Learners may open the items in any order (the quiz without reading first).
  await admin.getByLabel('Content in order', { exact: true }).selectOption('false');
  await admin.getByRole('button', { name: 'Save module' }).click();
  await expect(admin).toHaveURL(/\/admin\/catalog$/);
  await hydrated(admin);
  const moduleRow = phase.getByTestId('admin-module').filter({ hasText: moduleTitle });
  await expect(moduleRow).toHaveCount(1);
  await expect(moduleRow).toHaveAttribute('data-active', 'true');
  await expect(moduleRow).toContainText('Beginner · 0 items');
  await admin.screenshot({ path: 'end2end/screenshots/admin-catalog.png', fullPage: true });

  // Its content: a quiz first.
  await moduleRow.getByRole('link', { name: `Content of “${moduleTitle}”` }).click();
  await expect(admin).toHaveURL(/\/admin\/modules\/[0-9a-f]{24}\/content$/);
  const contentUrl = admin.url();
  await expect(admin.getByRole('heading', { level: 1, name: `Content of “${moduleTitle}”` })).toBeVisible();
  await expect(admin.getByText('No content yet. Add the first item above.')).toBeVisible();
  await hydrated(admin);
  await admin.getByRole('navigation', { name: 'Add content' }).getByRole('link', { name: 'Add quiz' }).click();
  await expect(admin).toHaveURL(/\/admin\/content\/new\?module=[0-9a-f]{24}&type=game&game=quiz$/);
  await expect(admin.getByRole('heading', { level: 1, name: `New quiz game in “${moduleTitle}”` })).toBeVisible();
  await hydrated(admin);
  await admin.getByRole('textbox', { name: 'Title', exact: true }).fill(quizTitle);
  await admin.getByLabel('Duration (minutes)').fill('5');
  await admin.getByLabel('Instructions', { exact: true }).fill('Pick the right port.');
  await admin.getByLabel('Complete when').selectOption('interaction_based');
  const editor = admin.getByTestId('quiz-editor');
  await editor.getByLabel('Pass mark (% of questions right)').fill('100');
  // A new quiz starts with one blank question of two blank choices.
  await expect(editor.getByTestId('quiz-question')).toHaveCount(1);
  const first = editor.getByRole('group', { name: 'Question 1 (new)' });
  await first.getByLabel('Prompt').fill(question);
  await first.getByLabel('Choice 1 of 2, question 1', { exact: true }).fill(right);
  await first.getByLabel('Choice 2 of 2, question 1', { exact: true }).fill(wrong);
  await first.getByLabel('Choice 1 of question 1 is correct').check();
  await first.getByLabel('Explanation (shown after answering)').fill('HTTPS listens on 443; plain HTTP on 80.');
  await admin.screenshot({ path: 'end2end/screenshots/admin-quiz-editor.png', fullPage: true });
  await admin.getByRole('button', { name: 'Save content' }).click();
  await expect(admin).toHaveURL(contentUrl);
  await hydrated(admin);
  await expect(contentRows(admin)).toHaveCount(1);
  await expect(contentRows(admin).first()).toContainText(quizTitle);
  await expect(contentRows(admin).first()).toContainText('Game · Quiz');

  // Then a markdown document, which goes last.
  await admin.getByRole('navigation', { name: 'Add content' }).getByRole('link', { name: 'Add document' }).click();
  await expect(admin).toHaveURL(/\/admin\/content\/new\?module=[0-9a-f]{24}&type=document$/);
  await expect(admin.getByRole('heading', { level: 1, name: `New document in “${moduleTitle}”` })).toBeVisible();
  await hydrated(admin);
  await admin.getByRole('textbox', { name: 'Title', exact: true }).fill(docTitle);
  await admin.getByLabel('Format', { exact: true }).selectOption('markdown');
  await admin
    .getByLabel('Text', { exact: true })
    .fill('# Ports\n\nA **port** names a service on a host.\n\n## Well known ports\n\n- 22: SSH\n- 80: HTTP\n- 443: HTTPS\n');
  await admin.getByRole('button', { name: 'Preview' }).click();
  await expect(admin.getByTestId('markdown-preview').getByRole('heading', { name: 'Well known ports' })).toBeVisible();
  await admin.getByRole('button', { name: 'Save content' }).click();
  await expect(admin).toHaveURL(contentUrl);
  await hydrated(admin);
  await expect(contentRows(admin)).toHaveCount(2);
  await expect(contentRows(admin).nth(0)).toContainText(quizTitle);
  await expect(contentRows(admin).nth(1)).toContainText(docTitle);

  // Reorder: the document first.
  await expect(admin.getByRole('button', { name: `Move “${quizTitle}” up` })).toBeDisabled();
  await admin.getByRole('button', { name: `Move “${docTitle}” up` }).click();
  await expect(contentRows(admin).nth(0)).toContainText(docTitle);
  await expect(contentRows(admin).nth(1)).toContainText(quizTitle);
  await expect(contentRows(admin).nth(0)).toContainText(/^\s*1/);
  await expect(contentRows(admin).nth(1)).toContainText(/^\s*2/);
  await expect(admin.getByRole('button', { name: `Move “${docTitle}” up` })).toBeDisabled();
  await expect(admin.getByRole('button', { name: `Move “${quizTitle}” down` })).toBeDisabled();
  await expect(admin.getByTestId('content-error')).toBeEmpty();
  // The order is stored, not just shown.
  await admin.reload();
  await expect(contentRows(admin).nth(0)).toContainText(docTitle);
  await expect(contentRows(admin).nth(1)).toContainText(quizTitle);
  await expect(admin.getByTestId('module-counters')).toContainText('2 active item(s)');
  await admin.screenshot({ path: 'end2end/screenshots/admin-content.png', fullPage: true });

  // A new student finds the module in the catalog, under Foundations, and passes the quiz.
  const student = await (await browser.newContext()).newPage();
  await register(student, uniqueName('student'));
  const foundations = student
    .getByTestId('phase')
    .filter({ has: student.getByRole('heading', { level: 2, name: PHASE, exact: true }) });
  const card = foundations.getByTestId('module-card').filter({ hasText: moduleTitle });
  await expect(card).toBeVisible();
  await expect(card).toHaveAttribute('data-difficulty', 'beginner');
  await expect(card).toContainText('1 game · 1 document');
  await card.getByRole('link', { name: moduleTitle }).click();
  await expect(student.getByRole('heading', { level: 1, name: moduleTitle })).toBeVisible();
  await hydrated(student);
  // Neither the module nor its phase has prerequisites: nothing is locked.
  await expect(student.getByTestId('module-locked')).toHaveCount(0);
  await student.getByRole('button', { name: 'Enroll' }).click();
  await expect(student.getByTestId('enrollment-status')).toHaveText('You are enrolled.');
  const syllabus = student.getByTestId('syllabus-item');
  await expect(syllabus).toHaveCount(2);
  await expect(syllabus.nth(0)).toContainText(docTitle);
  await expect(syllabus.nth(1)).toContainText(quizTitle);
  await expect(syllabus.nth(1)).toHaveAttribute('data-locked', 'false');
  await syllabus.nth(1).getByRole('link').click();
  await expect(student.getByTestId('player')).toHaveAttribute('data-kind', 'game');
  await expect(student.getByRole('heading', { level: 1, name: quizTitle })).toBeVisible();
  await hydrated(student);
  const asked = student.getByTestId('question');
  await expect(asked).toHaveCount(1);
  await expect(asked).toContainText(question);
  await asked.getByLabel(right, { exact: true }).check();
  await student.getByRole('button', { name: 'Submit' }).click();
  await expect(student.getByTestId('game-result')).toHaveAttribute('data-passed', 'true');

  // The audit log shows what the administrator did.
  await admin.goto('/admin/audit');
  await expect(admin.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
  const event = (action: string, target: string) =>
    admin.locator(`[data-testid="audit-event"][data-action="${action}"]`).filter({ hasText: target });
  await expect(event('module.create', moduleTitle)).toHaveCount(1);
  await expect(event('module.create', moduleTitle)).toContainText(adminUser);
  await expect(event('content.create', quizTitle)).toHaveCount(1);
  await expect(event('content.create', docTitle)).toHaveCount(1);
  await expect(event('content.move', docTitle)).toContainText('moved up');
  // Filtering by action keeps only the moves.
  await hydrated(admin);
  await admin.getByRole('textbox', { name: 'Action' }).fill('content.move');
  await admin.getByRole('button', { name: 'Filter' }).click();
  await expect(admin).toHaveURL(/action=content\.move/);
  await expect(event('content.move', docTitle)).toHaveCount(1);
  await expect(admin.locator('[data-testid="audit-event"]:not([data-action="content.move"])')).toHaveCount(0);

  // The overview's analytics, recomputed so they include the new enrollment.
  await admin.goto('/admin?fresh=1');
  const analytics = admin.getByTestId('analytics');
  await expect(analytics).toBeVisible();
  for (const chart of ['enrollments-chart', 'active-chart', 'funnel-chart', 'levels-chart']) {
    await expect(analytics.getByTestId(chart)).toBeVisible();
  }
  const funnel = analytics.getByTestId('funnel-row').filter({ hasText: moduleTitle });
  await expect(funnel.getByRole('cell').nth(1)).toHaveText('1');
  await admin.screenshot({ path: 'end2end/screenshots/admin-analytics.png', fullPage: true });

  // Finally the module is deactivated: it leaves the public catalog (whose
  // test counts the demo's modules) but keeps the student's progress.
  await admin.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Catalog' }).click();
  await expect(admin).toHaveURL(/\/admin\/catalog$/);
  await hydrated(admin);
  await moduleRow.getByRole('button', { name: `Deactivate “${moduleTitle}”` }).click();
  await expect(moduleRow).toHaveAttribute('data-active', 'false');
  await expect(moduleRow).toContainText('inactive');
  await student.goto('/catalog');
  await expect(student.getByRole('heading', { level: 2, name: PHASE, exact: true })).toBeVisible();
  await expect(student.getByTestId('module-card').filter({ hasText: moduleTitle })).toHaveCount(0);
  await admin.goto('/admin/audit?action=module.deactivate');
  await expect(event('module.deactivate', moduleTitle)).toHaveCount(1);
});
