import type { Response } from 'express';
import { actorOf } from './http';

/**
 * Before adoption a Member State may see aggregate figures but no other Member State's pledge.
 * Figures are redacted structurally, wherever they sit in a response: an object carrying a
 * `memberState` field that is not the caller's is dropped from its array, and `byMemberState`
 * maps keep the caller's own key only. Totals themselves stay whole.
 */
export function redactForMemberState<T>(body: T, response: Response, planAdopted: boolean): T {
  const actor = actorOf(response);
  if (actor.role !== 'member_state' || planAdopted) return body;
  return redact(body, actor.memberState ?? '') as T;
}

function redact(value: unknown, own: string): unknown {
  if (Array.isArray(value)) {
    return value
      .filter((item) => !isOtherMemberStates(item, own))
      .map((item: unknown) => redact(item, own));
  }
  if (value !== null && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      if (
        key === 'byMemberState' &&
        child !== null &&
        typeof child === 'object' &&
        !Array.isArray(child)
      ) {
        const entries = Object.entries(child as Record<string, unknown>);
        result[key] = Object.fromEntries(entries.filter(([memberState]) => memberState === own));
      } else {
        result[key] = redact(child, own);
      }
    }
    return result;
  }
  return value;
}

function isOtherMemberStates(item: unknown, own: string): boolean {
  if (item === null || typeof item !== 'object') return false;
  const memberState = (item as { memberState?: unknown }).memberState;
  return typeof memberState === 'string' && memberState !== own;
}
