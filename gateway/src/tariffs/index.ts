export { NumberTariffResolver } from './tariff.resolver';
export { tariffService } from './tariff.service';
