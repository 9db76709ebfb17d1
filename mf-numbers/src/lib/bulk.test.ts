import { bulkKindsFor, controlsFor, needsOf, progressPercent } from './bulk';

describe('bulk operations', () => {
  it('offers the kinds at least one picked number allows, and every kind for all matching', () => {
    expect(bulkKindsFor([['BLOCK_NUMBER'], ['UNBLOCK_NUMBER', 'CONNECT_SERVICE']])).toEqual(['BLOCK_NUMBER', 'UNBLOCK_NUMBER', 'CONNECT_SERVICE']);
    expect(bulkKindsFor([['REGISTER_DEVICE', 'SEND_SECRET_CODE']])).toEqual([]);
    expect(bulkKindsFor(null)).toContain('CHANGE_TARIFF');
    expect(bulkKindsFor(null)).not.toContain('REPLACE_SIM');
  });

  it('knows what each kind needs besides the numbers', () => {
    expect(needsOf('BLOCK_NUMBER')).toBeNull();
    expect(needsOf('CONNECT_SERVICE')).toBe('service');
    expect(needsOf('SET_CALL_FORWARDING')).toBe('forwarding');
    expect(needsOf('REPLACE_SIM')).toBeNull();
  });

  it('counts done items of every outcome as progress', () => {
    expect(progressPercent({ pending: 5, inProcess: 2, success: 2, failure: 1, skipped: 0, cancelled: 0 }, 10)).toBe(30);
    expect(progressPercent({ pending: 0, inProcess: 0, success: 0, failure: 0, skipped: 0, cancelled: 0 }, 0)).toBe(0);
  });

  it('offers the transitions the API allows in each status', () => {
    expect(controlsFor('RUNNING')).toEqual({ pause: true, resume: false, cancel: true, reschedule: false });
    expect(controlsFor('PAUSED')).toEqual({ pause: false, resume: true, cancel: true, reschedule: false });
    expect(controlsFor('SCHEDULED')).toEqual({ pause: false, resume: false, cancel: true, reschedule: true });
    expect(controlsFor('FINISHED')).toEqual({ pause: false, resume: false, cancel: false, reschedule: false });
    expect(controlsFor('AWAITING_APPROVAL').cancel).toBe(false);
  });
});
