import { Link, type LinkProps } from 'react-router';
import { useAsOf } from './AsOfProvider';

/** A router link to a path that keeps the current `asOf`, so the past stays the past. */
export function AsOfLink({ to, ...props }: Omit<LinkProps, 'to'> & { readonly to: string }) {
  const { withAsOf } = useAsOf();
  return <Link to={withAsOf(to)} {...props} />;
}
