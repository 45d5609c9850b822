/**
 * What the benchmark's server child processes (`apiServer.ts`, `bareServer.ts`) tell their parent
 * over IPC: `{ port }` once listening, and their CPU time when asked with the message 'cpu'.
 */

export interface ServerReady {
  readonly port: number;
}

/** The answer to the message 'cpu': the process's CPU time so far (every thread), in µs. */
export interface ServerCpu {
  readonly cpuMicros: number;
}

/**
 * Answers 'cpu' with the CPU time the process has used. Per request, it is a figure that other
 * work on the machine disturbs far less than throughput or latency.
 */
export function answerCpuQueries(): void {
  process.on('message', (message) => {
    if (message !== 'cpu') return;
    const { user, system } = process.cpuUsage();
    const answer: ServerCpu = { cpuMicros: user + system };
    process.send?.(answer);
  });
}
