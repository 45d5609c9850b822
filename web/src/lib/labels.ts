/**
 * The words every screen uses for the API's codes: one place, so a desk officer, a Commission
 * official and an auditor read the same name for the same thing.
 */
import type { Schema } from '../api/client';

type PledgeLine = Schema<'PledgeLine'>;
type AdmissionType = PledgeLine['admissionType'];
type EmergencyBasis = NonNullable<PledgeLine['emergencyBasis']>;
type PlanStatus = Schema<'Plan'>['status'];

/** The three types in the order Art. 8(3)(a) names them; every table and chart keeps it. */
export const ADMISSION_TYPES: readonly AdmissionType[] = [
  'resettlement',
  'humanitarian_admission',
  'emergency_admission',
];

export const ADMISSION_TYPE_LABELS: Readonly<Record<AdmissionType, string>> = {
  resettlement: 'Resettlement',
  humanitarian_admission: 'Humanitarian admission',
  emergency_admission: 'Emergency admission',
};

export const EMERGENCY_BASIS_LABELS: Readonly<Record<EmergencyBasis, string>> = {
  resettlement: 'Resettlement',
  humanitarian_admission: 'Humanitarian admission',
};

export const PLAN_STATUS_LABELS: Readonly<Record<PlanStatus, string>> = {
  draft: 'Draft',
  pledging_open: 'Pledging open',
  pledging_closed: 'Pledging closed',
  proposed: 'Proposed by the Commission',
  adopted: 'Adopted by the Council',
};
