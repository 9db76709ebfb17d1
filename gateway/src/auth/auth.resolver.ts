import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../core/context';
import { AdministratorType, profileService } from '../profile';
import { authService } from './auth.service';
import { RecoveryChallengeType, RecoveryVerificationType, RegistrationInput, RegistrationRequestType } from './auth.type';

@Resolver()
export class AuthResolver {
  @Mutation(() => AdministratorType, {
    description:
      'Signs in with phone and password and sets the session cookie. INVALID_CREDENTIALS for any wrong pair, also when the password was never set (a first sign-in uses recovery); RATE_LIMITED with retryAfterSeconds while repeated failures are slowed down.',
  })
  async login(
    @Arg('phone', { description: 'Phone, 11 digits starting with 7.' }) phone: string,
    @Arg('password', { description: 'Password.' }) password: string,
    @Ctx() ctx: Context,
  ): Promise<AdministratorType> {
    return profileService.administrator(ctx, await authService.login(ctx, phone, password));
  }

  @Mutation(() => Boolean, { description: 'Ends the current session and clears its cookie.' })
  logout(@Ctx() ctx: Context): Promise<boolean> {
    return authService.logout(ctx);
  }

  @Mutation(() => RecoveryChallengeType, {
    description:
      'Step 1 of password recovery (and of the first sign-in): sends a 6-digit code by SMS. RATE_LIMITED with retryAfterSeconds when asked again within 60 s.',
  })
  startPasswordRecovery(@Arg('phone', { description: 'Phone, 11 digits starting with 7.' }) phone: string, @Ctx() ctx: Context) {
    return authService.startRecovery(ctx, phone);
  }

  @Mutation(() => RecoveryVerificationType, {
    description: 'Step 2: checks the SMS code. INVALID_RECOVERY_CODE with attemptsLeft; five wrong codes void it.',
  })
  verifyRecoveryCode(
    @Arg('phone', { description: 'The same phone as in step 1.' }) phone: string,
    @Arg('code', { description: 'The 6 digits from the SMS.' }) code: string,
    @Ctx() ctx: Context,
  ) {
    return authService.verifyRecoveryCode(ctx, phone, code);
  }

  @Mutation(() => AdministratorType, {
    description: 'Step 3: sets the new password (15 to 128 characters; a passphrase), ends other sessions and signs in.',
  })
  async completePasswordRecovery(
    @Arg('recoveryToken', { description: 'The token from step 2.' }) recoveryToken: string,
    @Arg('password', { description: 'The new password.' }) password: string,
    @Arg('passwordRepeat', { description: 'The new password again.' }) passwordRepeat: string,
    @Ctx() ctx: Context,
  ): Promise<AdministratorType> {
    return profileService.administrator(ctx, await authService.completeRecovery(ctx, recoveryToken, password, passwordRepeat));
  }

  @Mutation(() => RegistrationRequestType, { description: 'Asks the operator for access to a company (F3).' })
  async requestRegistration(
    @Arg('input', () => RegistrationInput, { description: 'Who asks, for which company.' }) input: RegistrationInput,
    @Ctx() ctx: Context,
  ) {
    return { id: String(await authService.requestRegistration(ctx, input)), status: 'PENDING' };
  }

  @Mutation(() => AdministratorType, { description: 'Changes the e-mail; the current password is required.' })
  async changeEmail(
    @Arg('currentPassword', { description: 'The current password.' }) currentPassword: string,
    @Arg('email', { description: 'The new e-mail.' }) email: string,
    @Ctx() ctx: Context,
  ): Promise<AdministratorType> {
    await authService.changeEmail(ctx, currentPassword, email);
    return (await profileService.me(ctx))!;
  }

  @Mutation(() => AdministratorType, { description: 'Changes the password; every other session of the administrator ends.' })
  async changePassword(
    @Arg('currentPassword', { description: 'The current password.' }) currentPassword: string,
    @Arg('password', { description: 'The new password, 15 to 128 characters.' }) password: string,
    @Arg('passwordRepeat', { description: 'The new password again.' }) passwordRepeat: string,
    @Ctx() ctx: Context,
  ): Promise<AdministratorType> {
    await authService.changePassword(ctx, currentPassword, password, passwordRepeat);
    return (await profileService.me(ctx))!;
  }
}
