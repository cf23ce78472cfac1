import { test, expect } from '@playwright/test';
import { PASSWORD, hydrated, mailedResetLink, register, signIn, signOut, totp, uniqueName } from './helpers';

const NEW_PASSWORD = 'another long passphrase for later';

test('register, edit settings, switch theme without a flash, change password, sign out and in', async ({ page }) => {
  // Five password hashes and a dozen page loads; on a loaded CI machine the
  // browser's start alone has taken 14 s of the default 30.
  test.setTimeout(90_000);
  const username = uniqueName('settings');
  await register(page, username);
  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  await expect(page).toHaveURL(/\/settings$/);
  await hydrated(page);

  // The data model's messages appear next to their fields.
  await page.getByLabel('Bio').fill('x'.repeat(501));
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.locator('#bio-error')).toHaveText('Bio cannot exceed 500 characters');
  await expect(page.getByLabel('Bio')).toHaveAttribute('aria-invalid', 'true');

  await page.getByLabel('Bio').fill('Learning to defend by learning to attack.');
  await page.getByLabel('Website').fill('https://example.com/ada');
  await page.getByLabel('Display name').fill('Ada L.');
  await page.getByLabel('Experience level').selectOption('intermediate');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByText('Profile saved.')).toBeVisible();

  // The theme switches at once, and the next page arrives already in it.
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByLabel('Light').check();
  await page.getByLabel('Celebrate achievements I unlock').uncheck();
  await page.getByRole('button', { name: 'Save preferences' }).click();
  await expect(page.getByText('Preferences saved.')).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  const raw = await page.request.get('/catalog');
  expect(await raw.text()).toContain('data-theme="light"');
  await page.reload();
  await hydrated(page);
  await expect(page.getByLabel('Display name')).toHaveValue('Ada L.');
  await expect(page.getByLabel('Light')).toBeChecked();
  await expect(page.getByLabel('Celebrate achievements I unlock')).not.toBeChecked();
  await expect(page.getByTestId('signed-in-as')).toHaveText('Ada L.');
  await page.screenshot({ path: 'end2end/screenshots/settings-light.png', fullPage: true });

  await page.getByLabel('Current password').fill('not my password');
  await page.locator('#new-password').fill(NEW_PASSWORD);
  await page.getByLabel('New password again').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.locator('#current-password-error')).toHaveText('That is not your current password');
  await page.getByLabel('Current password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('Password changed. Other devices have been signed out.')).toBeVisible();

  await signOut(page);
  await signIn(page, username, PASSWORD);
  await expect(page.getByTestId('form-error')).toHaveText('Incorrect username, email or password.');
  await signIn(page, username, NEW_PASSWORD);
  await expect(page).toHaveURL(/\/catalog$/);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
});

test('two-factor: set up with a QR code, sign in with a code, then with a recovery code', async ({ page }) => {
  const username = uniqueName('totp');
  await register(page, username);
  await page.goto('/settings');
  await hydrated(page);
  await page.getByRole('button', { name: 'Set up two-factor authentication' }).click();
  await expect(page.getByAltText('QR code to scan with your authenticator app')).toBeVisible();
  const secret = (await page.getByTestId('totp-secret').textContent())!.replace(/\s/g, '');
  await page.getByLabel('6-digit code').fill('000000');
  await page.getByRole('button', { name: 'Turn on two-factor' }).click();
  await expect(page.locator('#enable-code-error')).toContainText('That code does not match.');
  await page.getByLabel('6-digit code').fill(totp(secret));
  await page.getByRole('button', { name: 'Turn on two-factor' }).click();
  await expect(page.getByTestId('two-factor-status')).toContainText('On. 10 unused recovery codes left.');
  const codes = await page.getByTestId('recovery-codes').locator('li').allTextContents();
  expect(codes).toHaveLength(10);
  await page.screenshot({ path: 'end2end/screenshots/settings-two-factor.png', fullPage: true });

  await signOut(page);
  await signIn(page, username);
  await expect(page).toHaveURL(/\/login\/two-factor$/);
  await hydrated(page);
  await page.locator('#code').fill('123 456');
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.locator('#code-error')).toContainText('That code is not right.');
  // The code that turned two-factor on was spent; the app's next one works.
  await page.locator('#code').fill(totp(secret, 1));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page).toHaveURL(/\/catalog$/);
  await expect(page.getByTestId('signed-in-as')).toHaveText(username);

  await signOut(page);
  await signIn(page, username);
  await expect(page).toHaveURL(/\/login\/two-factor$/);
  await hydrated(page);
  await page.locator('#code').fill(codes[0]);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page).toHaveURL(/\/catalog$/);
  await page.goto('/settings');
  await expect(page.getByTestId('two-factor-status')).toContainText('On. 9 unused recovery codes left.');
});

