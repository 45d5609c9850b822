import { AsOfLink } from '../asOf';
import { PageHeader } from '../components/PageHeader';

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <p>
        There is no page at this address. <AsOfLink to="/">Go to your start page</AsOfLink>.
      </p>
    </>
  );
}
