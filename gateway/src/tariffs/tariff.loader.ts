import { numberPartLoader } from '../billing';

export const allowancesByNumber = numberPartLoader('allowances');
