/** The purchase models by id. */
import { BGBB } from './bgbb';
import { BGNBD } from './bgnbdFit';
import { MBGNBD } from './mbgnbd';
import { PARETO_NBD } from './paretoNbd';
import type { PurchaseModel, PurchaseModelId } from './purchaseModel';

export const PURCHASE_MODEL: Record<PurchaseModelId, PurchaseModel> = { bgnbd: BGNBD, mbgnbd: MBGNBD, paretoNbd: PARETO_NBD, bgbb: BGBB };
