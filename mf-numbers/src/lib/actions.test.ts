import { menuActions, pendingOf } from './actions';

describe('quick operations', () => {
  it('offers what an Active number allows, without unblocking', () => {
    const active = menuActions([
      'BLOCK_NUMBER',
      'REPLACE_SIM',
      'CONNECT_SERVICE',
      'DISCONNECT_SERVICE',
      'REGISTER_DEVICE',
      'UNREGISTER_DEVICE',
      'SET_SMS_USSD_BAN',
      'SET_CALL_FORWARDING',
      'CANCEL_CALL_FORWARDING',
      'SEND_SECRET_CODE',
      'DELETE_SECRET_CODE',
    ]);
    expect(active).toEqual(['BLOCK_NUMBER', 'REPLACE_SIM', 'DEVICE', 'SMS_USSD_BAN', 'CALL_FORWARDING', 'SEND_SECRET_CODE', 'DELETE_SECRET_CODE']);
  });

  it('offers no unblock and no SIM replacement for a number blocked for debt', () => {
    const debt = menuActions(['REGISTER_DEVICE', 'UNREGISTER_DEVICE', 'SET_SMS_USSD_BAN', 'SEND_SECRET_CODE', 'DELETE_SECRET_CODE']);
    expect(debt).not.toContain('UNBLOCK_NUMBER');
    expect(debt).not.toContain('REPLACE_SIM');
    expect(debt).toContain('DEVICE');
  });

  it('knows which services, devices and conditions are being changed', () => {
    const pending = pendingOf([
      { kind: 'CONNECT_SERVICE', status: 'IN_PROCESS', parameters: [{ name: 'service', value: 'ROAMING' }] },
      { kind: 'DISCONNECT_SERVICE', status: 'SUCCESS', parameters: [{ name: 'service', value: 'INTERNET_5' }] },
      { kind: 'UNREGISTER_DEVICE', status: 'IN_PROCESS', parameters: [{ name: 'imei', value: '353678076511550' }] },
      {
        kind: 'SET_CALL_FORWARDING',
        status: 'IN_PROCESS',
        parameters: [
          { name: 'condition', value: 'BUSY' },
          { name: 'target', value: '77010542003' },
        ],
      },
    ]);
    expect(pending).toEqual({ services: ['ROAMING'], imeis: ['353678076511550'], conditions: ['BUSY'] });
  });
});
