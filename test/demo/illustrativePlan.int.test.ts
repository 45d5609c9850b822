import { InMemoryEventStore } from '../../src/eventStore/memory/inMemoryEventStore';
import { createTracker } from '../../src/application/tracker';
import { Projector } from '../../src/projections/projector';
import { ALL_PROJECTIONS } from '../../src/projections';
import { getCompliance, getTotals, planReadModel } from '../../src/projections/planReadModel';
import { ALL_PARTICIPANTS } from '../../src/projections/readScope';
import { seedIllustrativePlan, ILLUSTRATIVE_PLAN_ID } from '../../src/demo/illustrativePlan';

describe('the illustrative 2026-2027 plan loaded on a first run', () => {
  const load = async () => {
    const store = new InMemoryEventStore();
    let sequence = 0;
    const newId = () => `00000000-0000-4000-8000-${String(++sequence).padStart(12, '0')}`;
    const tracker = createTracker({
      store,
      clock: () => new Date('2026-11-28T10:00:00.000Z'),
      newId,
    });
    await seedIllustrativePlan(tracker, newId);
    const projector = new Projector(store, ALL_PROJECTIONS);
    await projector.catchUp();
    return projector.state(planReadModel);
  };

  it('carries the published headline figures: 15,230 proposed and 10,430 adopted, nine Member States', async () => {
    const state = await load();
    const proposal = getTotals(state, ILLUSTRATIVE_PLAN_ID, 'proposal', ALL_PARTICIPANTS);
    const adopted = getTotals(state, ILLUSTRATIVE_PLAN_ID, 'adopted', ALL_PARTICIPANTS);
    expect(proposal?.total).toBe(15_230);
    expect(proposal?.byMemberState).toHaveLength(9);
    expect(adopted?.total).toBe(10_430);
    expect(adopted?.byMemberState).toHaveLength(9);
  });

  it('names a plan region and a group of host countries, each reported as one figure', async () => {
    const state = await load();
    const adopted = getTotals(state, ILLUSTRATIVE_PLAN_ID, 'adopted', ALL_PARTICIPANTS);
    expect(adopted?.planRegions).toEqual([
      expect.objectContaining({ planRegion: 'latin_america', total: 150 }),
    ]);
    const acrossBureaux = adopted?.regions.find((row) => row.region === 'across_several_bureaux');
    expect(acrossBureaux?.groups).toEqual([
      expect.objectContaining({ group: 'EG+TD', countries: ['EG', 'TD'], total: 150 }),
    ]);
  });

  it('adopts a plan that meets its own priorities and the resettlement floor', async () => {
    const state = await load();
    const compliance = getCompliance(state, ILLUSTRATIVE_PLAN_ID, 'adopted', ALL_PARTICIPANTS);
    const status = (id: string) => compliance?.checks.find((check) => check.id === id)?.status;
    expect(status('resettlement_share')).toBe('pass');
    expect(status('priority_host_countries')).toBe('pass');
    expect(status('totals_reconcile')).toBe('pass');
    // As in 2025 the Member States lowered their indications after the proposal, and the Council
    // adopted them as they then stood: the plan fully respects them (Art. 8(3)(b)).
    expect(status('indications_respected')).toBe('pass');
    expect(status('pending_revisions')).toBe('pass');
    expect(compliance?.resettlementSharePercent).toBeGreaterThan(60);
  });
});
