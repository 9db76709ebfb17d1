import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { CompanyType, companyService } from '../companies';
import type { Context } from '../core/context';
import { fromGlobalId } from '../core/ids';
import { profileService } from './profile.service';
import { AdministratorType, LanguageCode, SessionType } from './profile.type';

@Resolver(() => AdministratorType)
export class ProfileResolver {
  @Query(() => AdministratorType, { nullable: true, description: 'The signed-in administrator; null without a session (and for API keys).' })
  me(@Ctx() ctx: Context): Promise<AdministratorType | null> {
    return profileService.me(ctx);
  }

  @FieldResolver(() => [CompanyType], { description: 'Companies granted to the administrator, with their short names.' })
  companies(@Root() _administrator: AdministratorType, @Ctx() ctx: Context): Promise<CompanyType[]> {
    return companyService.list(ctx);
  }

  @Mutation(() => AdministratorType, { description: 'Sets the administrator’s language; it persists across sessions.' })
  setLanguage(@Arg('language', () => LanguageCode, { description: 'en, ru or kk.' }) language: LanguageCode, @Ctx() ctx: Context) {
    return profileService.setLanguage(ctx, language);
  }

  @Mutation(() => CompanyType, { description: 'Gives a company a short name seen only by this administrator; null removes it.' })
  async setCompanyShortName(
    @Arg('companyId', () => ID, { description: 'Global ID of the company.' }) companyId: string,
    @Arg('shortName', () => String, { nullable: true, description: 'Up to 100 characters.' }) shortName: string | null,
    @Ctx() ctx: Context,
  ): Promise<CompanyType> {
    const id = fromGlobalId('Company', companyId, 'companyId');
    await profileService.setCompanyShortName(ctx, id, shortName);
    return companyService.get(ctx, id);
  }

  @FieldResolver(() => [SessionType], { description: 'Signed-in browsers of the administrator, the most recently used first.' })
  sessions(@Root() _administrator: AdministratorType, @Ctx() ctx: Context): Promise<SessionType[]> {
    return profileService.sessions(ctx);
  }

  @Mutation(() => Boolean, { description: 'Ends another session of the administrator; its open pages are signed out. NOT_FOUND when already ended.' })
  endSession(@Arg('sessionId', () => ID, { description: 'Global ID of the session (`me.sessions`).' }) sessionId: string, @Ctx() ctx: Context) {
    return profileService.endSession(ctx, sessionId);
  }

  @Mutation(() => Int, { description: 'Signs out everywhere else: every session but this one ends. Returns how many ended.' })
  endOtherSessions(@Ctx() ctx: Context): Promise<number> {
    return profileService.endOtherSessions(ctx);
  }
}
