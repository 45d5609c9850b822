/**
 * The load generator of benchmark 2, shared by the tracker and the bare express baseline so both
 * sides are driven by exactly the same client code. It is node:http over kept-alive sockets (one
 * per client) rather than fetch: on a 2-core machine the generator shares the CPU with the server,
 * and fetch's per-request cost would otherwise eat into what either server can show.
 */
import { Agent, request as httpRequest, type OutgoingHttpHeaders } from 'node:http';

export interface HttpAnswer {
  readonly status: number;
  readonly etag: string | undefined;
  readonly body: Buffer;
  readonly latencyMs: number;
}

export class LoadClient {
  private readonly agent: Agent;

  constructor(
    private readonly port: number,
    sockets: number,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
  }

  /** One request on a kept-alive socket; resolves once the whole answer is read. */
  send(
    method: string,
    path: string,
    headers: OutgoingHttpHeaders,
    body?: string,
  ): Promise<HttpAnswer> {
    const started = performance.now();
    return new Promise<HttpAnswer>((resolve, reject) => {
      const outgoing = httpRequest(
        {
          host: '127.0.0.1',
          port: this.port,
          method,
          path,
          agent: this.agent,
          headers:
            body === undefined
              ? headers
              : { ...headers, 'content-length': Buffer.byteLength(body, 'utf8') },
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('error', reject);
          incoming.on('end', () => {
            const etag = incoming.headers.etag;
            resolve({
              status: incoming.statusCode ?? 0,
              etag,
              body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks),
              latencyMs: performance.now() - started,
            });
          });
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
