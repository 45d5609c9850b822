import { connect, type Socket } from 'node:net';

export type RawSocket = Socket & { received: () => string };

/** A raw connection, to hold it open or send what no HTTP client would. */
export function rawConnection(port: number): Promise<RawSocket> {
  return new Promise((resolve, reject) => {
    let received = '';
    const socket = connect(port, '127.0.0.1', () =>
      resolve(Object.assign(socket, { received: () => received })),
    );
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', reject);
  });
}

/** Resolves once the socket is closed (at once if it already is). */
export const closed = (socket: Socket): Promise<void> =>
  new Promise<void>((resolve) => {
    if (socket.destroyed) resolve();
    else socket.once('close', () => resolve());
  });

export async function untilReceived(socket: RawSocket, text: string): Promise<void> {
  while (!socket.received().includes(text)) {
    await new Promise((resolve) => socket.once('data', resolve));
  }
}
