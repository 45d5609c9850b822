/** @jest-environment <rootDir>/test/web/jsdomEnvironment.ts */
import { act, fireEvent, render, screen } from '@testing-library/react';
import {
  ChartFigure,
  PledgedTotalChart,
  ShareAgainstFloorChart,
  StackedByTypeChart,
} from '../../../web/src/screens/commission/figures/charts';
import {
  bands,
  fitLastTickLabel,
  linearScale,
  tickLabelWidth,
  wrapWords,
} from '../../../web/src/screens/commission/figures/chartScale';
import {
  AdoptedAdmittedChart,
  AmifChart,
  PaceChart,
} from '../../../web/src/screens/commission/fulfilment/fulfilmentCharts';

/*
 * jsdom lays nothing out: the charts draw at their fallback width (640), and a stand-in for the
 * browser's ResizeObserver lets a test say that a drawing changed width.
 */
const resizeCallbacks: ResizeObserverCallback[] = [];
const observedElements = new Set<Element>();

class ResizeObserverStandIn {
  constructor(callback: ResizeObserverCallback) {
    resizeCallbacks.push(callback);
  }
  observe(element: Element): void {
    observedElements.add(element);
  }
  unobserve(element: Element): void {
    observedElements.delete(element);
  }
  disconnect(): void {}
}

beforeAll(() => {
  Object.assign(globalThis, { ResizeObserver: ResizeObserverStandIn });
});

function resize(element: Element, width: number): void {
  const entry = { target: element, contentRect: { width } } as unknown as ResizeObserverEntry;
  for (const callback of resizeCallbacks) {
    callback([entry], {} as ResizeObserver);
  }
}

function numberOf(element: Element, attribute: string): number {
  return Number(element.getAttribute(attribute));
}

function bars(container: HTMLElement): SVGRectElement[] {
  return [...container.querySelectorAll<SVGRectElement>('svg.chart__svg rect.chart__bar')];
}

describe('the charts’ arithmetic', () => {
  it('names round figures, growing the top to the next one', () => {
    const scale = linearScale(0, 2950, [0, 300], { integer: true });
    expect(scale.ticks).toEqual([0, 500, 1000, 1500, 2000, 2500, 3000]);
    expect(scale.domain).toEqual([0, 3000]);
    expect(scale.at(1500)).toBe(150);
  });

  it('keeps a given domain, and runs the other way for an upright axis', () => {
    const share = linearScale(0, 100, [100, 500], { nice: false });
    expect(share.domain).toEqual([0, 100]);
    expect(share.ticks).toEqual([0, 20, 40, 60, 80, 100]);
    expect(share.at(60)).toBe(340);
    const upright = linearScale(0, 10, [200, 0], { integer: true });
    expect(upright.at(0)).toBe(200);
    expect(upright.at(10)).toBe(0);
  });

  it('counts in whole steps and still draws an axis when everything is zero', () => {
    expect(linearScale(0, 2, [0, 1]).ticks).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(linearScale(0, 2, [0, 1], { integer: true }).ticks).toEqual([0, 1, 2]);
    expect(linearScale(0, 0, [0, 1], { integer: true }).domain).toEqual([0, 1]);
    expect(linearScale(0, 0.3, [0, 1]).ticks).toEqual([0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3]);
  });

  it('parts an axis into slots with a gap around each bar, and wraps long names', () => {
    expect(bands(2, [0, 100])).toEqual([
      { centre: 25, start: 5, size: 40 },
      { centre: 75, start: 55, size: 40 },
    ]);
    expect(wrapWords('East and Horn of Africa, and the Great Lakes', 20)).toEqual([
      'East and Horn of',
      'Africa, and the',
      'Great Lakes',
    ]);
    expect(wrapWords('Resettlement', 4)).toEqual(['Resettlement']);
  });
});

