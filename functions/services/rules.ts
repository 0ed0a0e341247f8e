// The rules in force for a decision: the office's settings and the working calendar they make (R16).
import { makeCalendar, type WorkCalendar } from '../../shared/calendar.js';
import type { Settings } from '../../shared/settings.js';
import { loadSettings, type Storage } from '../storage/index.js';

export async function rulesContext(
  storage: Storage,
): Promise<{ settings: Settings; calendar: WorkCalendar }> {
  const settings = await loadSettings(storage);
  return { settings, calendar: makeCalendar(settings) };
}
