export { NumberResolver } from './number.resolver';
export { normalizeSearch, numberService } from './number.service';
export { ForwardingCondition, NumberState, NumberType } from './number.type';
