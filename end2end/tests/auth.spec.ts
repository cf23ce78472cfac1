import { test, expect } from '@playwright/test';
import { PASSWORD, hydrated } from './helpers';

test('register, sign out and sign in again', async ({ page }) => {
  const username = `learner_${Date.now()}`;
  await page.goto('/register');
  await hydrated(page);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Email').fill(`${username}@example.com`);
  await page.locator('#password').fill(PASSWORD);
  await page.getByLabel('Password again').fill(PASSWORD);
  await page.getByLabel('First name').fill('Ada');
  await page.getByRole('button', { name: 'Create account' }).click();

  await expect(page).toHaveURL(/\/catalog$/);
  await expect(page.getByTestId('signed-in-as')).toHaveText(username);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();

  await page.goto('/login');
  await hydrated(page);
  await page.getByLabel('Username or email').fill(`${username}@example.com`);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('form-error')).toHaveText('Incorrect username, email or password.');

  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/catalog$/);
  await expect(page.getByTestId('signed-in-as')).toHaveText(username);
  await page.screenshot({ path: 'end2end/screenshots/signed-in.png' });
});

test('registration shows the data model messages next to the fields', async ({ page }) => {
  await page.goto('/register');
  await hydrated(page);
  await page.getByLabel('Username').fill('no spaces allowed');
  await page.getByLabel('Email').fill('ada@example.com');
  await page.locator('#password').fill('password123');
  await page.getByLabel('Password again').fill('password124');
  await page.getByRole('button', { name: 'Create account' }).click();

  await expect(page.locator('#username-error')).toHaveText('Username can only contain letters, numbers, and underscores');
  await expect(page.locator('#password-error')).toHaveText(
    'This password is among the most common ones; choose one that is harder to guess',
  );
  await expect(page.locator('#password-confirm-error')).toHaveText('The two passwords do not match');
  await expect(page.getByLabel('Username')).toHaveAttribute('aria-invalid', 'true');
  await page.screenshot({ path: 'end2end/screenshots/register-errors.png', fullPage: true });
});

test('a form on another site cannot post to Foothold', async ({ page, baseURL }) => {
  await page.setContent(`
    <form method="post" action="${baseURL}/api/auth/register">
      <input name="form[username]" value="csrf_victim">
      <input name="form[email]" value="csrf_victim@example.com">
      <input name="form[password]" value="${PASSWORD}">
      <input name="form[password_confirm]" value="${PASSWORD}">
      <button type="submit">Go</button>
    </form>`);
  await Promise.all([page.waitForURL(`${baseURL}/api/auth/register`), page.getByRole('button', { name: 'Go' }).click()]);
  await expect(page.locator('body')).toHaveText('Cross-site request refused.');
});

test('asking for a reset link answers the same for any address', async ({ page }) => {
  await page.goto('/login');
  await hydrated(page);
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  await page.getByLabel('Email').fill('nobody-here@example.com');
  await page.getByRole('button', { name: 'Send the link' }).click();
  await expect(page.getByTestId('reset-sent')).toContainText('If an account uses that email');
});
