import { describe, expect, it } from 'vitest';
import { openNode } from '../../src/pos/node.js';
import { CASHIER, MANAGER, oldStoreCopy } from './fixture.js';

describe('openNode(dir): what the server calls', () => {
  it('reads config.json and runs a device from pairing to logout', () => {
    const node = openNode(oldStoreCopy());
    try {
      expect([node.firstTerminal, node.terminals().map((t) => t.name)]).toEqual(['T1', ['T1']]);
      const p = node.pair({ label: 'screen' });
      expect(() => node.device(p.token)).toThrow(/waiting for a manager to approve code/);
      const a = node.approve({
        code: p.code,
        manager: MANAGER.id,
        pin: MANAGER.pin,
        terminal: 'T3',
      });
      expect(node.device(p.token)).toEqual({
        device_id: a.device_id,
        terminal: 'T3',
        label: 'screen',
      });
      const s = node.login(p.token, { cashier: CASHIER.id, pin: CASHIER.pin });
      const at = node.authenticate(p.token, s.token);
      expect([at.terminal.name, at.terminal.settings.terminalId, at.cashier.name]).toEqual([
        'T3',
        'T3',
        'Alice Martin',
      ]);
      node.logout(p.token, s.token);
      expect(() => node.authenticate(p.token, s.token)).toThrow(/the session ended \(logout\)/);
      expect(node.devices().map((d) => [d.label, d.state, d.terminal])).toEqual([
        ['screen', 'active', 'T3'],
      ]);
    } finally {
      node.close();
    }
  });

  it('refuses a directory with no store, naming it', () => {
    expect(() => openNode('/nonexistent/outpost')).toThrow(/no store here \(no config.json\)/);
  });
});
