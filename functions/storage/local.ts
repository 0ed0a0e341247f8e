// Whether a connection string's Table service is this machine's (Azurite), read the way the Azure SDK
// reads it: `key=value` pairs, the TableEndpoint's host. Guards what must never reach an office's real
// storage (the playground, and the loopback channels it allows).

const LOOPBACK_HOST = /^(127(\.\d{1,3}){3}|localhost|\[::1\])$/i;

/** True only for exactly `UseDevelopmentStorage=true`, or a TableEndpoint whose host is loopback. */
export function isLocalTableStorage(connectionString: string): boolean {
  const parts = new Map<string, string>();
  for (const raw of connectionString.split(';')) {
    const part = raw.trim();
    if (!part) continue;
    const i = part.indexOf('=');
    if (i <= 0) return false;
    const key = part.slice(0, i).trim().toLowerCase();
    // A key given twice is read differently by different parsers: never local.
    if (parts.has(key)) return false;
    parts.set(key, part.slice(i + 1).trim());
  }
  if (parts.size === 1 && parts.get('usedevelopmentstorage')?.toLowerCase() === 'true') return true;
  if (parts.has('usedevelopmentstorage')) return false;
  const endpoint = parts.get('tableendpoint');
  if (!endpoint) return false;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  return (
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    !url.username &&
    !url.password &&
    LOOPBACK_HOST.test(url.hostname)
  );
}
