// How a role's settings and use read, in the table and on its page alike.
import type { RoleLastUsed } from '../bindings';

/** 3600 → "1 h", 5400 → "1 h 30 min": how the console's session setting reads. */
export function sessionHours(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.round((seconds % 3600) / 60);
  return m ? `${h} h ${m} min` : `${h} h`;
}

/**
 * "2026-11-20 · eu-west-1". AWS tracks use for the last 400 days only, so no record means
 * "never" within that window; a record without a readable date says nothing: "unknown".
 */
export function lastUsedText(used: RoleLastUsed | null): string {
  if (!used) return 'never';
  const date = /^\d{4}-\d{2}-\d{2}/.exec(used.date)?.[0];
  if (!date) return 'unknown';
  return used.region ? `${date} · ${used.region}` : date;
}

/** Where AWS puts the roles its services create and manage. */
export const SERVICE_LINKED_NOTE =
  'A service-linked role: the AWS service that created it owns its trust policy and permissions, and deletes it.';
