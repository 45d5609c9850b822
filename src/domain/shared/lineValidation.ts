import { DomainError, underPath, ViolationCollector } from './domainError';
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
 * no empty optional fields). Refuses them with every rule broken, each naming its line and field
 * (`lines.2.hostCountry`), so a Member State fixes its indication in one go.
 */
export function normaliseLines(
  lines: readonly PledgeLine[],
  period: LinePlan,
  options: { readonly allowEmpty: boolean },
): PledgeLine[] {
  if (lines.length === 0 && !options.allowEmpty) {
    throw new DomainError('empty_pledge', 'A pledge needs at least one line', {}, 'lines');
  }
  if (lines.length > MAX_LINES) {
    throw new DomainError(
      'invalid_pledge_line',
      `At most ${MAX_LINES} lines`,
      { lines: lines.length },
      'lines',
    );
  }
  const violations = new ViolationCollector();
  const normalised = lines.map((line, index) => normaliseLine(line, index, period, violations));
  // Duplicates among the lines that are valid on their own; an invalid line is already reported.
  const seen = new Map<string, number>();
  normalised.forEach((line, index) => {
    if (line === undefined) return;
    const key = lineKey(line);
    const first = seen.get(key);
    if (first !== undefined) {
      violations.add(
        'duplicate_pledge_line',
        `Lines ${first} and ${index} have the same admission type, host, year and basis; merge them`,
        `lines.${index}`,
        { lines: [first, index], key },
      );
      return;
    }
    seen.set(key, index);
  });
  violations.throwIfAny();
  return normalised.filter((line) => line !== undefined);
}

