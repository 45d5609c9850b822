/**
 * Realistic events for the benchmarks, shaped by the domain's own types and reference data, with
 * the metadata the command handler records (actor, time, reason, correlation, causation, key).
 */
import { randomUUID } from 'node:crypto';
import { newEventId } from '../src/application/eventIds';
import { currentSchemaVersion, type TrackerEvent } from '../src/domain/events';
import { PARTICIPANTS } from '../src/domain/reference';
import type { PledgeRevised, PledgeSubmitted } from '../src/domain/pledge/pledgeEvents';
import type { Actor, EventMetadata } from '../src/domain/shared/messages';
import type { PledgeLine } from '../src/domain/shared/pledgeLine';
import type { EventToAppend } from '../src/eventStore/port';

export const BENCH_PLAN_ID = '2026-2027';
export const BENCH_PERIOD = { periodStart: '2026-01-01', periodEnd: '2027-12-31' } as const;

/** Bound EU Member States (the EU-27 without Denmark; Ireland takes part), in code order. */
export const BOUND_MEMBER_STATES: readonly string[] = PARTICIPANTS.filter(
  (participant) => participant.kind === 'member_state' && participant.participation === 'bound',
).map((participant) => participant.code);

export const COMMISSION: Actor = { id: 'dg-home', role: 'commission' };

export function ministry(memberState: string): Actor {
  return { id: `${memberState.toLowerCase()}-ministry`, role: 'member_state', memberState };
}

export const REVISION_REASONS: readonly string[] = [
  'Updated national reception capacity after the budget decision',
  'Aligned with the UNHCR projected global resettlement needs',
  'Shifted places between host countries after a selection mission',
  'Parliament approved the annual humanitarian admission quota',
  'Corrected the split between the two years of the plan',
];

/**
 * A six-line pledge for the 2026-2027 plan, already normalised as the domain records it. `variant`
 * changes the persons, so consecutive variants never make a no-op revision.
 */
export function sixLinePledge(variant: number): PledgeLine[] {
  const shift = variant % 2 === 0 ? 0 : 10;
  return [
    {
      admissionType: 'resettlement',
      hostCountry: 'TR',
      persons: 400 + shift,
      year: 2026,
      targetGroups: ['children', 'women_and_girls_at_risk'],
    },
    { admissionType: 'resettlement', hostCountry: 'LB', persons: 250, year: 2026 },
    {
      admissionType: 'resettlement',
      hostCountry: 'JO',
      persons: 150 + shift,
      year: 2027,
      targetGroups: ['medical_needs'],
    },
    {
      admissionType: 'humanitarian_admission',
      hostCountry: 'EG',
      persons: 120,
      year: 2026,
      targetGroups: ['family_members'],
    },
    {
      admissionType: 'humanitarian_admission',
      hostCountry: 'TR',
      persons: 100,
      year: 2027,
      note: 'Private sponsorship scheme, second cohort',
    },
    { admissionType: 'emergency_admission', persons: 80, emergencyBasis: 'resettlement' },
  ];
}

/**
 * The metadata `handleCommand` records for one request (with an Idempotency-Key unless told); the
 * event's schema version is added with the event (`toEventToAppend`).
 */
export function requestMetadata(
  actor: Actor,
  recordedAt: string,
  reason?: string,
  withIdempotencyKey = true,
): EventMetadata {
  const requestId = randomUUID();
  return {
    actor,
    recordedAt,
    ...(reason !== undefined && { reason }),
    correlationId: requestId,
    causationId: requestId,
    ...(withIdempotencyKey && { idempotencyKey: `${actor.id}:${randomUUID()}` }),
  };
}

/** An event as the command handler appends it: today's shape, stamped with its schema version. */
export function toEventToAppend(event: TrackerEvent, metadata: EventMetadata): EventToAppend {
  return {
    id: newEventId(),
    type: event.type,
    data: event.data,
    metadata: { ...metadata, schemaVersion: currentSchemaVersion(event.type) },
  };
}

export function pledgeSubmittedEvent(memberState: string, variant: number): EventToAppend {
  const event: PledgeSubmitted = {
    type: 'PledgeSubmitted',
    data: {
      planId: BENCH_PLAN_ID,
      memberState,
      lines: sixLinePledge(variant),
      planStatus: 'pledging_open',
    },
  };
  return toEventToAppend(event, requestMetadata(ministry(memberState), new Date().toISOString()));
}

/** One realistic PledgeRevised (six lines, full metadata), as the tracker would append it. */
export function pledgeRevisedEvent(memberState: string, variant: number): EventToAppend {
  const reason = REVISION_REASONS[variant % REVISION_REASONS.length] ?? 'Revised';
  const event: PledgeRevised = {
    type: 'PledgeRevised',
    data: {
      planId: BENCH_PLAN_ID,
      memberState,
      lines: sixLinePledge(variant),
      reason,
      planStatus: 'pledging_open',
    },
  };
  return toEventToAppend(
    event,
    requestMetadata(ministry(memberState), new Date().toISOString(), reason),
  );
}
