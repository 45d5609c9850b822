import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openApiJson } from '../../src/cli/openapi';

/**
 * The web app's API types are generated from the OpenAPI document and committed. This fails when
 * the server's contract moved on without them: the fix is `npm run generate:api`, never an edit.
 */
const root = path.join(__dirname, '..', '..');
const committedPath = path.join(root, 'web', 'src', 'api', 'generated', 'schema.d.ts');
const generatorCli = path.join(
  path.dirname(require.resolve('openapi-typescript/package.json')),
  'bin',
  'cli.js',
);

describe('the generated API client types', () => {
  let workDir: string;
  beforeAll(() => {
    workDir = mkdtempSync(path.join(tmpdir(), 'pledges-openapi-'));
  });
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('match the OpenAPI document the server publishes', () => {
    const documentPath = path.join(workDir, 'openapi.json');
    const generatedPath = path.join(workDir, 'schema.d.ts');
    writeFileSync(documentPath, openApiJson());
    execFileSync(process.execPath, [generatorCli, documentPath, '-o', generatedPath], {
      cwd: root,
      stdio: 'pipe',
    });
    const committed = readFileSync(committedPath, 'utf8');
    const regenerated = readFileSync(generatedPath, 'utf8');
    if (committed !== regenerated) {
      throw new Error(
        'web/src/api/generated/schema.d.ts is out of date with the OpenAPI document: ' +
          'run npm run generate:api and commit the result.',
      );
    }
  }, 60_000);
});
