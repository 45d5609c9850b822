import { writeFileSync } from 'node:fs';
import { openApiDocument } from '../api/openapi/document';

/**
 * `node dist/cli/openapi.js [out.json]` prints the OpenAPI document as JSON, or writes it to the
 * path given. `npm run generate:api` feeds it to openapi-typescript, so the web app's client types
 * come from the very document the server publishes.
 */
export function openApiJson(): string {
  return `${JSON.stringify(openApiDocument(), null, 2)}\n`;
}

if (require.main === module) {
  const outputPath = process.argv[2];
  if (outputPath === undefined) process.stdout.write(openApiJson());
  else writeFileSync(outputPath, openApiJson());
}
