// What a browser downloads to show a page and make it interactive, measured
// in Debian's Chromium (the one the end-to-end tests drive): every response
// from the first request until <body data-hydrated="true"> and an idle
// network, with an empty cache per page. A response sent gzipped (the site's
// files in /pkg, from build_site's copies) counts the bytes received; any
// other (the HTML, which a deployment's proxy would compress) its gzip -9 size.
//
// usage: node bench/first-load.mjs BASE_URL [PATH...]   (PATH defaults to /)
// Prints one line per page: "PATH TOTAL_KB REQUESTS | group KB, ...".
import { chromium } from '@playwright/test';
import { gzipSync } from 'node:zlib';

const [base, ...given] = process.argv.slice(2);
if (!base) {
  console.error('usage: node bench/first-load.mjs BASE_URL [PATH...]');
  process.exit(2);
}
const paths = given.length > 0 ? given : ['/'];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
let failed = false;
try {
  for (const path of paths) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const sizes = [];
    page.on('response', (response) => {
      const url = new URL(response.url()).pathname;
      const measured = async () => {
        if (response.headers()['content-encoding'] === 'gzip') {
          return { url, bytes: (await response.request().sizes()).responseBodySize };
        }
        return { url, bytes: gzipSync(await response.body(), { level: 9 }).length };
      };
      sizes.push(measured().catch(() => null)); // a redirect has no body
    });
    await page.goto(base + path);
    await page.waitForSelector('body[data-hydrated="true"]', { timeout: 60_000 });
    await page.waitForLoadState('networkidle');
    const files = (await Promise.all(sizes)).filter((f) => f !== null);
    const total = files.reduce((sum, f) => sum + f.bytes, 0);
    // Grouped: the page itself, the shared WebAssembly, the page's own
    // chunk, or its bundle (the page's chunk and every chunk it needs in one
    // file, which a browser's first page comes in), the chunks it shares
    // with some other pages, JS, CSS, the rest.
    const groups = [
      ['HTML', (f) => !f.url.startsWith('/pkg/') && !f.url.includes('.')],
      ['main wasm', (f) => f.url === '/pkg/foothold.wasm'],
      ['page chunk', (f) => /\/pkg\/split_.*\.wasm$/.test(f.url)],
      ['page bundle', (f) => /\/pkg\/bundle_.*\.wasm$/.test(f.url)],
      ['shared chunks', (f) => /\/pkg\/chunk_.*\.wasm$/.test(f.url)],
      ['JS', (f) => f.url.endsWith('.js')],
      ['CSS', (f) => f.url.endsWith('.css')],
      ['other', () => true],
    ];
    const seen = new Set();
    const parts = [];
    for (const [name, test] of groups) {
      const mine = files.filter((f) => !seen.has(f) && test(f));
      mine.forEach((f) => seen.add(f));
      if (mine.length === 0) continue;
      const kb = Math.round(mine.reduce((sum, f) => sum + f.bytes, 0) / 1024);
      parts.push(mine.length > 1 ? `${name} ${kb} KB in ${mine.length} files` : `${name} ${kb} KB`);
    }
    console.log(`${path} ${Math.round(total / 1024)} ${files.length} | ${parts.join(', ')}`);
    await context.close();
  }
} catch (error) {
  console.error(`first-load: ${error.message}`);
  failed = true;
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
