export { SandboxResolver } from './sandbox.resolver';
