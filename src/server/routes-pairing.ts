import { PosError } from '../pos/index.js';
import { tokenHash } from '../pos/devices.js';
import { activeDeviceOf, deviceByTokenHash, type DeviceRow } from '../store/devices.js';
import { AuthError, DEVICE_HEADER } from './auth.js';
import { callerOf, type RouteContext } from './context.js';
import { route, type Route } from './routing.js';
import {
  approvalAnswer,
  approvalSchema,
  deviceParams,
  noQuery,
  pairingAnswer,
  pairingRequestSchema,
  pairingState,
  revocationAnswer,
  revocationSchema,
  terminalsAnswer,
} from './schemas.js';

const header = (v: string | string[] | undefined): string | undefined =>
  Array.isArray(v) ? v[0] : v;

/** A device row without its token, as a manager's list shows it. */
const shown = (d: DeviceRow) => ({
  device_id: d.id,
  code: d.code,
  label: d.label,
  state: d.state,
  terminal: d.terminal,
  requested_at: d.requested_at,
  expires_at: d.expires_at,
  approved_at: d.approved_at || null,
  approved_by: d.approved_by || null,
  revoked_at: d.revoked_at || null,
  revoked_by: d.revoked_by || null,
});

/**
 * Pairing for the screen: a device asks (public, rate limited as `pos/devices.ts` has it) and
 * polls its state with its token; a manager (PIN in the body, journaled as the CLI's `outpost
 * terminal approve|revoke`) approves or revokes, at the terminal of the device they use.
 */
export function pairingRoutes(ctx: RouteContext): Route[] {
  return [
    route({
      method: 'POST',
      url: '/api/pairing',
      summary: 'A new device asks to pair: its code (for a manager) and its device token',
      tag: 'Pairing',
      access: 'public',
      body: pairingRequestSchema,
      response: pairingAnswer,
      created: true,
      handler: ({ body }) => {
        const p = ctx.node.pair(body.label !== undefined ? { label: body.label } : {});
        return {
          device_id: p.device_id,
          code: p.code,
          device_token: p.token,
          expires_at: p.expires_at,
        };
      },
    }),
    route({
      method: 'GET',
      url: '/api/pairing',
      // Public in the preHandler's sense: a pending, expired or revoked device must learn its
      // state here, so the token is checked below and an unknown one still gets nothing.
      summary: "A device's pairing state (X-Outpost-Device): pending, approved, expired, revoked",
      tag: 'Pairing',
      access: 'public',
      readsDevice: true,
      query: noQuery,
      response: pairingState,
      handler: ({ request }) => {
        const token = header(request.headers[DEVICE_HEADER]) ?? '';
        const d = token ? deviceByTokenHash(ctx.node.db, tokenHash(token)) : undefined;
        if (!d) {
          throw new AuthError(
            'DeviceUnknown',
            'this device is not paired with the store',
            DEVICE_HEADER,
          );
        }
        const expired = d.state === 'pending' && Date.parse(d.expires_at) <= ctx.node.clock.now();
        return {
          state: expired ? 'expired' : d.state === 'active' ? 'approved' : d.state,
          device_id: d.id,
          code: d.code,
          terminal: d.terminal,
          expires_at: d.expires_at,
          revoked_at: d.revoked_at || null,
        };
      },
    }),
    route({
      method: 'POST',
      url: '/api/pairing/approve',
      summary:
        "A manager approves a pairing code (PIN in the body; journaled at this device's terminal)",
      tag: 'Pairing',
      access: 'session',
      body: approvalSchema,
      response: approvalAnswer,
      handler: ({ body, caller }) => {
        const { terminal } = callerOf(caller);
        const approved = ctx.node.approve({
          code: body.code,
          manager: body.manager.id,
          pin: body.manager.pin,
          at: terminal.name,
          ...(body.terminal !== undefined ? { terminal: body.terminal } : {}),
        });
        // The new terminal's key is made now, as `outpost terminal approve` does.
        ctx.node.terminal(approved.terminal);
        return { approved };
      },
    }),
    route({
      method: 'GET',
      url: '/api/terminals',
      summary: "The node's terminals and devices (no tokens); a manager's session only",
      tag: 'Pairing',
      access: 'session',
      query: noQuery,
      response: terminalsAnswer,
      handler: ({ caller }) => {
        const { cashier } = callerOf(caller);
        if (cashier.role !== 'manager') {
          throw new PosError('NotPermitted', 'only a manager sees the devices', 'cashier');
        }
        const db = ctx.node.db;
        return {
          terminals: ctx.node.terminals().map((t) => ({
            name: t.name,
            retired_at: t.retired_at || null,
            device: activeDeviceOf(db, t.name)?.id ?? null,
          })),
          devices: ctx.node.devices().map(shown),
        };
      },
    }),
    route({
      method: 'POST',
      url: '/api/devices/:id/revoke',
      summary: 'A manager revokes a device (PIN in the body): its token and sessions stop working',
      tag: 'Pairing',
      access: 'session',
      params: deviceParams,
      body: revocationSchema,
      response: revocationAnswer,
      handler: ({ body, params, caller }) => {
        const { terminal } = callerOf(caller);
        return {
          revoked: ctx.node.revoke({
            device: params.id,
            manager: body.manager.id,
            pin: body.manager.pin,
            at: terminal.name,
          }),
        };
      },
    }),
  ];
}
