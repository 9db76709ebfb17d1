import { attempt, useAttempt } from './outcome';

const refusal = (code: string, field?: string) => ({ graphQLErrors: [{ message: 'refused', extensions: { code, field } }] });

describe('attempt', () => {
  it('answers with the fields of the result when the request succeeds', async () => {
    expect(await attempt(async () => ({ secret: 's' }))).toEqual({ ok: true, secret: 's' });
  });

  it("answers with the API's error instead of rejecting", async () => {
    const outcome = await attempt(() => Promise.reject(refusal('BAD_USER_INPUT', 'email')));
    expect(outcome).toMatchObject({ ok: false, error: { code: 'BAD_USER_INPUT', field: 'email' } });
  });
});

describe('useAttempt', () => {
  it('is busy while the mutation runs and keeps its refusal until the next run', async () => {
    const { run, busy, error } = useAttempt();
    let fail!: (reason: unknown) => void;
    const first = run(() => new Promise<object>((_, reject) => (fail = reject)));
    expect(busy.value).toBe(true);
    fail(refusal('FORBIDDEN'));
    expect((await first).ok).toBe(false);
    expect(busy.value).toBe(false);
    expect(error.value?.code).toBe('FORBIDDEN');
    expect(await run(async () => ({}))).toEqual({ ok: true });
    expect(error.value).toBeNull();
  });

  it('forgets the refusal on reset', async () => {
    const { run, error, reset } = useAttempt();
    await run(() => Promise.reject(refusal('CONFLICT')));
    reset();
    expect(error.value).toBeNull();
  });
});