describe('the value axis’ last figure', () => {
  const euros = (value: number) => `EUR ${(value / 1000).toLocaleString('en')}k`;
  const plot = { left: 116, right: 600, top: 8, bottom: 300 };

  it('moves the plot’s right edge left until the last figure, centred on its tick, fits', () => {
    const { plot: fitted, scale } = fitLastTickLabel(
      plot,
      640,
      (box) => linearScale(0, 19_000_000, [box.left, box.right], { integer: true }),
      euros,
    );
    const last = scale.ticks[scale.ticks.length - 1] ?? 0;
    expect(euros(last)).toBe('EUR 20,000k');
    expect(fitted.right).toBeLessThan(plot.right);
    expect(fitted).toEqual({ ...plot, right: fitted.right });
    expect(scale.at(last) + tickLabelWidth(euros(last)) / 2).toBeLessThanOrEqual(640);
    // No more than needed: a pixel further right and the figure would not fit.
    expect(scale.at(last) + tickLabelWidth(euros(last)) / 2 + 2).toBeGreaterThan(639);
  });

  it('leaves the plot as it is when the margin already holds the last figure', () => {
    const scaleOf = (box: typeof plot) => linearScale(0, 100, [box.left, box.right]);
    const { plot: fitted, scale } = fitLastTickLabel(plot, 640, scaleOf, (value) => `${value}%`);
    expect(fitted).toBe(plot);
    expect(scale.at(100)).toBe(600);
  });

  it('keeps the AMIF chart’s last figure inside its drawing', () => {
    const { container } = render(
      <AmifChart
        rows={[
          { name: 'DE 2026', eur: 14_000_000 },
          { name: 'FR 2026', eur: 19_000_000 },
        ]}
      />,
    );
    const labels = [...container.querySelectorAll<SVGTextElement>('.chart__axis text')].filter(
      (text) => text.textContent?.startsWith('EUR') === true,
    );
    const last = labels[labels.length - 1];
    expect(last?.textContent).toBe('EUR 20,000k');
    expect(last?.getAttribute('text-anchor')).toBe('middle');
    const halfWidth = tickLabelWidth(last?.textContent ?? '') / 2;
    // jsdom lays nothing out: the drawing is its fallback 640 wide.
    expect(numberOf(last!, 'x') + halfWidth).toBeLessThanOrEqual(640);
  });
});

describe('the stacked chart', () => {
  const rows = [
    {
      name: 'DE',
      resettlement: 650,
      humanitarian_admission: 200,
      emergency_admission: 0,
    },
    {
      name: 'FR',
      resettlement: 300,
      humanitarian_admission: 0,
      emergency_admission: 50,
    },
  ];

  it('stacks each row’s types upward in the order of Art. 8(3)(a), drawing no empty part', () => {
    const { container } = render(<StackedByTypeChart rows={rows} />);
    const drawn = bars(container);
    expect(drawn.map((bar) => bar.querySelector('title')?.textContent)).toEqual([
      'DE, Resettlement: 650',
      'DE, Humanitarian admission: 200',
      'FR, Resettlement: 300',
      'FR, Emergency admission: 50',
    ]);
    const [deResettlement, deHumanitarian, frResettlement] = drawn.map((bar) => ({
      y: numberOf(bar, 'y'),
      height: numberOf(bar, 'height'),
      fill: bar.getAttribute('fill'),
    }));
    // Humanitarian sits on resettlement; heights as the figures are.
    expect(deHumanitarian?.y).toBeCloseTo((deResettlement?.y ?? 0) - (deHumanitarian?.height ?? 0));
    expect((deResettlement?.height ?? 0) / (frResettlement?.height ?? 1)).toBeCloseTo(650 / 300);
    expect(deResettlement?.fill).toBe('#004494');
    expect(deHumanitarian?.fill).toBe('url(#chart-pattern-humanitarian)');
    // Both rows rest on the same base line.
    expect((deResettlement?.y ?? 0) + (deResettlement?.height ?? 0)).toBeCloseTo(
      (frResettlement?.y ?? 0) + (frResettlement?.height ?? 0),
    );
    expect(
      [...container.querySelectorAll('.chart-legend li')].map((item) => item.textContent),
    ).toEqual(['Resettlement', 'Humanitarian admission', 'Emergency admission']);
  });

  it('lays the bars down for long names, each name beside its bar', () => {
    const { container } = render(
      <StackedByTypeChart
        layout="bars"
        rows={[{ ...rows[0]!, name: 'East and Horn of Africa, and the Great Lakes' }]}
      />,
    );
    const [resettlement, humanitarian] = bars(container);
    expect(numberOf(humanitarian!, 'x')).toBeCloseTo(
      numberOf(resettlement!, 'x') + numberOf(resettlement!, 'width'),
    );
    expect(container.textContent).toContain('East and Horn of Africa, and the');
    expect(container.textContent).toContain('Great Lakes');
  });

  it('draws again at the new width when its figure is resized', () => {
    const { container } = render(<StackedByTypeChart rows={rows} />);
    const svg = container.querySelector('svg.chart__svg');
    expect(svg?.getAttribute('viewBox')).toBe('0 0 640 300');
    expect(observedElements.has(svg!)).toBe(true);
    const before = numberOf(bars(container)[0]!, 'width');
    act(() => resize(svg!, 1040));
    expect(svg?.getAttribute('viewBox')).toBe('0 0 1040 300');
    expect(numberOf(bars(container)[0]!, 'width')).toBeGreaterThan(before);
  });
});

