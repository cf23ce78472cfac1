import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect, type Page } from '@playwright/test';

export const PASSWORD = 'a long and unusual passphrase';

/** Waits until the WebAssembly has taken over the page. */
export async function hydrated(page: Page) {
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
}

/** A username no other test (or earlier run) uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
}

/** Signs up through /register (optionally asking for an admin account) and waits for the signed-in catalog. */
export async function register(page: Page, username: string, password = PASSWORD, asAdmin = false) {
  await page.goto('/register');
  await hydrated(page);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Email').fill(`${username}@example.com`);
  await page.locator('#password').fill(password);
  await page.getByLabel('Password again').fill(password);
  if (asAdmin) await page.getByLabel(/I run this platform/).check();
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/catalog$/);
  await expect(page.getByTestId('signed-in-as')).toHaveText(username);
}

/** Signs in through /login (the first step only when two-factor is on). */
export async function signIn(page: Page, login: string, password = PASSWORD) {
  await page.goto('/login');
  await hydrated(page);
  await page.getByLabel('Username or email').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
}

function base32Decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of text.replace(/[\s=]/g, '').toUpperCase()) {
    const value = alphabet.indexOf(c);
    if (value < 0) throw new Error(`not base32: ${c}`);
    bits += value.toString(2).padStart(5, '0');
  }
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** The RFC 6238 code (SHA-1, 6 digits, 30 s) of `secret`, `stepsFromNow` steps away, as an authenticator app computes it. */
export function totp(secret: string, stepsFromNow = 0): string {
  const step = Math.floor(Date.now() / 1000 / 30) + stepsFromNow;
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const digest = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = digest[digest.length - 1] & 0x0f;
  const word = digest.readUInt32BE(offset) & 0x7fffffff;
  return String(word % 1_000_000).padStart(6, '0');
}

/** The reset link the default mailer wrote to the server log for `username`. */
export async function mailedResetLink(username: string): Promise<string> {
  const log = process.env.FOOTHOLD_APP_LOG;
  if (!log) throw new Error('FOOTHOLD_APP_LOG is not set (scripts/test.sh sets it)');
  const pattern = new RegExp(`password of ${username}\\.[\\s\\S]*?(/reset-password/[0-9a-f]{32})`);
  let found: RegExpMatchArray | null = null;
  await expect
    .poll(() => {
      found = readFileSync(log, 'utf8').match(pattern);
      return found !== null;
    })
    .toBe(true);
  return found![1];
}
