// Jointly led tasks: a 牵头单位 cell may name several units (县发改局、县财政局). Each of them is a lead
// unit of the task — reminded, carded, painted and ranked on it — and none is the cell text itself.

// The separators clerks put between lead units: 、，,；; and line breaks (not / or spaces, which occur
// inside unit names such as 县委办/县政府办 written as one office).
const LEAD_UNIT_SEPARATORS = /[、，,；;\r\n]+/;

/** `县发改局、县财政局` → ['县发改局', '县财政局']: split, trimmed, deduplicated, in the cell's order. */
export function splitLeadUnits(text: string | null | undefined): string[] {
  if (!text) return [];
  const out: string[] = [];
  for (const part of text.split(LEAD_UNIT_SEPARATORS)) {
    const unit = part.trim();
    if (unit !== '' && !out.includes(unit)) out.push(unit);
  }
  return out;
}

/**
 * The lead units of a task. Always derived from the 牵头单位 text as written (`leadUnit`), so that a
 * task stored before lead units were a list, or a list sent that disagrees with the cell, reads alike.
 */
export function leadUnitsOf(task: { leadUnit: string | null }): string[] {
  return splitLeadUnits(task.leadUnit);
}

/** Whether `unit` is one of the task's lead units (a card to it may cite the task, R8). */
export function isLeadUnitOf(task: { leadUnit: string | null }, unit: string): boolean {
  return leadUnitsOf(task).includes(unit.trim());
}