describe('the share against the floor', () => {
  it('draws the share as a bar and the floor as a line at its percentage', () => {
    const { container } = render(
      <ShareAgainstFloorChart rows={[{ name: 'Resettlement', share: 75 }]} floorPercent={60} />,
    );
    const [bar] = bars(container);
    const left = numberOf(bar!, 'x');
    const lines = [...container.querySelectorAll('.chart__mark line')];
    const floor = lines[lines.length - 1]!;
    // Bar to 75 %, floor at 60 %: the floor lies at 60/75 of the bar's length.
    expect((numberOf(floor, 'x1') - left) / numberOf(bar!, 'width')).toBeCloseTo(60 / 75);
    expect(floor.getAttribute('stroke-dasharray')).toBe('6 3');
    expect(container.querySelector('.chart__mark text')?.textContent).toBe('Floor 60%');
  });
});

describe('the lines', () => {
  it('holds the pledged total until the next event, a dot at each', () => {
    const { container } = render(
      <PledgedTotalChart
        rows={[
          { position: 3, total: 500 },
          { position: 4, total: 6000 },
          { position: 8, total: 5500 },
        ]}
      />,
    );
    const d = container.querySelector('path.chart__line')?.getAttribute('d') ?? '';
    expect(d).toMatch(/^M[\d.]+,[\d.]+H[\d.]+V[\d.]+H[\d.]+V[\d.]+$/);
    expect(container.querySelectorAll('circle.chart__dot')).toHaveLength(3);
    expect(container.textContent).toContain('Log position');
  });

  it('draws the even pace dashed and admissions solid, with a legend for each', () => {
    const { container } = render(
      <PaceChart
        rows={[
          {
            month: '2026-01',
            admitted: 10,
            cumulative: 10,
            expectedCumulative: 20,
            difference: -10,
          },
          { month: '2026-02', admitted: 30, cumulative: 40, expectedCumulative: 40, difference: 0 },
        ]}
      />,
    );
    const [pace, admitted] = [...container.querySelectorAll('path.chart__line')];
    expect(pace?.getAttribute('stroke-dasharray')).toBe('8 4');
    expect(admitted?.getAttribute('stroke-dasharray')).toBeNull();
    expect(container.textContent).toContain('Jan 2026');
    expect(
      [...container.querySelectorAll('.chart-legend li')].map((item) => item.textContent),
    ).toEqual(['Expected at an even pace', 'Admitted, cumulative']);
  });

  it('outlines the adopted bar and fills the admitted one', () => {
    const { container } = render(
      <AdoptedAdmittedChart rows={[{ name: 'Resettlement', adopted: 400, admitted: 100 }]} />,
    );
    const [adopted, admitted] = bars(container);
    expect(adopted?.getAttribute('fill')).toBe('#ffffff');
    expect(adopted?.getAttribute('stroke')).toBe('#1b1b1b');
    expect(numberOf(adopted!, 'width') / numberOf(admitted!, 'width')).toBeCloseTo(4);
  });
});

describe('a chart as a figure', () => {
  it('names the drawing, and builds the table behind it when it is first unfolded', () => {
    const { container } = render(
      <ChartFigure
        caption="Places by region"
        summary="Bar chart of places in 2 regions"
        table={
          <table aria-label="Data of the chart">
            <tbody>
              <tr>
                <td>1</td>
              </tr>
            </tbody>
          </table>
        }
      >
        <svg />
      </ChartFigure>,
    );
    expect(screen.getByRole('figure', { name: 'Places by region' })).toBeTruthy();
    expect(screen.getByRole('img', { name: 'Bar chart of places in 2 regions' })).toBeTruthy();
    const details = container.querySelector('details');
    expect(container.querySelector('table')).toBeNull();
    act(() => {
      details!.open = true;
      fireEvent(details!, new Event('toggle'));
    });
    expect(screen.getByRole('table', { name: 'Data of the chart' })).toBeTruthy();
    // Folded again, it stays built: unfolding twice costs nothing more.
    act(() => {
      details!.open = false;
      fireEvent(details!, new Event('toggle'));
    });
    expect(container.querySelector('table')).not.toBeNull();
  });
});
