import { PosError, decideReview } from '../pos/index.js';
import { lastPush, pushCounts } from '../store/push-status.js';
import { reviewItems, type ReviewItem } from '../store/push-review.js';
import { syncStatus } from '../store/sync-status.js';
import { findConflicts } from '../sync/conflicts.js';
import { plainReason } from '../sync/push/classify.js';
import { DEVICE_HEADER, SESSION_HEADER } from './auth.js';
import { callerOf, managerOf, type RouteContext } from './context.js';
import { streamEvents } from './events.js';
import { route, type Route } from './routing.js';
import { securityHeaders } from './security.js';
import {
  conflictsQuerySchema,
  loginSchema,
  noQuery,
  reviewDecisionSchema,
  reviewParams,
} from './schemas.js';

const header = (v: string | string[] | undefined): string | undefined =>
  Array.isArray(v) ? v[0] : v;

const reasonOf = (item: ReviewItem): string =>
  item.reason ?? plainReason(item.http_status ?? 0, item.exc_type, item.message);

/** Sessions, events, and the sync's status, review queue and conflicts. */
export function syncRoutes(ctx: RouteContext): Route[] {
  return [
    route({
      method: 'POST',
      url: '/api/session',
      summary: "A cashier's PIN login on a paired device: a session token (idle timeout, lockout)",
      tag: 'Session',
      access: 'device',
      body: loginSchema,
      created: true,
      handler: ({ body, request }) => {
        const session = ctx.auth.login(
          header(request.headers[DEVICE_HEADER]),
          body.cashier,
          body.pin,
        );
        return session;
      },
    }),
    route({
      method: 'DELETE',
      url: '/api/session',
      summary: 'Log the cashier out (the session token stops working)',
      tag: 'Session',
      access: 'session',
      query: noQuery,
      handler: ({ request, reply }) => {
        ctx.auth.logout(
          header(request.headers[DEVICE_HEADER]),
          header(request.headers[SESSION_HEADER]),
        );
        void reply.code(204);
        return null;
      },
    }),
    route({
      method: 'GET',
      url: '/api/events',
      summary: 'Server-sent events: connectivity, push progress, prices pulled, the outbox',
      tag: 'Events',
      access: 'session',
      query: noQuery,
      produces: ['text/event-stream'],
      handler: ({ request, reply, caller }) => {
        const { terminal } = callerOf(caller);
        const device = header(request.headers[DEVICE_HEADER]);
        const stillPaired = () => {
          try {
            ctx.auth.device(device);
            return true;
          } catch {
            return false;
          }
        };
        streamEvents(
          ctx.events,
          request,
          reply,
          securityHeaders,
          { connectivity: ctx.connectivity(), pending: pushCounts(terminal.db).pending },
          stillPaired,
        );
        return reply;
      },
    }),
    route({
      method: 'GET',
      url: '/api/sync/status',
      summary: 'Pulls, the outbox, the last push and connectivity',
      tag: 'Sync',
      access: 'session',
      query: noQuery,
      handler: ({ caller }) => {
        const db = callerOf(caller).terminal.db;
        const s = syncStatus(db);
        return {
          connectivity: ctx.connectivity(),
          snapshot: s.snapshot,
          last_pull_ok_at: s.last_pull_ok_at,
          push: pushCounts(db),
          last_push: lastPush(db),
          pulls: s.pulls,
        };
      },
    }),
    route({
      method: 'GET',
      url: '/api/review',
      summary: 'What ERPNext refused, waiting for a manager',
      tag: 'Sync',
      access: 'session',
      query: noQuery,
      handler: ({ caller }) => ({
        review: reviewItems(callerOf(caller).terminal.db).map((i) => ({
          ...i,
          reason: reasonOf(i),
          actions: i.kind === 'document' ? ['retry', 'resolve'] : ['retry'],
        })),
      }),
    }),
    route({
      method: 'POST',
      url: '/api/review/:id',
      summary: 'Retry or resolve an item of the review queue (a manager; journaled)',
      tag: 'Sync',
      access: 'session',
      params: reviewParams,
      body: reviewDecisionSchema,
      handler: ({ params, body, caller }) => {
        const { terminal, cashier } = callerOf(caller);
        const manager = cashier.role === 'manager' ? cashier : managerOf(terminal, body.manager);
        if (!manager) {
          throw new PosError(
            'ApprovalRequired',
            'a manager decides (manager: {id, pin})',
            'manager',
          );
        }
        return decideReview(terminal, manager, {
          id: params.id,
          action: body.action,
          note: body.note ?? '',
        });
      },
    }),
    route({
      method: 'GET',
      url: '/api/conflicts',
      summary: 'What changed in ERPNext since each sale (price, rule, item, customer, tax)',
      tag: 'Sync',
      access: 'session',
      query: conflictsQuerySchema,
      handler: ({ query, caller }) => {
        const term = callerOf(caller).terminal;
        return {
          since: query.since,
          conflicts: findConflicts(term.db, {
            since: query.since,
            journal: { publicKeys: term.publicKeys, terminal: term.settings.terminalId },
          }),
        };
      },
    }),
  ];
}
