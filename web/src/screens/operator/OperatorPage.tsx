import { PageHeader } from '../../components/PageHeader';

/** Operators run the service; the app has no screens for them, only pointers. */
export function OperatorPage() {
  return (
    <>
      <PageHeader title="Nothing here for operators" />
      <p>
        The web app is for Member State ministries, the Commission and auditors. Operators run the
        service through its health, readiness and metrics endpoints and the command-line tools
        (replay, backup, token).
      </p>
      <ul>
        <li>
          <a href="/health">Health</a>
        </li>
        <li>
          <a href="/docs">API documentation</a>
        </li>
      </ul>
    </>
  );
}
