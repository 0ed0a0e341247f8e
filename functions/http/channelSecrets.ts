// Robot keys (WeCom `key=`, DingTalk `access_token=` and its signing secret, a gateway's query token)
// are write-only through the API: GET and PUT answers show them masked, and a PUT that sends a masked
// value back keeps the stored one. Only delivery (storage, server side) reads them in clear.
import type { Channel } from '../../shared/api.js';
import { ApiError } from '../errors.js';

export const SECRET_MASK = '******';

/**
 * A path segment that looks like a key rather than a word of a route: long, or letters and digits
 * mixed (`/services/T0123/B0456/Xyz789…` gateways put their token in the path).
 */
const SECRET_SEGMENT = /^(?=[^/]{24,}$)|^(?=[^/]*[0-9])(?=[^/]*[A-Za-z])[^/]{12,}$/;

/**
 * The URL with every secret it can carry masked: user:password, key-like path segments, every query
 * value and the fragment (`https://******@host/send?key=******#******`).
 */
export function maskUrl(url: string): string {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/i.exec(url);
  if (!m) return url.replace(/([?&][^=&#]+=)[^&#]*/g, (_, name: string) => `${name}${SECRET_MASK}`);
  const [, scheme, authority = '', path = '', query = '', fragment = ''] = m;
  const at = authority.lastIndexOf('@');
  const host = at >= 0 ? `${SECRET_MASK}@${authority.slice(at + 1)}` : authority;
  const maskedPath = path
    .split('/')
    .map((seg) => (seg && SECRET_SEGMENT.test(seg) ? SECRET_MASK : seg))
    .join('/');
  const maskedQuery = query.replace(/([?&][^=&#]+=)[^&#]*/g, (_, name: string) => `${name}${SECRET_MASK}`);
  return `${scheme}${host}${maskedPath}${maskedQuery}${fragment ? `#${SECRET_MASK}` : ''}`;
}

export function maskChannel(c: Channel): Channel {
  if (c.kind === 'email') return c;
  const masked = { ...c, url: maskUrl(c.url) };
  if (c.kind === 'dingtalk' && c.secret) return { ...masked, kind: 'dingtalk', secret: SECRET_MASK };
  return masked;
}

/**
 * The channels to store for a PUT: a channel sent back with masked values takes them from the stored
 * channel of the same kind whose masked form it is. A mask that matches nothing stored is refused.
 */
export function unmaskChannels(sent: Channel[], stored: Channel[]): Channel[] {
  return sent.map((c, i) => {
    if (c.kind === 'email') return c;
    const urlMasked = c.url.includes(SECRET_MASK);
    const secretMasked = c.kind === 'dingtalk' && c.secret === SECRET_MASK;
    if (!urlMasked && !secretMasked) return c;
    const original = stored.find((s) => s.kind === c.kind && maskUrl(s.url) === maskUrl(c.url));
    if (!original || original.kind === 'email')
      throw new ApiError(
        400,
        'masked_secret',
        `字段 channels[${i}]：地址或密钥是隐藏显示的（${SECRET_MASK}），但找不到原来的渠道，请重新填写完整的地址和密钥`,
      );
    return {
      ...c,
      url: urlMasked ? original.url : c.url,
      ...(c.kind === 'dingtalk' && original.kind === 'dingtalk'
        ? { secret: secretMasked ? original.secret : c.secret }
        : {}),
    } as Channel;
  });
}
