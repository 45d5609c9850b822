/** Says up front which suites this run skips and why, since jest lists skipped tests only verbosely. */
export default function announceSkips(): void {
  if (process.env['EVENTSTORE_CONNECTION_STRING'] === undefined) {
    process.stdout.write(
      '\nEventStoreDB suites are skipped: set EVENTSTORE_CONNECTION_STRING (e.g. esdb://localhost:2113?tls=false) to run them.\n',
    );
  }
}
