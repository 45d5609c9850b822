/**
 * The proxy in front of the replicas takes a replica out of the pool for real failures only:
 * never for a 503 a client can cause (a read naming a position the projections have not reached).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const conf = readFileSync(join(__dirname, '..', '..', 'deploy', 'nginx.conf'), 'utf8');
/** The directives, comments left out. */
const directives = conf
  .split('\n')
  .map((line) => line.replace(/#.*$/, '').trim())
  .filter((line) => line.length > 0);

describe('deploy/nginx.conf', () => {
  it('moves a request on, and counts a failure, for connection errors, timeouts and 502 only', () => {
    const nextUpstream = directives.filter((line) => line.startsWith('proxy_next_upstream '));

    expect(nextUpstream).toEqual(['proxy_next_upstream error timeout http_502;']);
    expect(directives.join('\n')).not.toContain('http_503');
  });

  it('keeps the passive health check on every replica', () => {
    const servers = directives.filter((line) => line.startsWith('server tracker'));

    expect(servers).toHaveLength(2);
    for (const server of servers) expect(server).toMatch(/max_fails=3 fail_timeout=10s;$/);
  });
});
