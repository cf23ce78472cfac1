import { test, expect } from '@playwright/test';
import { hydrated as waitForHydration } from './helpers';

// The demo curriculum has 8 modules: 3 beginner, 3 intermediate, 1 advanced, 1 expert.
const ALL_MODULES = 8;

test('catalog is rendered from the database and filters in the page after hydration', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));

  await page.goto('/catalog');
  await expect(page.getByRole('heading', { level: 1, name: 'Catalog' })).toBeVisible();
  await waitForHydration(page);

  const cards = page.getByTestId('module-card');
  await expect(cards).toHaveCount(ALL_MODULES);
  await expect(page.getByTestId('phase')).toHaveCount(3);
  await expect(page.getByRole('heading', { level: 2, name: 'Foundations' })).toBeVisible();

  // A marker on window survives only if the filter does not reload the page.
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));

  const expert = page.getByRole('link', { name: 'Expert', exact: true });
  await expert.click();
  await expect(page).toHaveURL(/\/catalog\?difficulty=expert$/);
  await expect(cards).toHaveCount(1);
  await expect(cards.first()).toHaveAttribute('data-difficulty', 'expert');
  await expect(cards.first()).toContainText('Incident Response and Threat Hunting');
  await expect(expert).toHaveAttribute('aria-current', 'page');
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  await page.screenshot({ path: 'end2end/screenshots/catalog-expert.png', fullPage: true });

  await page.getByRole('link', { name: 'Intermediate', exact: true }).click();
  await expect(cards).toHaveCount(3);
  for (const card of await cards.all()) {
    await expect(card).toHaveAttribute('data-difficulty', 'intermediate');
  }

  await page.getByRole('link', { name: 'All levels' }).click();
  await expect(cards).toHaveCount(ALL_MODULES);
  await page.screenshot({ path: 'end2end/screenshots/catalog.png', fullPage: true });

  expect(errors, 'no errors in the browser console').toEqual([]);
});

test('catalog filter works with JavaScript turned off', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/catalog');
  await expect(page.getByTestId('module-card')).toHaveCount(ALL_MODULES);
  await page.getByRole('link', { name: 'Beginner', exact: true }).click();
  await expect(page).toHaveURL(/difficulty=beginner/);
  await expect(page.getByTestId('module-card')).toHaveCount(3);
  await context.close();
});

test('the filter can be used with the keyboard alone', async ({ page }) => {
  await page.goto('/catalog');
  await waitForHydration(page);
  const advanced = page.getByRole('link', { name: 'Advanced', exact: true });
  await advanced.focus();
  await expect(advanced).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('module-card')).toHaveCount(1);
  await expect(page.getByTestId('module-card').first()).toHaveAttribute('data-difficulty', 'advanced');
});

test('the catalog fits a phone screen', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true });
  const page = await context.newPage();
  await page.goto('/catalog');
  await expect(page.getByTestId('module-card')).toHaveCount(ALL_MODULES);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, 'no horizontal scrolling').toBeLessThanOrEqual(0);
  await page.screenshot({ path: 'end2end/screenshots/catalog-phone.png', fullPage: true });
  await context.close();
});

test('search, tag and skill filters combine, in the page and without JavaScript', async ({ page, browser }) => {
  await page.goto('/catalog');
  await waitForHydration(page);
  const cards = page.getByTestId('module-card');
  await expect(page.getByTestId('featured').getByRole('link')).toHaveCount(3);

  await page.getByRole('searchbox', { name: 'Search' }).fill('WIRESHARK');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/q=WIRESHARK/);
  await expect(cards).toHaveCount(1);
  await expect(cards.first()).toContainText('Networking Essentials');

  await page.getByRole('searchbox', { name: 'Search' }).fill('');
  await page.getByLabel('Tag', { exact: true }).selectOption('web');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(cards).toHaveCount(3);
  // A difficulty chip keeps the tag.
  await page.getByRole('link', { name: 'Intermediate', exact: true }).click();
  await expect(page).toHaveURL(/difficulty=intermediate&tag=web/);
  await expect(cards).toHaveCount(2);

  // A search keeps the difficulty the page shows now, in the page, and the
  // form (rendered once) keeps the focus while the list changes.
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
  await page.getByRole('searchbox', { name: 'Search' }).fill('xss');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/q=xss&tag=web&skill=&difficulty=intermediate$/);
  await expect(cards).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'Apply' })).toBeFocused();
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);

  const noJs = await browser.newContext({ javaScriptEnabled: false });
  const plain = await noJs.newPage();
  await plain.goto('/catalog');
  await plain.getByLabel('Skill', { exact: true }).selectOption('Nmap');
  await plain.getByRole('button', { name: 'Apply' }).click();
  await expect(plain).toHaveURL(/skill=Nmap/);
  await expect(plain.getByTestId('module-card')).toHaveCount(1);
  await expect(plain.getByTestId('module-card')).toContainText('Network Reconnaissance');
  await noJs.close();
});

test('the catalog opened from another page is built from the server\'s HTML', async ({ page }) => {
  await page.goto('/');
  await waitForHydration(page);
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Catalog', exact: true }).click();
  await expect(page).toHaveURL(/\/catalog$/);
  await expect(page.getByTestId('module-card')).toHaveCount(ALL_MODULES);
  await expect(page.getByRole('searchbox', { name: 'Search' })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
});
