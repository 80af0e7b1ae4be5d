import type { CheckResult } from '../bindings/CheckResult';

/** A check's name as shown: "latency target" -> "Latency target". */
export function checkLabel(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** What a checklist's summary line says. */
export interface ChecklistSummary {
  /** Checks met among those that count toward the level. */
  met: number;
  /** Checks that count toward the level (the rubric's uncounted ones are shown apart). */
  counted: number;
  /** "level 4 needs Flow", one per level an open condition holds back, lowest first. */
  needs: string[];
}

/** The summary of a dimension's checklist, from the engine's marks (met, holds_level, uncounted). */
export function summariseChecks(checks: CheckResult[]): ChecklistSummary {
  const counted = checks.filter((c) => !c.uncounted);
  const held = new Map<number, string[]>();
  for (const c of checks) {
    if (!c.holds_level || c.needed_for === null) continue;
    held.set(c.needed_for, [...(held.get(c.needed_for) ?? []), checkLabel(c.name)]);
  }
  const needs = [...held.entries()]
    .sort(([a], [b]) => a - b)
    .map(([level, names]) =>
      names.length === 1 ? `level ${level} needs ${names[0]}` : `level ${level} needs one of ${names.join(', ')}`,
    );
  return { met: counted.filter((c) => c.met).length, counted: counted.length, needs };
}
