/**
 * Rewrites the README's screenshot list (between `<!-- screenshots:start -->` and
 * `<!-- screenshots:end -->`) from docs/screenshots/manifest.json, which the end-to-end tests'
 * saveScreenshot() keeps. `npm run screenshots` takes the screenshots and then runs this.
 *
 *   node scripts/update-readme-screenshots.mjs           # rewrite the block
 *   node scripts/update-readme-screenshots.mjs --check   # exit 1 if the block is out of date,
 *                                                        # or a PNG and the manifest disagree
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const readmeFile = join(root, 'README.md');
const screenshotDir = join(root, 'docs', 'screenshots');
const manifestFile = join(screenshotDir, 'manifest.json');
const START = '<!-- screenshots:start -->';
const END = '<!-- screenshots:end -->';

/** @type {{ name: string, title: string }[]} */
const manifest = existsSync(manifestFile) ? JSON.parse(readFileSync(manifestFile, 'utf8')) : [];
const problems = [];
for (const entry of manifest) {
  if (!existsSync(join(screenshotDir, `${entry.name}.png`))) {
    problems.push(`manifest.json lists ${entry.name}, but ${entry.name}.png is missing`);
  }
}
const listed = new Set(manifest.map((entry) => entry.name));
for (const file of existsSync(screenshotDir) ? readdirSync(screenshotDir) : []) {
  if (file.endsWith('.png') && !listed.has(file.slice(0, -'.png'.length))) {
    problems.push(`docs/screenshots/${file} is not in manifest.json: remove it or take it again`);
  }
}

// In the order a reader meets the app: signing in, then each kind of user.
const JOURNEYS = ['signin', 'ministry', 'commission', 'auditor'];
const journeyRank = (name) => {
  const rank = JOURNEYS.findIndex((prefix) => name === prefix || name.startsWith(`${prefix}-`));
  return rank === -1 ? JOURNEYS.length : rank;
};

const altText = (title) => title.replace(/[[\]\\]/g, '\\$&');
const entries = [...manifest]
  .filter((entry) => existsSync(join(screenshotDir, `${entry.name}.png`)))
  .sort((a, b) => journeyRank(a.name) - journeyRank(b.name) || a.name.localeCompare(b.name));
const block = [
  START,
  '<!-- Written by `node scripts/update-readme-screenshots.mjs` from docs/screenshots/manifest.json; `npm run screenshots` takes them again. -->',
  '',
  ...(entries.length === 0
    ? ['_No screenshots yet: `npm run screenshots` takes them._']
    : entries.flatMap((entry) => [
        `**${altText(entry.title)}**`,
        '',
        `![${altText(entry.title)}](docs/screenshots/${entry.name}.png)`,
        '',
      ])),
  ...(entries.length === 0 ? [''] : []),
  END,
].join('\n');

const readme = readFileSync(readmeFile, 'utf8');
const start = readme.indexOf(START);
const end = readme.indexOf(END);
if (start < 0 || end < start) {
  process.stderr.write(`README.md has no ${START} … ${END} block\n`);
  process.exit(1);
}
const updated = `${readme.slice(0, start)}${block}${readme.slice(end + END.length)}`;

if (process.argv.includes('--check')) {
  if (updated !== readme) {
    problems.push(
      'the README screenshot list is out of date: run node scripts/update-readme-screenshots.mjs',
    );
  }
  for (const problem of problems) process.stderr.write(`${problem}\n`);
  process.exit(problems.length === 0 ? 0 : 1);
}
for (const problem of problems) process.stderr.write(`warning: ${problem}\n`);
if (updated !== readme) writeFileSync(readmeFile, updated);
process.stdout.write(`README.md lists ${entries.length} screenshot(s)\n`);
