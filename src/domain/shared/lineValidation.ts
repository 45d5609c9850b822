import { DomainError } from './domainError';
import {
  ADMISSION_TYPES,
  compareByMemberState,
  EMERGENCY_BASES,
  lineKey,
  MAX_LINES,
  type Contribution,
  type PledgeLine,
} from './pledgeLine';
import {
  findHostCountry,
  findParticipant,
  isAssociatedState,
  isTargetGroupId,
  mayPledge,
  TARGET_GROUPS,
  type Participant,
} from '../reference';
import { yearOf } from './dates';

export const MAX_PERSONS_PER_LINE = 1_000_000;
export const MAX_NOTE_LENGTH = 1_000;

/** What a line is checked against: the plan's period and its own regions. */
export interface LinePlan {
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly regions: readonly { readonly id: string }[];
}

const humanitarianOnlyGroups: ReadonlySet<string> = new Set<string>(
  TARGET_GROUPS.filter((group) => group.humanitarianAdmissionOnly).map((group) => group.id),
);

/**
 * Validates and normalises a set of lines (upper-case host country, sorted unique target groups,
 * no empty optional fields). Throws the first rule broken, naming the line by index.
 */
export function normaliseLines(
  lines: readonly PledgeLine[],
  period: LinePlan,
  options: { readonly allowEmpty: boolean },
): PledgeLine[] {
  if (lines.length === 0 && !options.allowEmpty) {
    throw new DomainError('empty_pledge', 'A pledge needs at least one line');
  }
  if (lines.length > MAX_LINES) {
    throw new DomainError('invalid_pledge_line', `At most ${MAX_LINES} lines`, {
      lines: lines.length,
    });
  }
  const normalised = lines.map((line, index) => normaliseLine(line, index, period));
  const seen = new Map<string, number>();
  normalised.forEach((line, index) => {
    const key = lineKey(line);
    const first = seen.get(key);
    if (first !== undefined) {
      throw new DomainError(
        'duplicate_pledge_line',
        `Lines ${first} and ${index} have the same admission type, host, year and basis; merge them`,
        { lines: [first, index], key },
      );
    }
    seen.set(key, index);
  });
  return normalised;
}

function knownHostCountry(code: string, index: number): string {
  const country = findHostCountry(code);
  if (!country) {
    throw new DomainError(
      'unknown_host_country',
      `Line ${index}: ${code} is not a known host country (ISO 3166-1 alpha-2, outside the EU)`,
      { line: index, hostCountry: code },
    );
  }
  return country.code;
}

type NormalisedHost =
  | { readonly hostCountry: string }
  | { readonly hostCountries: string[] }
  | { readonly planRegion: string }
  | Record<string, never>;

/**
 * Art. 1(4), 8(3)(c): a line names one host country, several, or one of the plan's regions; a
 * list of one country is that country. Several countries are kept as one group, never split.
 */
function normaliseHost(line: PledgeLine, index: number, plan: LinePlan): NormalisedHost {
  const named = [line.hostCountry, line.hostCountries, line.planRegion].filter(
    (field) => field !== undefined,
  ).length;
  if (named > 1) {
    throw new DomainError(
      'invalid_pledge_line',
      `Line ${index}: name exactly one of hostCountry, hostCountries or planRegion`,
      { line: index },
    );
  }
  if (line.hostCountry !== undefined) {
    return { hostCountry: knownHostCountry(line.hostCountry, index) };
  }
  if (line.hostCountries !== undefined) {
    const countries = [
      ...new Set(line.hostCountries.map((code) => knownHostCountry(code, index))),
    ].sort();
    if (countries.length === 0) {
      throw new DomainError('invalid_pledge_line', `Line ${index}: hostCountries is empty`, {
        line: index,
      });
    }
    const [only] = countries;
    return countries.length === 1 && only !== undefined
      ? { hostCountry: only }
      : { hostCountries: countries };
  }
  if (line.planRegion !== undefined) {
    if (!plan.regions.some((region) => region.id === line.planRegion)) {
      throw new DomainError(
        'unknown_plan_region',
        `Line ${index}: ${line.planRegion} is not one of the plan's regions`,
        { line: index, planRegion: line.planRegion, planRegions: plan.regions.map((r) => r.id) },
      );
    }
    return { planRegion: line.planRegion };
  }
  return {};
}

