// One card with its ETag (needed to tick the red card's checklist).
import { findCard } from '../storage/index.js';
import { notFound } from '../errors.js';
import { httpFunction } from './route.js';

export default httpFunction('card', {
  route: 'cards/{cardId}',
  methods: {
    GET: async (call) => {
      const storage = await call.storage();
      const card = await findCard(storage, call.param('cardId'));
      if (!card) throw notFound(`牌 ${call.param('cardId')} `);
      const { etag, ...rest } = card;
      return { body: { card: rest, etag }, etag };
    },
  },
});
