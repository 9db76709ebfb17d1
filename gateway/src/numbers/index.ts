export { NumberResolver } from './number.resolver';
export { numberService } from './number.service';
export { NumberState, NumberType } from './number.type';
