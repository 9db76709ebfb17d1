import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ID, InputType, ObjectType } from 'type-graphql';

@ObjectType('RecoveryChallenge', { description: 'A recovery code was sent by SMS (or would have been: the answer is the same for unknown phones).' })
export class RecoveryChallengeType {
  @Field(() => GraphQLDateTime, { description: 'When a new code may be requested (60 s after the last send).' }) resendAvailableAt: Date;
  @Field(() => GraphQLDateTime, { description: 'When the code stops being valid (10 minutes after it was sent).' }) codeExpiresAt: Date;
}

@ObjectType('RecoveryVerification', { description: 'The code was right: the token lets the caller set a new password once.' })
export class RecoveryVerificationType {
  @Field({ description: 'One-time token for completePasswordRecovery.' }) recoveryToken: string;
  @Field(() => GraphQLDateTime, { description: 'When the token expires.' }) expiresAt: Date;
}

@InputType('RegistrationInput', { description: 'A request for access to a company’s numbers, approved by the operator.' })
export class RegistrationInput {
  @Field({ description: 'The company’s 12-digit BIN.' }) bin: string;
  @Field({ description: 'The administrator’s full name.' }) name: string;
  @Field({ description: 'The administrator’s phone: 11 digits starting with 7.' }) phone: string;
  @Field({ description: 'The administrator’s e-mail.' }) email: string;
}

@ObjectType('RegistrationRequest', { description: 'A registration request waiting for the operator.' })
export class RegistrationRequestType {
  @Field(() => ID, { description: 'Reference of the request.' }) id: string;
  @Field({ description: 'PENDING until the operator approves it; then the administrator sets a password through recovery.' })
  status: string;
}
