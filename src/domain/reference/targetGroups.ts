/** Optional pledge target groups: the categories of eligible persons in Art. 5(3). */

export const TARGET_GROUP_IDS = [
  'women_and_girls_at_risk',
  'children',
  'unaccompanied_children',
  'survivors_of_violence_or_torture',
  'legal_or_physical_protection_needs',
  'medical_needs',
  'persons_with_disabilities',
  'protracted_situations',
  'family_members',
] as const;

export type TargetGroupId = (typeof TARGET_GROUP_IDS)[number];

export interface TargetGroup {
  readonly id: TargetGroupId;
  readonly name: string;
  /**
   * One of the AMIF Art. 19(3) groups for which humanitarian admission is paid EUR 8,000 instead of
   * 6,000 per person: women and children at risk, unaccompanied minors, persons with medical needs
   * that only humanitarian admission can address, persons needing it for legal or physical
   * protection, including victims of violence or torture.
   */
  readonly amifVulnerable: boolean;
  /** Eligible for humanitarian admission only, never resettlement. */
  readonly humanitarianAdmissionOnly: boolean;
}

// Source: Reg. (EU) 2024/1350 Art. 5(3) and 5(4); Art. 19(3) groups per Reg. (EU) 2021/1147 Art. 19 as amended by Art. 14 of 2024/1350.
export const TARGET_GROUPS: readonly TargetGroup[] = [
  {
    id: 'women_and_girls_at_risk',
    name: 'Women and girls at risk',
    amifVulnerable: true,
    humanitarianAdmissionOnly: false,
  },
  {
    id: 'children',
    name: 'Children',
    // AMIF names "children at risk"; a pledge targeting children is taken to target them.
    amifVulnerable: true,
    humanitarianAdmissionOnly: false,
  },
  {
    id: 'unaccompanied_children',
    name: 'Unaccompanied children',
    amifVulnerable: true,
    humanitarianAdmissionOnly: false,
  },
  {
    id: 'survivors_of_violence_or_torture',
    name: 'Survivors of violence or torture, including gender-based violence',
    // Art. 19(3) names them within the legal or physical protection group.
    amifVulnerable: true,
    humanitarianAdmissionOnly: false,
  },
  {
    id: 'legal_or_physical_protection_needs',
    name: 'Persons with legal or physical protection needs',
    amifVulnerable: true,
    humanitarianAdmissionOnly: false,
  },
  {
    id: 'medical_needs',
    name: 'Persons with medical needs',
    amifVulnerable: true,
    humanitarianAdmissionOnly: false,
  },
  {
    id: 'persons_with_disabilities',
    name: 'Persons with disabilities',
    amifVulnerable: false,
    humanitarianAdmissionOnly: false,
  },
  {
    id: 'protracted_situations',
    name: 'Persons without a foreseeable durable solution (protracted situations)',
    amifVulnerable: false,
    humanitarianAdmissionOnly: false,
  },
  {
    id: 'family_members',
    name: 'Family members of Union citizens or of persons legally residing in a Member State',
    // Art. 19(5): a family member counts like the person joined, never as a group of its own.
    amifVulnerable: false,
    humanitarianAdmissionOnly: true,
  },
] as const satisfies readonly TargetGroup[];

const TARGET_GROUPS_BY_ID: ReadonlyMap<string, TargetGroup> = new Map(
  TARGET_GROUPS.map((group) => [group.id, group] as const),
);

export function isTargetGroupId(value: string): value is TargetGroupId {
  return TARGET_GROUPS_BY_ID.has(value);
}

/** Unknown ids yield `undefined`; callers validating input report `unknown_target_group`. */
export function findTargetGroup(id: string): TargetGroup | undefined {
  return TARGET_GROUPS_BY_ID.get(id);
}
