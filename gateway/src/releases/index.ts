export { registerMissingReleases, readBuild, REPOSITORY_ROOT } from './release.bootstrap';
export { parseManifest, ReleaseError, type ReleaseManifest } from './release.manifest';
export { registerReleases, type ReleaseRoutesOptions } from './release.routes';
export { releaseService, type ActiveRelease, type PublishResult } from './release.service';
export { persistedHashOf, TrustedDocuments } from './trusted-documents';