function normaliseLine(line: PledgeLine, index: number, period: LinePlan): PledgeLine {
  const fail = (message: string, facts: Record<string, unknown> = {}): never => {
    throw new DomainError('invalid_pledge_line', `Line ${index}: ${message}`, {
      line: index,
      ...facts,
    });
  };
  if (!Number.isInteger(line.persons) || line.persons < 1 || line.persons > MAX_PERSONS_PER_LINE) {
    fail(`persons must be a whole number from 1 to ${MAX_PERSONS_PER_LINE}`, {
      persons: line.persons,
    });
  }
  if (!ADMISSION_TYPES.includes(line.admissionType)) {
    fail(`admissionType must be one of ${ADMISSION_TYPES.join(', ')}`, {
      admissionType: line.admissionType,
    });
  }
  const isEmergency = line.admissionType === 'emergency_admission';
  const host = normaliseHost(line, index, period);
  if (Object.keys(host).length === 0 && !isEmergency) {
    fail(
      'a host country, several host countries or a plan region is required except for emergency admission (Art. 8(5))',
    );
  }
  if (isEmergency && line.emergencyBasis === undefined) {
    fail('an emergency line states its basis: resettlement or humanitarian_admission (Art. 2)');
  }
  if (
    isEmergency &&
    line.emergencyBasis !== undefined &&
    !EMERGENCY_BASES.includes(line.emergencyBasis)
  ) {
    fail(`emergencyBasis must be one of ${EMERGENCY_BASES.join(', ')}`, {
      emergencyBasis: line.emergencyBasis,
    });
  }
  if (!isEmergency && line.emergencyBasis !== undefined) {
    fail('emergencyBasis applies to emergency admission only');
  }
  if (line.year !== undefined) {
    const first = yearOf(period.periodStart);
    const last = yearOf(period.periodEnd);
    if (!Number.isInteger(line.year) || line.year < first || line.year > last) {
      throw new DomainError(
        'year_outside_plan_period',
        `Line ${index}: year ${line.year} is outside the plan period ${first}-${last}`,
        {
          line: index,
          year: line.year,
          periodStart: period.periodStart,
          periodEnd: period.periodEnd,
        },
      );
    }
  }
  let targetGroups: string[] | undefined;
  if (line.targetGroups !== undefined && line.targetGroups.length > 0) {
    for (const group of line.targetGroups) {
      if (!isTargetGroupId(group)) {
        throw new DomainError(
          'unknown_target_group',
          `Line ${index}: unknown target group ${group}`,
          {
            line: index,
            targetGroup: group,
          },
        );
      }
    }
    targetGroups = [...new Set(line.targetGroups)].sort();
    const humanitarianBasis =
      line.admissionType === 'humanitarian_admission' ||
      (isEmergency && line.emergencyBasis === 'humanitarian_admission');
    const misplaced = targetGroups.filter((group) => humanitarianOnlyGroups.has(group));
    if (!humanitarianBasis && misplaced.length > 0) {
      fail(
        `target group ${misplaced.join(', ')} applies to humanitarian admission only (Art. 5(3)(b))`,
      );
    }
  }
  const note = line.note?.trim();
  if (note !== undefined && note.length > MAX_NOTE_LENGTH) {
    fail(`note is longer than ${MAX_NOTE_LENGTH} characters`);
  }
  return {
    admissionType: line.admissionType,
    ...host,
    persons: line.persons,
    ...(line.year !== undefined && { year: line.year }),
    ...(isEmergency && { emergencyBasis: line.emergencyBasis }),
    ...(targetGroups !== undefined && { targetGroups }),
    ...(note !== undefined && note.length > 0 && { note }),
  };
}

/** Resolves a participant code, GR and EL alike, to its canonical code; unknown codes are refused. */
export function knownParticipant(code: string): Participant {
  const participant = findParticipant(code);
  if (!participant) {
    throw new DomainError(
      'unknown_member_state',
      `${code} is not an EU Member State or associated state`,
      { memberState: code },
    );
  }
  return participant;
}

/** Resolves a participant code (GR and EL alike) and checks it may take part in the plan. */
export function participatingCode(code: string): string {
  const participant = knownParticipant(code);
  if (!mayPledge(participant)) {
    throw new DomainError(
      'participant_not_bound',
      `${participant.name} is not bound by Regulation (EU) 2024/1350 and does not take part in the plan`,
      { memberState: participant.code, participation: participant.participation },
    );
  }
  return participant.code;
}

/** Validates contributions: known, participating, each participant at most once, lines valid. */
export function normaliseContributions(
  contributions: readonly Contribution[],
  period: LinePlan,
  options: { readonly allowEmptyLines: boolean },
): Contribution[] {
  const seen = new Set<string>();
  const normalised = contributions.map((contribution) => {
    const memberState = participatingCode(contribution.memberState);
    if (seen.has(memberState)) {
      throw new DomainError('duplicate_contribution', `${memberState} appears twice`, {
        memberState,
      });
    }
    seen.add(memberState);
    let lines: PledgeLine[];
    try {
      lines = normaliseLines(contribution.lines, period, { allowEmpty: options.allowEmptyLines });
    } catch (error) {
      if (error instanceof DomainError) {
        throw new DomainError(error.code, `${memberState}: ${error.message}`, {
          memberState,
          ...error.facts,
        });
      }
      throw error;
    }
    return { memberState, lines };
  });
  return normalised.sort(compareByMemberState);
}

/**
 * Member States' contributions and associated states' indications apart: the plan's figures hold
 * the first only (Art. 8(3)(a)-(b), Art. 12).
 */
export function splitAssociatedStates(contributions: readonly Contribution[]): {
  contributions: Contribution[];
  associatedStates: Contribution[];
} {
  return {
    contributions: contributions.filter((c) => !isAssociatedState(c.memberState)),
    associatedStates: contributions.filter((c) => isAssociatedState(c.memberState)),
  };
}
