// Entry point for the Azure Functions runtime (`func start`, Azure): registers every entry of the
// registry. Keys are checked by the handlers (DUBAN_FUNCTION_KEY), so the triggers are anonymous and
// `func` and the dev host behave the same; the signed feedback link needs no key at all.
import azf from '@azure/functions';
import { FUNCTIONS } from './registry.js';

for (const f of FUNCTIONS) {
  if (f.kind === 'http') {
    azf.app.http(f.name, { route: f.route, methods: f.methods, authLevel: 'anonymous', handler: f.handler });
  } else if (f.kind === 'queue') {
    // Retried, then moved to `<queue>-poison`, by the runtime (host.json extensions.queues).
    azf.app.storageQueue(f.name, {
      queueName: f.queueName,
      connection: 'AzureWebJobsStorage',
      handler: f.handler,
    });
  } else {
    azf.app.timer(f.name, { schedule: f.schedule, handler: f.handler });
  }
}
