export { ProfileResolver } from './profile.resolver';
export { profileService } from './profile.service';
export { AdministratorType, LanguageCode } from './profile.type';