/** The canonical code of a host country, or a violation at `path`. */
function knownHostCountry(
  code: string,
  index: number,
  path: string,
  violations: ViolationCollector,
): string | undefined {
  const country = findHostCountry(code);
  if (!country) {
    violations.add(
      'unknown_host_country',
      `Line ${index}: ${code} is not a known host country (ISO 3166-1 alpha-2, outside the EU)`,
      path,
      { line: index, hostCountry: code },
    );
    return undefined;
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
 * Undefined when the host is refused (the violations say why).
 */
function normaliseHost(
  line: PledgeLine,
  index: number,
  plan: LinePlan,
  violations: ViolationCollector,
): NormalisedHost | undefined {
  const at = `lines.${index}`;
  const named = [line.hostCountry, line.hostCountries, line.planRegion].filter(
    (field) => field !== undefined,
  ).length;
  if (named > 1) {
    violations.add(
      'invalid_pledge_line',
      `Line ${index}: name exactly one of hostCountry, hostCountries or planRegion`,
      at,
      { line: index },
    );
    return undefined;
  }
  if (line.hostCountry !== undefined) {
    const code = knownHostCountry(line.hostCountry, index, `${at}.hostCountry`, violations);
    return code === undefined ? undefined : { hostCountry: code };
  }
  if (line.hostCountries !== undefined) {
    if (line.hostCountries.length === 0) {
      violations.add('invalid_pledge_line', `Line ${index}: hostCountries is empty`, at, {
        line: index,
      });
      return undefined;
    }
    const known = line.hostCountries.map((code, position) =>
      knownHostCountry(code, index, `${at}.hostCountries.${position}`, violations),
    );
    if (known.some((code) => code === undefined)) return undefined;
    const countries = [...new Set(known.filter((code) => code !== undefined))].sort();
    const [only] = countries;
    return countries.length === 1 && only !== undefined
      ? { hostCountry: only }
      : { hostCountries: countries };
  }
  if (line.planRegion !== undefined) {
    if (!plan.regions.some((region) => region.id === line.planRegion)) {
      const validRegions = plan.regions.map((region) => region.id);
      violations.add(
        'unknown_plan_region',
        `Line ${index}: ${line.planRegion} is not one of the plan's regions (${
          validRegions.length === 0
            ? 'the plan defines none: name a host country instead'
            : `valid: ${validRegions.join(', ')}`
        })`,
        `${at}.planRegion`,
        { line: index, planRegion: line.planRegion, planRegions: validRegions, validRegions },
      );
      return undefined;
    }
    return { planRegion: line.planRegion };
  }
  return {};
}

/** One line normalised, or undefined with its violations recorded (every one, not the first). */
function normaliseLine(
  line: PledgeLine,
  index: number,
  period: LinePlan,
  violations: ViolationCollector,
): PledgeLine | undefined {
  const before = violations.count;
  const at = `lines.${index}`;
  const fail = (message: string, field?: string, facts: Record<string, unknown> = {}): void => {
    violations.add(
      'invalid_pledge_line',
      `Line ${index}: ${message}`,
      field === undefined ? at : `${at}.${field}`,
      { line: index, ...facts },
    );
  };
  if (!Number.isInteger(line.persons) || line.persons < 1 || line.persons > MAX_PERSONS_PER_LINE) {
    fail(`persons must be a whole number from 1 to ${MAX_PERSONS_PER_LINE}`, 'persons', {
      persons: line.persons,
    });
  }
  if (!ADMISSION_TYPES.includes(line.admissionType)) {
    fail(`admissionType must be one of ${ADMISSION_TYPES.join(', ')}`, 'admissionType', {
      admissionType: line.admissionType,
    });
  }
  const isEmergency = line.admissionType === 'emergency_admission';
  const host = normaliseHost(line, index, period, violations);
  if (host !== undefined && Object.keys(host).length === 0 && !isEmergency) {
    fail(
      'a host country, several host countries or a plan region is required except for emergency admission (Art. 8(5))',
    );
  }
  if (isEmergency && line.emergencyBasis === undefined) {
    fail(
      'an emergency line states its basis: resettlement or humanitarian_admission (Art. 2)',
      'emergencyBasis',
    );
  }
  if (
    isEmergency &&
    line.emergencyBasis !== undefined &&
    !EMERGENCY_BASES.includes(line.emergencyBasis)
  ) {
    fail(`emergencyBasis must be one of ${EMERGENCY_BASES.join(', ')}`, 'emergencyBasis', {
      emergencyBasis: line.emergencyBasis,
    });
  }
  if (!isEmergency && line.emergencyBasis !== undefined) {
    fail('emergencyBasis applies to emergency admission only', 'emergencyBasis');
  }
  if (line.year !== undefined) {
    const first = yearOf(period.periodStart);
    const last = yearOf(period.periodEnd);
    if (!Number.isInteger(line.year) || line.year < first || line.year > last) {
      violations.add(
        'year_outside_plan_period',
        `Line ${index}: year ${line.year} is outside the plan period ${first}-${last}`,
        `${at}.year`,
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
    line.targetGroups.forEach((group, position) => {
      if (!isTargetGroupId(group)) {
        violations.add(
          'unknown_target_group',
          `Line ${index}: unknown target group ${group}`,
          `${at}.targetGroups.${position}`,
          { line: index, targetGroup: group },
        );
      }
    });
    targetGroups = [...new Set(line.targetGroups)].sort();
    const humanitarianBasis =
      line.admissionType === 'humanitarian_admission' ||
      (isEmergency && line.emergencyBasis === 'humanitarian_admission');
    const misplaced = targetGroups.filter((group) => humanitarianOnlyGroups.has(group));
    if (!humanitarianBasis && misplaced.length > 0) {
      fail(
        `target group ${misplaced.join(', ')} applies to humanitarian admission only (Art. 5(3)(b))`,
        'targetGroups',
      );
    }
  }
  const note = line.note?.trim();
  if (note !== undefined && note.length > MAX_NOTE_LENGTH) {
    fail(`note is longer than ${MAX_NOTE_LENGTH} characters`, 'note');
  }
  if (host === undefined || violations.count > before) return undefined;
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

/**
 * Validates contributions: known, participating, each participant at most once, lines valid.
 * Every contribution is checked; the refusal lists every rule broken, each under its path
 * (`contributions.1.lines.0.hostCountry`).
 */
export function normaliseContributions(
  contributions: readonly Contribution[],
  period: LinePlan,
  options: { readonly allowEmptyLines: boolean },
  field = 'contributions',
): Contribution[] {
  const violations = new ViolationCollector();
  const seen = new Set<string>();
  const normalised = contributions.map((contribution, index) => {
    const at = `${field}.${index}`;
    const memberState = violations.check(
      () => participatingCode(contribution.memberState),
      underPath(`${at}.memberState`),
    );
    if (memberState === undefined) return undefined;
    if (seen.has(memberState)) {
      violations.add(
        'duplicate_contribution',
        `${memberState} appears twice`,
        `${at}.memberState`,
        {
          memberState,
        },
      );
      return undefined;
    }
    seen.add(memberState);
    const lines = violations.check(
      () => normaliseLines(contribution.lines, period, { allowEmpty: options.allowEmptyLines }),
      underPath(at, { messagePrefix: `${memberState}: `, facts: { memberState } }),
    );
    return lines === undefined ? undefined : { memberState, lines };
  });
  violations.throwIfAny();
  return normalised.filter((contribution) => contribution !== undefined).sort(compareByMemberState);
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
