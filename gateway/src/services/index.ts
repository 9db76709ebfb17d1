export { NumberServicesResolver } from './service.resolver';
export { serviceService } from './service.service';
