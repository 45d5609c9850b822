import { NavLink } from 'react-router';
import { useAsOf } from '../asOf/AsOfProvider';

export interface TabItem {
  readonly to: string;
  readonly label: string;
  /** Current only on this exact path (the section's first page). */
  readonly end?: boolean;
}

/**
 * The sections of one thing (a plan: overview, figures, annex) as links styled like tabs. Each is
 * its own URL, so it deep-links, prints and goes back; the current one is `aria-current="page"`.
 * Links keep `asOf`.
 */
export function Tabs({
  label,
  items,
}: {
  readonly label: string;
  readonly items: readonly TabItem[];
}) {
  const { withAsOf } = useAsOf();
  return (
    <nav className="tabs no-print" aria-label={label}>
      <ul>
        {items.map((item) => (
          <li key={item.to}>
            <NavLink to={withAsOf(item.to)} end={item.end}>
              {item.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
