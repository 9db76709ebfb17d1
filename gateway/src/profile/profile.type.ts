import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';

export enum LanguageCode {
  EN = 'en',
  RU = 'ru',
  KK = 'kk',
}
registerEnumType(LanguageCode, {
  name: 'Language',
  description: 'A language of the portal: English, Russian or Kazakh.',
  valuesConfig: { EN: { description: 'English.' }, RU: { description: 'Русский.' }, KK: { description: 'Қазақша.' } },
});

@ObjectType('Administrator', { description: 'A person who manages the numbers of one or several companies in the portal.' })
export class AdministratorType {
  @Field(() => ID, { description: 'Global ID of the administrator.' }) id: string;
  @Field({ description: 'Full name.' }) name: string;
  @Field({ description: 'Phone used to sign in: 11 digits starting with 7.' }) phone: string;
  @Field({ description: 'E-mail for reports.' }) email: string;
  @Field(() => LanguageCode, { description: 'Preferred language; localized fields follow it.' }) language: LanguageCode;
  dbId: number;
}

@ObjectType('Session', { description: 'A signed-in browser of the administrator.' })
export class SessionType {
  @Field(() => ID, { description: 'Global ID of the session.' }) id: string;
  @Field(() => GraphQLDateTime, { description: 'When it signed in.' }) createdAt: Date;
  @Field(() => GraphQLDateTime, { description: 'When it was last used (kept to the minute).' }) lastSeenAt: Date;
  @Field(() => GraphQLDateTime, { description: 'When it ends at the latest (12 hours after sign-in; 30 idle minutes end it sooner).' })
  expiresAt: Date;
  @Field(() => String, { nullable: true, description: 'The client address it signed in from.' }) clientAddress: string | null;
  @Field(() => String, { nullable: true, description: 'The browser’s User-Agent, as sent.' }) userAgent: string | null;
  @Field({ description: 'True for the session making this request.' }) current: boolean;
}