test('five wrong passwords lock the account with a clear message', async ({ page }) => {
  const username = uniqueName('locked');
  await register(page, username);
  await signOut(page);
  await page.goto('/login');
  await hydrated(page);
  await page.getByLabel('Username or email').fill(username);
  for (let i = 0; i < 4; i++) {
    await page.getByLabel('Password').fill(`wrong guess number ${i}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('form-error')).toHaveText('Incorrect username, email or password.');
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeEnabled();
  }
  await page.getByLabel('Password').fill('wrong guess number 5');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const locked = 'This account is locked after too many failed sign-ins. Try again in 15 minutes.';
  await expect(page.getByTestId('form-error')).toHaveText(locked);
  // Even the right password is refused until the lock ends.
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('form-error')).toContainText('This account is locked');
  await expect(page).toHaveURL(/\/login$/);
});

test('a mailed reset link sets a new password once', async ({ page }) => {
  const username = uniqueName('reset');
  await register(page, username);
  await signOut(page);
  await page.goto('/forgot-password');
  await hydrated(page);
  await page.getByLabel('Email').fill(`${username}@example.com`);
  await page.getByRole('button', { name: 'Send the link' }).click();
  await expect(page.getByTestId('reset-sent')).toContainText('If an account uses that email');

  const link = await mailedResetLink(username);
  await page.goto(link);
  await hydrated(page);
  await page.locator('#password').fill(NEW_PASSWORD);
  await page.getByLabel('New password again').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Save the new password' }).click();
  await expect(page).toHaveURL(/\/login\?reset=1$/);
  await expect(page.getByText('Your password was changed and every device was signed out.')).toBeVisible();
  await signIn(page, username, NEW_PASSWORD);
  await expect(page).toHaveURL(/\/catalog$/);

  // The link works once.
  await signOut(page);
  await page.goto(link);
  await hydrated(page);
  await page.locator('#password').fill(PASSWORD);
  await page.getByLabel('New password again').fill(PASSWORD);
  await page.getByRole('button', { name: 'Save the new password' }).click();
  await expect(page.getByTestId('form-error')).toHaveText('This reset link is invalid, used or expired. Ask for a new one.');
});

test('a signed-in student is refused by every admin server function', async ({ page }) => {
  await register(page, uniqueName('student'));
  // From the page itself, with the student's session cookie, as a curious student would try.
  const answers = await page.evaluate(async () => {
    const out: [string, number, string][] = [];
    for (const path of ['/api/admin/approve_admin', '/api/admin/suspend_admin']) {
      const response = await fetch(path, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'user_id=000000000000000000000000',
      });
      out.push([path, response.status, await response.text()]);
    }
    return out;
  });
  for (const [path, status, body] of answers) {
    expect(status, path).toBe(403);
    expect(body, path).toContain('Only administrators can do this.');
  }
});

test('an administrator approves a new administrator; students and pending admins are told why not', async ({
  browser,
}) => {
  const adminUser = process.env.E2E_ADMIN_USER!;
  const adminPassword = process.env.E2E_ADMIN_PASSWORD!;
  expect(adminUser, 'scripts/test.sh creates the first administrator').toBeTruthy();

  const student = await (await browser.newContext()).newPage();
  await register(student, uniqueName('student'));
  const refused = await student.goto('/admin');
  expect(refused!.status()).toBe(403);
  await expect(student.getByTestId('admin-refusal')).toHaveText('Only administrators can do this.');
  await expect(student.getByRole('link', { name: 'Admin', exact: true })).toHaveCount(0);

  const hopeful = await (await browser.newContext()).newPage();
  const hopefulName = uniqueName('hopeful');
  await register(hopeful, hopefulName, PASSWORD, true);
  await hopeful.getByRole('link', { name: 'Admin', exact: true }).click();
  await expect(hopeful.getByTestId('admin-refusal')).toContainText('waiting for approval');

  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, adminUser, adminPassword);
  await expect(admin).toHaveURL(/\/catalog$/);
  await admin.getByRole('link', { name: 'Admin', exact: true }).click();
  await hydrated(admin);
  const row = admin.getByTestId(`admin-${hopefulName}`);
  await expect(row).toContainText('Waiting for approval');
  await row.getByRole('button', { name: `Approve ${hopefulName}` }).click();
  await expect(row).toContainText('Active');
  await admin.screenshot({ path: 'end2end/screenshots/admin-approvals.png', fullPage: true });

  await hopeful.reload();
  await expect(hopeful.getByRole('heading', { name: 'Administrator accounts' })).toBeVisible();
});
