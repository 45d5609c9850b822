/**
 * The README shows every screenshot the end-to-end tests took (docs/screenshots/manifest.json),
 * each with its title as alt text, and nothing else: `npm run screenshots` keeps them in step.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runScript } from './support/runScript';

const root = join(__dirname, '../..');

interface ScreenshotEntry {
  name: string;
  title: string;
}

it('lists every screenshot of the manifest in the README, with its title as alt text', () => {
  const manifest = JSON.parse(
    readFileSync(join(root, 'docs/screenshots/manifest.json'), 'utf8'),
  ) as ScreenshotEntry[];
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = readme.slice(
    readme.indexOf('<!-- screenshots:start -->'),
    readme.indexOf('<!-- screenshots:end -->'),
  );
  expect(block).not.toBe('');
  for (const { name, title } of manifest) {
    expect(block).toContain(`](docs/screenshots/${name}.png)`);
    expect(block).toContain(
      `![${title.replace(/[[\]\\]/g, '\\$&')}](docs/screenshots/${name}.png)`,
    );
  }
  expect(block.match(/!\[/g)?.length ?? 0).toBe(manifest.length);
});

it('has the README block exactly as the script writes it, and a PNG for each entry', async () => {
  const result = await runScript('scripts/update-readme-screenshots.mjs', ['--check']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
});
