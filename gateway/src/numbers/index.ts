export { NumberResolver } from './number.resolver';
export { numberService } from './number.service';
export { ForwardingCondition, NumberState, NumberType } from './number.type';
