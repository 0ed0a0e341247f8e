// Every unit's card state (R13; shared unitCardStates), with its
// cards of the year, interviews in the red window and rectification deadline (R11, R12).
import { unitCardStates } from '../../shared/rules/cards.js';
import { allUnitSnapshots } from '../storage/index.js';
import { rulesContext } from '../services/rules.js';
import type { ApiRun } from './adapter.js';
import { AsOfQuery } from './common.js';
import { httpFunction } from './route.js';

const getUnitStates: ApiRun = async (call) => {
  const asOf = call.query(AsOfQuery).asOf ?? call.today;
  const storage = await call.storage();
  const [{ settings, calendar }, snapshots] = await Promise.all([
    rulesContext(storage),
    allUnitSnapshots(storage),
  ]);
  const records = new Map(snapshots.flatMap((s) => s.cards.map((c) => [c.id, c] as const)));
  const states = unitCardStates(
    snapshots.flatMap((s) => s.events),
    asOf,
    settings,
    calendar,
  );
  return {
    body: {
      asOf,
      units: states.map((s) => ({
        unit: s.unit,
        state: s.state,
        color: s.state === 'none' ? null : settings.cardColors[s.state],
        interviews: s.interviews,
        redByInterviews: s.redByInterviews,
        cards: s.cards.map((c) => {
          const r = c.id ? records.get(c.id) : undefined;
          return {
            id: c.id ?? '',
            color: c.color,
            docNo: c.docNo ?? null,
            date: c.date,
            reason: c.reason ?? null,
            taskIds: c.taskIds ?? [],
            rectifyBy: r?.rectifyBy ?? null,
            rectifiedOn: r?.rectifiedOn ?? null,
            checklist: r?.checklist ?? null,
          };
        }),
        rectifyBy: s.rectifyBy,
        rectificationOverdue: s.rectificationOverdue,
      })),
    },
  };
};

export default httpFunction('units', {
  route: 'units',
  query: { GET: AsOfQuery },
  methods: { GET: getUnitStates },
});
